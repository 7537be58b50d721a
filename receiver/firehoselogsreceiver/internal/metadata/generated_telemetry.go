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
	meter                                 metric.Meter
	mu                                    sync.Mutex
	registrations                         []metric.Registration
	ReceiverFirehoselogsControlMessages   metric.Int64Counter
	ReceiverFirehoselogsDecodeErrors      metric.Int64Counter
	ReceiverFirehoselogsDuplicateRequests metric.Int64Counter
	ReceiverFirehoselogsLogRecords        metric.Int64Counter
	ReceiverFirehoselogsRecords           metric.Int64Counter
	ReceiverFirehoselogsRecordsDropped    metric.Int64Counter
	ReceiverFirehoselogsRequests          metric.Int64Counter
	ReceiverFirehoselogsRequestDuration   metric.Float64Histogram
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
	builder.ReceiverFirehoselogsControlMessages, err = builder.meter.Int64Counter(
		"otelcol_receiver_firehoselogs_control_messages",
		metric.WithDescription("CloudWatch Logs CONTROL_MESSAGE records (destination reachability checks) of accepted requests, acknowledged and dropped. [Development]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehoselogsDecodeErrors, err = builder.meter.Int64Counter(
		"otelcol_receiver_firehoselogs_decode_errors",
		metric.WithDescription("Requests refused because the body or one of its records could not be decoded (attribute reason). [Development]"),
		metric.WithUnit("{request}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehoselogsDuplicateRequests, err = builder.meter.Int64Counter(
		"otelcol_receiver_firehoselogs_duplicate_requests",
		metric.WithDescription("Firehose retries of requests accepted within dedup_window, answered 200 without delivering them again. [Development]"),
		metric.WithUnit("{request}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehoselogsLogRecords, err = builder.meter.Int64Counter(
		"otelcol_receiver_firehoselogs_log_records",
		metric.WithDescription("Log records (one per CloudWatch Logs event or extracted message) of requests that the pipeline accepted. [Development]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehoselogsRecords, err = builder.meter.Int64Counter(
		"otelcol_receiver_firehoselogs_records",
		metric.WithDescription("Firehose records decoded from requests that the pipeline accepted (control messages included). [Development]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehoselogsRecordsDropped, err = builder.meter.Int64Counter(
		"otelcol_receiver_firehoselogs_records_dropped",
		metric.WithDescription("CloudTrail records of accepted requests that the cloudtrail block's event_selection kept from shipping (attribute reason = excluded). [Development]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehoselogsRequests, err = builder.meter.Int64Counter(
		"otelcol_receiver_firehoselogs_requests",
		metric.WithDescription("Firehose requests answered, by HTTP status code and the records' format (attributes http.response.status_code; format = subscription, messages, or unknown when no record was read). [Development]"),
		metric.WithUnit("{request}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverFirehoselogsRequestDuration, err = builder.meter.Float64Histogram(
		"otelcol_receiver_firehoselogs_request_duration",
		metric.WithDescription("Time from a Firehose request's headers to its answer (body read, decoding and the pipeline included), by HTTP status code and format (attributes http.response.status_code, format). [Development]"),
		metric.WithUnit("s"),
		metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
	)
	errs = errors.Join(errs, err)
	return &builder, errs
}
