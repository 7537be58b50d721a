// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver"

import (
	"context"

	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metadata"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream"
)

const obsreportFormat = "firehose"

// metricsBatches makes the firehosehttp.Batch of each request: the metric-stream records decoded into one
// pmetric.Metrics, enriched with resource tags when configured, consumed in one ConsumeMetrics call.
type metricsBatches struct {
	decoder   *metricstream.Decoder
	next      consumer.Metrics
	obsrecv   *receiverhelper.ObsReport
	telemetry *metadata.TelemetryBuilder
	enrich    func(pmetric.Metrics) int // nil unless resource_tags.enrich; set before the server starts
}

func (m *metricsBatches) newBatch(commonAttributes map[string]string) firehosehttp.Batch {
	return &metricsBatch{batches: m, batch: m.decoder.NewBatch(commonAttributes)}
}

type metricsBatch struct {
	batches *metricsBatches
	batch   *metricstream.Batch
}

func (b *metricsBatch) AddRecord(data []byte) error {
	return b.batch.AddRecord(data)
}

// Format is the stream output format of the request's records — json, opentelemetry0.7 or opentelemetry1.0, as the
// decoder read them (detected per record with format: auto). A metric stream sends one format, so the first record
// that tells it speaks for the request.
func (b *metricsBatch) Format() string {
	return string(b.batch.Format())
}

// Consume hands the request's metrics to the pipeline (none when every data point was filtered out) and counts them
// once it accepted them.
func (b *metricsBatch) Consume(ctx context.Context) error {
	m := b.batches
	stats := b.batch.Stats()
	md := b.batch.Metrics()
	enriched := 0
	if m.enrich != nil {
		enriched = m.enrich(md)
	}
	if points := md.DataPointCount(); points > 0 {
		opCtx := m.obsrecv.StartMetricsOp(ctx)
		err := m.next.ConsumeMetrics(opCtx, md)
		m.obsrecv.EndMetricsOp(opCtx, obsreportFormat, points, err)
		if err != nil {
			return err
		}
	}
	m.telemetry.ReceiverFirehosemetricsRecords.Add(ctx, int64(stats.Records))
	m.telemetry.ReceiverFirehosemetricsDataPoints.Add(ctx, int64(stats.DataPoints))
	for namespace, dropped := range b.batch.DroppedNamespaces() {
		m.telemetry.ReceiverFirehosemetricsDataPointsDropped.Add(ctx, int64(dropped), metric.WithAttributes(attribute.String("namespace", namespace)))
	}
	m.telemetry.ReceiverFirehosemetricsDemoRecords.Add(ctx, int64(stats.DemoRecords))
	if enriched > 0 {
		m.telemetry.ReceiverFirehosemetricsEnrichedDataPoints.Add(ctx, int64(enriched))
	}
	return nil
}
