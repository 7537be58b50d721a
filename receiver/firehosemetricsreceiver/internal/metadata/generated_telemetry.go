// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Hand-written in mdatagen's shape: cmd/mdatagen cannot be built from the Go module proxy at v0.161.0 (it needs
// go.opentelemetry.io/collector/internal/schemagen, refused). internal/metadatacheck checks it against metadata.yaml.

package metadata

import (
	"errors"
	"sync"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"go.opentelemetry.io/collector/component"
)

func Meter(settings component.TelemetrySettings) metric.Meter {
	return settings.MeterProvider.Meter(ScopeName)
}

func Tracer(settings component.TelemetrySettings) trace.Tracer {
	return settings.TracerProvider.Tracer(ScopeName)
}

// TelemetryBuilder provides an interface for components to report telemetry
// as defined in metadata and user config.
type TelemetryBuilder struct {
	meter                                     metric.Meter
	mu                                        sync.Mutex
	registrations                             []metric.Registration
	ReceiverFirehosemetricsDataPoints         metric.Int64Counter
	ReceiverFirehosemetricsDataPointsDropped  metric.Int64Counter
	ReceiverFirehosemetricsDecodeErrors       metric.Int64Counter
	ReceiverFirehosemetricsDemoRecords        metric.Int64Counter
	ReceiverFirehosemetricsDuplicateRequests  metric.Int64Counter
	ReceiverFirehosemetricsEnrichedDataPoints metric.Int64Counter
	ReceiverFirehosemetricsRecords            metric.Int64Counter
	ReceiverFirehosemetricsRequests           metric.Int64Counter
	ReceiverFirehosemetricsRequestDuration    metric.Float64Histogram
	ReceiverFirehosemetricsTagRefreshes       metric.Int64Counter
	ReceiverFirehosemetricsTaggedResources    metric.Int64Gauge
}

// TelemetryBuilderOption applies changes to default builder.
type TelemetryBuilderOption interface {
	apply(*TelemetryBuilder)
}

// Shutdown unregister all registered callbacks for async instruments.
func (builder *TelemetryBuilder) Shutdown() {
	builder.mu.Lock()
	defer builder.mu.Unlock()
	for _, reg := range builder.registrations {
		reg.Unregister()
	}
}

// NewTelemetryBuilder provides a struct with methods to update all internal telemetry
// for a component
func NewTelemetryBuilder(settings component.TelemetrySettings, options ...TelemetryBuilderOption) (*TelemetryBuilder, error) {
	builder := TelemetryBuilder{}
	for _, op := range options {
		op.apply(&builder)
	}
	builder.meter = Meter(settings)
	var err, errs error
	builder.ReceiverFirehosemetricsDataPoints, err = builder.meter.Int64Counter(
		"otelcol_receiver_firehosemetrics_data_points",
		metric.WithDescription("Metric-stream data points decoded from requests that the pipeline accepted. [Development]"),
		metric.WithUnit("{datapoint}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehosemetricsDataPointsDropped, err = builder.meter.Int64Counter(
		"otelcol_receiver_firehosemetrics_data_points_dropped",
		metric.WithDescription("Data points dropped because their namespace is not in the configured namespaces list (attribute namespace). [Development]"),
		metric.WithUnit("{datapoint}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehosemetricsDecodeErrors, err = builder.meter.Int64Counter(
		"otelcol_receiver_firehosemetrics_decode_errors",
		metric.WithDescription("Requests refused because the body or one of its records could not be decoded (attribute reason). [Development]"),
		metric.WithUnit("{request}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehosemetricsDemoRecords, err = builder.meter.Int64Counter(
		"otelcol_receiver_firehosemetrics_demo_records",
		metric.WithDescription("Firehose console demo (stock ticker) records accepted and ignored. [Development]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehosemetricsEnrichedDataPoints, err = builder.meter.Int64Counter(
		"otelcol_receiver_firehosemetrics_enriched_data_points",
		metric.WithDescription("Data points that received tag_<key> labels from the resource tag cache (resource_tags.enrich). [Development]"),
		metric.WithUnit("{datapoint}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehosemetricsDuplicateRequests, err = builder.meter.Int64Counter(
		"otelcol_receiver_firehosemetrics_duplicate_requests",
		metric.WithDescription("Firehose retries of requests accepted within dedup_window, answered 200 without delivering them again. [Development]"),
		metric.WithUnit("{request}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehosemetricsRecords, err = builder.meter.Int64Counter(
		"otelcol_receiver_firehosemetrics_records",
		metric.WithDescription("Firehose records decoded from requests that the pipeline accepted. [Development]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehosemetricsRequests, err = builder.meter.Int64Counter(
		"otelcol_receiver_firehosemetrics_requests",
		metric.WithDescription("Firehose requests answered, by HTTP status code and the records' format (attributes http.response.status_code; format = json, opentelemetry0.7, opentelemetry1.0, or unknown when no record was read). [Development]"),
		metric.WithUnit("{request}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehosemetricsRequestDuration, err = builder.meter.Float64Histogram(
		"otelcol_receiver_firehosemetrics_request_duration",
		metric.WithDescription("Time from a Firehose request's headers to its answer (body read, decoding and the pipeline included), by HTTP status code and format (attributes http.response.status_code, format). [Development]"),
		metric.WithUnit("s"),
		metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehosemetricsTagRefreshes, err = builder.meter.Int64Counter(
		"otelcol_receiver_firehosemetrics_tag_refreshes",
		metric.WithDescription("Resource Groups Tagging API refreshes, by outcome (attribute outcome = success | failure) and region. [Development]"),
		metric.WithUnit("{refresh}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehosemetricsTaggedResources, err = builder.meter.Int64Gauge(
		"otelcol_receiver_firehosemetrics_tagged_resources",
		metric.WithDescription("Tagged resources held in the tag cache after the last refresh. [Development]"),
		metric.WithUnit("{resource}"),
	)
	errs = errors.Join(errs, err)
	return &builder, errs
}
