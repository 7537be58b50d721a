// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/benchtest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver/internal/metadata"
)

// BenchmarkFirehoseToLogzio measures the CloudWatch Logs path of CloudTrail inside one process, as
// internal/cloudtrail's BenchmarkDecodeToLogzio measures the S3 path: Firehose requests of 40 gzip subscription
// records of 50 CloudTrail events each (2,000 events, the shipped config's Logz.io request size), through the
// receiver's handler (envelope, base64, gunzip, subscription JSON, CloudTrail decoding) into the real logzio exporter
// (documents, gzip) posting to a listener that discards them. Map bodies against pass_through, at the exporter's
// default gzip level and at level 1. events/cpu-s counts the whole process (receiver, exporter, gzip, HTTP to the
// listener on both sides, GC); the Firehose side is not on the network (httptest recorder).
func BenchmarkFirehoseToLogzio(b *testing.B) {
	const records, eventsPerRecord = 40, 50
	start := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	trail := cloudtrailtest.Records(42, records*eventsPerRecord, "123456789012", "us-east-1", start)
	subscription := make([][]byte, records)
	for i := range subscription {
		subscription[i] = gzipped(b, trailDocument(b, "123456789012", "123456789012", "us-east-1", trail[i*eventsPerRecord:(i+1)*eventsPerRecord], i*eventsPerRecord))
	}
	body := string(firehosetest.Body("bench", subscription...))
	url, wire := benchtest.DiscardListener(b)

	benchtest.RunLogsVariants(b, func(b *testing.B, level int, passThrough bool) {
		cfg := testConfig()
		cfg.CloudTrail.PassThrough = passThrough
		rcv, err := newLogsReceiver(cfg, receivertest.NewNopSettings(metadata.Type), benchtest.LogzioExporter(b, url, level))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = rcv.Shutdown(context.Background()) })
		post := benchPoster(rcv, body)
		wire.Store(0)
		events := 0
		cpuStart := benchtest.ProcessCPUTime()
		b.ResetTimer()
		for b.Loop() {
			post(b)
			events += records * eventsPerRecord
		}
		b.StopTimer()
		cpu := benchtest.ProcessCPUTime() - cpuStart
		b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
		b.ReportMetric(float64(events)/cpu.Seconds(), "events/cpu-s")
		b.ReportMetric(float64(wire.Load())/float64(events), "wire-B/event")
	})
}
