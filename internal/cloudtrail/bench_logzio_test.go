// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"context"
	"testing"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/benchtest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

// BenchmarkDecodeToLogzio measures the CloudTrail path inside one process, without S3 and the collector's queue:
// the 20,000-record gzip file decoded in batches of 2,000 (the shipped config's request size), each batch turned
// into Logz.io documents by the real logzio exporter, gzipped and posted to a listener that discards them. The map
// path (pass_through off) against pass-through, at the exporter's default gzip level and at level 1. records/cpu-s
// counts the whole process (decoder, exporter, gzip, HTTP on both sides, GC).
func BenchmarkDecodeToLogzio(b *testing.B) {
	file := cloudtrailtest.File(42, benchRecords, "123456789012", "us-east-1", genStart)
	url, wire := benchtest.DiscardListener(b)
	benchtest.RunLogsVariants(b, func(b *testing.B, level int, passThrough bool) {
		exp := benchtest.LogzioExporter(b, url, level)
		d := NewDecoder(Options{MaxBatchRecords: 2000, MaxValueBytes: 32700, PassThrough: passThrough})
		ship := func(ld plog.Logs) error { return exp.ConsumeLogs(context.Background(), ld) }
		wire.Store(0)
		sum, cpu := decodeLoop(b, d, file, ship)
		records := sum.Records
		b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
		b.ReportMetric(float64(records)/cpu.Seconds(), "records/cpu-s")
		b.ReportMetric(float64(wire.Load())/float64(records), "wire-B/record")
	})
}
