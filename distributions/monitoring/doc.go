// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package monitoring holds the alert rules (alerts.rules.yaml, and the same rules as a PrometheusRule in
// prometheusrule.yaml) and the Grafana dashboard (dashboard.json) for the collector's own telemetry. It has no code:
// its tests run promtool on the rules and their unit tests (alerts.test.yaml), check that both rule files agree, that
// every dashboard panel has queries, and that every metric the rules and the dashboard name is one the collector
// exposes, derived from the components' metadata.yaml files and a short list of collector-core metrics (and, when
// bin/otelcol-logzio-aws is built, checked against what it serves), so that a renamed metric fails here instead of
// leaving an alert that can never fire.
package monitoring // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/distributions/monitoring"
