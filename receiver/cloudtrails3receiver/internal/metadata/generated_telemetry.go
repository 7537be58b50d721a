// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Hand-written in mdatagen's shape: cmd/mdatagen cannot be built from the Go module proxy at v0.161.0 (it needs
// go.opentelemetry.io/collector/internal/schemagen, refused). internal/metadatacheck checks it against metadata.yaml.

package metadata

import (
	"context"
	"errors"
	"sync"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/embedded"
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
	ReceiverCloudtrails3BytesRead             metric.Int64Counter
	ReceiverCloudtrails3DeliveryLag           metric.Float64ObservableGauge
	ReceiverCloudtrails3LastSuccessfulPoll    metric.Float64ObservableGauge
	ReceiverCloudtrails3LastDiscovery         metric.Float64ObservableGauge
	ReceiverCloudtrails3ListFailed            metric.Int64Counter
	ReceiverCloudtrails3ObjectsFailed         metric.Int64Counter
	ReceiverCloudtrails3ObjectsInFlight       metric.Int64UpDownCounter
	ReceiverCloudtrails3ObjectsProcessed      metric.Int64Counter
	ReceiverCloudtrails3ObjectsSkipped        metric.Int64Counter
	ReceiverCloudtrails3RecordsEmitted        metric.Int64Counter
	ReceiverCloudtrails3RecordsSkipped        metric.Int64Counter
	ReceiverCloudtrails3RecordsDropped        metric.Int64Counter
	ReceiverCloudtrails3CheckpointFailed      metric.Int64Counter
	ReceiverCloudtrails3IntegrityOutcomes     metric.Int64Counter
	ReceiverCloudtrails3SqsMessages           metric.Int64Counter
	ReceiverCloudtrails3SqsVisibilityExtended metric.Int64Counter
	ReceiverCloudtrails3SqsOldestMessageAge   metric.Float64Gauge
	ReceiverCloudtrails3SqsBacklog            metric.Int64Gauge
}

// TelemetryBuilderOption applies changes to default builder.
type TelemetryBuilderOption interface {
	apply(*TelemetryBuilder)
}

// RegisterReceiverCloudtrails3DeliveryLagCallback sets callback for observable ReceiverCloudtrails3DeliveryLag metric.
func (builder *TelemetryBuilder) RegisterReceiverCloudtrails3DeliveryLagCallback(cb metric.Float64Callback) error {
	return builder.registerFloat64Callback(builder.ReceiverCloudtrails3DeliveryLag, cb)
}

// RegisterReceiverCloudtrails3LastSuccessfulPollCallback sets callback for observable ReceiverCloudtrails3LastSuccessfulPoll metric.
func (builder *TelemetryBuilder) RegisterReceiverCloudtrails3LastSuccessfulPollCallback(cb metric.Float64Callback) error {
	return builder.registerFloat64Callback(builder.ReceiverCloudtrails3LastSuccessfulPoll, cb)
}

// RegisterReceiverCloudtrails3LastDiscoveryCallback sets callback for observable ReceiverCloudtrails3LastDiscovery metric.
func (builder *TelemetryBuilder) RegisterReceiverCloudtrails3LastDiscoveryCallback(cb metric.Float64Callback) error {
	return builder.registerFloat64Callback(builder.ReceiverCloudtrails3LastDiscovery, cb)
}

func (builder *TelemetryBuilder) registerFloat64Callback(inst metric.Float64Observable, cb metric.Float64Callback) error {
	reg, err := builder.meter.RegisterCallback(func(ctx context.Context, o metric.Observer) error {
		cb(ctx, &observerFloat64{inst: inst, obs: o})
		return nil
	}, inst)
	if err != nil {
		return err
	}
	builder.mu.Lock()
	defer builder.mu.Unlock()
	builder.registrations = append(builder.registrations, reg)
	return nil
}

type observerFloat64 struct {
	embedded.Float64Observer
	inst metric.Float64Observable
	obs  metric.Observer
}

func (of *observerFloat64) Observe(value float64, opts ...metric.ObserveOption) {
	of.obs.ObserveFloat64(of.inst, value, opts...)
}

