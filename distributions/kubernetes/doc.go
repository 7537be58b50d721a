// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package kubernetes holds the distribution's Kubernetes manifests (the YAML files in this directory). It has no
// code: its test decodes every manifest strictly into the k8s.io/api types, offline, and checks each against the
// collector configuration it mounts.
package kubernetes // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/distributions/kubernetes"
