// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package metricstream decodes CloudWatch Metric Stream records delivered by Firehose (JSON, OpenTelemetry 0.7 and
// OpenTelemetry 1.0 output formats) into pdata metrics. It has no network and no collector lifecycle: the receiver
// hands it the base64-decoded records of one request and gets one pmetric.Metrics back.
//
// Every format is first decoded completely into a normalised data point (account, region, namespace, metric name,
// unit, dimensions, period start and end, count, sum, min, max, percentiles), so the same CloudWatch data gives the
// same metrics whichever format carried it, and a malformed record leaves the batch unchanged.
//
// # Shape with the logzio naming (default)
//
// The pdata is built so that a Prometheus remote-write translation that turns resource attributes into labels
// (resource_to_telemetry_conversion), keeps metric names as they are and adds no suffixes (add_metric_suffixes:
// false, no target_info, no created metric, no scope labels) gives exactly the series of Logz.io's hosted endpoint:
//
//   - one ResourceMetrics per (cloud provider, account, region, namespace label, metricname label) of the request,
//     with resource attributes account (cloud.account.id), region (cloud.region), cloud_provider (cloud.provider),
//     p8s_logzio_name (the request's P8S_LOGZIO_NAME common attribute in any case, else Options.LogzioName, else
//     "logzio-otlp-metrics-stream"), namespace and metricname (lower-cased); empty values are left out. These are the
//     labels every series of a CloudWatch metric shares, so they are stored once per resource instead of on every
//     data point (each attribute value is one allocation). It holds one ScopeMetrics with an empty scope.
//   - per CloudWatch metric, Gauge metrics named aws_<namespace>_<metric>_sum, _count, _min, _max and, for
//     percentiles, aws_<namespace>_<metric> (names already sanitised; no unit, no description). Data points of the
//     same series name in the same resource share one Metric.
//   - every gauge data point is a double at the sample timestamp: _sum, _count and percentiles at the period end,
//     _min and _max at the period start (no start timestamp). Its attributes, already valid Prometheus label names,
//     are one per dimension (name lower-cased and sanitised, value lower-cased); percentile points add quantile
//     ("0.99"). A dimension whose label name is one of the decoder's (account, region, cloud_provider,
//     p8s_logzio_name, namespace, metricname, quantile) is dropped, so the resource value wins on every series.
//     Empty values are left out.
//
// # Shape with the otel naming
//
// One ResourceMetrics per (cloud.provider, cloud.account.id, cloud.region, aws.exporter.arn) with those resource
// attributes, one ScopeMetrics with an empty scope, and per metric name and unit one Summary named
// amazonaws.com/<Namespace>/<MetricName> with the unit as the stream sends it (JSON units are mapped the same way).
// Data points carry start and end timestamps, count, sum, quantile values 0 (min), the percentiles in ascending
// order and 1 (max), and attributes Namespace, MetricName and one per dimension (original case, ordered by name).
package metricstream