// Shutdown unregister all registered callbacks for async instruments.
func (builder *TelemetryBuilder) Shutdown() {
	builder.mu.Lock()
	defer builder.mu.Unlock()
	for _, reg := range builder.registrations {
		reg.Unregister()
	}
	builder.registrations = nil
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
	builder.ReceiverCloudtrails3BytesRead, err = builder.meter.Int64Counter(
		"otelcol_receiver_cloudtrails3_bytes_read",
		metric.WithDescription("Compressed bytes read from S3 object bodies. [Alpha]"),
		metric.WithUnit("By"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3CheckpointFailed, err = builder.meter.Int64Counter(
		"otelcol_receiver_cloudtrails3_checkpoint_failed",
		metric.WithDescription("Writes of the position to the storage extension that failed (the position is kept in memory and written again with the next object). [Alpha]"),
		metric.WithUnit("{write}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3DeliveryLag, err = builder.meter.Float64ObservableGauge(
		"otelcol_receiver_cloudtrails3_delivery_lag",
		metric.WithDescription("Now minus the file-name (delivery) time of the newest CloudTrail file read, per account and region. [Alpha]"),
		metric.WithUnit("s"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3LastSuccessfulPoll, err = builder.meter.Float64ObservableGauge(
		"otelcol_receiver_cloudtrails3_last_successful_poll",
		metric.WithDescription("Time (Unix seconds) of the last complete listing of each account/region folder; 0 until the first. Alert on time() minus it. [Alpha]"),
		metric.WithUnit("s"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3LastDiscovery, err = builder.meter.Float64ObservableGauge(
		"otelcol_receiver_cloudtrails3_last_successful_discovery",
		metric.WithDescription("Time (Unix seconds) of the last successful discovery of account/region folders under the prefix; 0 until the first (a wrong bucket, prefix or permission shows from the start). [Alpha]"),
		metric.WithUnit("s"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3ListFailed, err = builder.meter.Int64Counter(
		"otelcol_receiver_cloudtrails3_list_failed",
		metric.WithDescription("Failed listings (discovery and polls) after the SDK's retries, by reason (access_denied, no_such_bucket, s3_error). [Alpha]"),
		metric.WithUnit("{listing}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3IntegrityOutcomes, err = builder.meter.Int64Counter(
		"otelcol_receiver_cloudtrails3_integrity_outcomes",
		metric.WithDescription("CloudTrail integrity verdicts on log files and digest files, by kind and verdict. [Alpha]"),
		metric.WithUnit("{outcome}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3ObjectsFailed, err = builder.meter.Int64Counter(
		"otelcol_receiver_cloudtrails3_objects_failed",
		metric.WithDescription("Objects that could not be read, by reason. Transient reasons are retried on the next poll; the others are skipped. [Alpha]"),
		metric.WithUnit("{object}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3ObjectsInFlight, err = builder.meter.Int64UpDownCounter(
		"otelcol_receiver_cloudtrails3_objects_in_flight",
		metric.WithDescription("Objects being read now (from GetObject to the last batch accepted by the pipeline), in both modes. Stuck at workers while nothing is processed means the pipeline or S3 is blocking. [Alpha]"),
		metric.WithUnit("{object}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3ObjectsProcessed, err = builder.meter.Int64Counter(
		"otelcol_receiver_cloudtrails3_objects_processed",
		metric.WithDescription("CloudTrail objects read to the end with every batch accepted by the pipeline. [Alpha]"),
		metric.WithUnit("{object}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3ObjectsSkipped, err = builder.meter.Int64Counter(
		"otelcol_receiver_cloudtrails3_objects_skipped",
		metric.WithDescription("Keys under a CloudTrail prefix that are not trail log files (folders, empty or foreign objects), by reason. [Alpha]"),
		metric.WithUnit("{object}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3RecordsEmitted, err = builder.meter.Int64Counter(
		"otelcol_receiver_cloudtrails3_records_emitted",
		metric.WithDescription("CloudTrail records accepted by the pipeline. [Alpha]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3RecordsSkipped, err = builder.meter.Int64Counter(
		"otelcol_receiver_cloudtrails3_records_skipped",
		metric.WithDescription("Records inside otherwise valid files that the decoder skipped (for example an unparseable eventTime). [Alpha]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3RecordsDropped, err = builder.meter.Int64Counter(
		"otelcol_receiver_cloudtrails3_records_dropped",
		metric.WithDescription("Records that event_selection kept from shipping, by reason (excluded), account and region of the file's folder. They were scanned, never built. [Alpha]"),
		metric.WithUnit("{record}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3SqsMessages, err = builder.meter.Int64Counter(
		"otelcol_receiver_cloudtrails3_sqs_messages",
		metric.WithDescription("SQS messages handled in notification mode, each counted once by what became of it (outcome) and envelope kind. [Alpha]"),
		metric.WithUnit("{message}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3SqsVisibilityExtended, err = builder.meter.Int64Counter(
		"otelcol_receiver_cloudtrails3_sqs_visibility_extended",
		metric.WithDescription("Visibility extensions of SQS messages whose objects were still being read. [Alpha]"),
		metric.WithUnit("{extension}"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3SqsOldestMessageAge, err = builder.meter.Float64Gauge(
		"otelcol_receiver_cloudtrails3_sqs_oldest_message_age",
		metric.WithDescription("How long the oldest message of the last ReceiveMessage waited in the queue (now minus its SentTimestamp); 0 after a receive that returned nothing. [Alpha]"),
		metric.WithUnit("s"),
	)
	errs = errors.Join(errs, err)
	builder.ReceiverCloudtrails3SqsBacklog, err = builder.meter.Int64Gauge(
		"otelcol_receiver_cloudtrails3_sqs_backlog",
		metric.WithDescription("The queue's approximate backlog read with GetQueueAttributes every minute, by state (visible = ApproximateNumberOfMessages, in_flight = ApproximateNumberOfMessagesNotVisible). The same queue on every replica. [Alpha]"),
		metric.WithUnit("{message}"),
	)
	errs = errors.Join(errs, err)
	return &builder, errs
}
