// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package helm holds the distribution's Helm chart (otelcol-logzio-aws/ in this directory) and the sample values its
// tests render (testdata/). It has no code: its test runs `helm template` for every mode, decodes each rendered
// document strictly into its k8s.io/api type, checks the objects against each other and against the collector
// configuration they mount, and runs `otelcol-logzio-aws validate` on that configuration.
package helm // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/distributions/helm"
