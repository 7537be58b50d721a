// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package packaging holds the files that turn the otelcol-logzio-aws binary into packages: nfpm.yaml and linux/ for the
// .deb and .rpm, windows/ for the .msi and .zip, docker/ for the container image (../Dockerfile). It has no Go code; its
// tests check that these files agree with each other and with the distribution's default config.yaml, and that the
// binary the image copies runs without a C library. Building and installing the packages is tested by
// scripts/package-test.sh (`make test-package`).
package packaging
