// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver/internal/metadata"
)

const obsreportFormat = "firehose"

// logsBatches makes the firehosehttp.Batch of each request: its records decoded into one plog.Logs, consumed in one
// ConsumeLogs call.
type logsBatches struct {
	cfg       *Config
	decoder   messageDecoder
	next      consumer.Logs
	obsrecv   *receiverhelper.ObsReport
	telemetry *metadata.TelemetryBuilder
	version   string // the collector's version, as the instrumentation scope's
	now       func() time.Time
}

// newBatch starts a request's batch. The common attributes are not used: CloudWatch Logs says where each record
// comes from.
func (l *logsBatches) newBatch(map[string]string) firehosehttp.Batch {
	out := newLogsBuilder(metadata.ScopeName, l.version, pcommon.NewTimestampFromTime(l.now()))
	return &logsBatch{batches: l, out: out, records: newRecordDecoder(l.cfg, l.decoder, out)}
}

type logsBatch struct {
	batches *logsBatches
	out     *logsBuilder
	records *recordDecoder
}

func (b *logsBatch) AddRecord(data []byte) error {
	return b.records.add(data)
}

// Format is subscription or messages, as the first record that told it was read.
func (b *logsBatch) Format() string {
	return string(b.records.detected)
}

// Consume hands the request's log records to the pipeline (none when it held only control messages) and counts
// them once it accepted them.
func (b *logsBatch) Consume(ctx context.Context) error {
	l := b.batches
	logs := b.out.finish()
	count := logs.LogRecordCount()
	if count > 0 {
		opCtx := l.obsrecv.StartLogsOp(ctx)
		err := l.next.ConsumeLogs(opCtx, logs)
		l.obsrecv.EndLogsOp(opCtx, obsreportFormat, count, err)
		if err != nil {
			return err
		}
	}
	l.telemetry.ReceiverFirehoselogsRecords.Add(ctx, int64(b.records.records))
	l.telemetry.ReceiverFirehoselogsLogRecords.Add(ctx, int64(count))
	if b.records.controlMessages > 0 {
		l.telemetry.ReceiverFirehoselogsControlMessages.Add(ctx, int64(b.records.controlMessages))
	}
	if b.out.excluded > 0 {
		l.telemetry.ReceiverFirehoselogsRecordsDropped.Add(ctx, int64(b.out.excluded), metric.WithAttributes(attribute.String("reason", "excluded")))
	}
	return nil
}
