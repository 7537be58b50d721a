// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Hand-written in mdatagen's shape: cmd/mdatagen cannot be built from the Go module proxy at v0.161.0 (it needs
// go.opentelemetry.io/collector/internal/schemagen, refused). internal/metadatacheck checks it against metadata.yaml.

package metadata // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter/internal/metadata"

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
	meter                         metric.Meter
	mu                            sync.Mutex
	registrations                 []metric.Registration
	ExporterLogzioDroppedLogLines metric.Int64Counter
	ExporterLogzioRejectedLines   metric.Int64Counter
	ExporterLogzioRequests        metric.Int64Counter
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
	builder.ExporterLogzioDroppedLogLines, err = builder.meter.Int64Counter(
		"otelcol_exporter_logzio_dropped_log_lines",
		metric.WithDescription("Log records the exporter dropped without sending them, because they could not be made to fit the listener's limits. [Alpha]"),
		metric.WithUnit("{line}"),
	)
	errs = errors.Join(errs, err)
	builder.ExporterLogzioRejectedLines, err = builder.meter.Int64Counter(
		"otelcol_exporter_logzio_rejected_lines",
		metric.WithDescription("Log lines the Logz.io listener rejected in a 400 partial-success answer (malformed, oversized or empty). They are not resent. [Alpha]"),
		metric.WithUnit("{line}"),
	)
	errs = errors.Join(errs, err)
	builder.ExporterLogzioRequests, err = builder.meter.Int64Counter(
		"otelcol_exporter_logzio_requests",
		metric.WithDescription("HTTP requests sent to the Logz.io listeners, by signal and answer (HTTP status code, or \"error\" when no answer was received). [Alpha]"),
		metric.WithUnit("{request}"),
	)
	errs = errors.Join(errs, err)
	return &builder, errs
}
