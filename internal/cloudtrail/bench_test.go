// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/benchtest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

const benchRecords = 20000

// BenchmarkDecode measures gzip bytes → pdata for a realistic file of 20,000 records (~28 MB uncompressed,
// ~3.8 MB gzip), without and with semantic attributes.
func BenchmarkDecode(b *testing.B) {
	file := cloudtrailtest.File(42, benchRecords, "123456789012", "us-east-1", genStart)
	for _, bc := range []struct {
		name string
		opts Options
	}{
		{"plain", Options{}},
		{"semconv", Options{SemanticAttributes: true, IncludeObjectKey: true}},
		{"pass-through", Options{PassThrough: true, MaxValueBytes: 32700}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			d := NewDecoder(bc.opts)
			b.SetBytes(int64(len(file)))
			b.ReportAllocs()
			sum, cpu := decodeLoop(b, d, file, discardLogs)
			records := sum.Records
			b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(records), "ns/record")
			// On a shared machine wall time includes waiting for a CPU; CPU time (all threads, GC included) does not.
			b.ReportMetric(float64(records)/cpu.Seconds(), "records/cpu-s")
			b.ReportMetric(float64(b.N)*float64(len(file))/float64(records), "gzip-B/record")
		})
	}
}

// BenchmarkSelection measures the decoder's cost per input record (gzip bytes → pdata) on the same file without
// event selection and with a rule set that drops about 70% of the records (the read-only calls, EC2, IAM and CloudTrail):
// a dropped record is walked by the field scan and never parsed or built.
func BenchmarkSelection(b *testing.B) {
	file := cloudtrailtest.File(42, benchRecords, "123456789012", "us-east-1", genStart)
	drop70, err := NewSelector(SelectionConfig{Exclude: []EventRule{
		{ReadOnly: boolPtr(true)},
		{EventSource: []string{"ec2.amazonaws.com", "iam.amazonaws.com", "cloudtrail.amazonaws.com"}},
	}})
	if err != nil {
		b.Fatal(err)
	}
	keepAll, err := NewSelector(SelectionConfig{Exclude: []EventRule{{EventName: []string{"NoSuchEvent"}}}})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		sel  *Selector
	}{{"no-rules", nil}, {"rules-keep-all", keepAll}, {"rules-drop-70pct", drop70}} {
		b.Run(bc.name, func(b *testing.B) {
			d := NewDecoder(Options{Selection: bc.sel})
			b.ReportAllocs()
			sum, cpu := decodeLoop(b, d, file, discardLogs)
			input, dropped := sum.Records+sum.DroppedRecords, sum.DroppedRecords
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(input), "ns/input-record")
			b.ReportMetric(float64(input)/cpu.Seconds(), "input-records/cpu-s")
			b.ReportMetric(100*float64(dropped)/float64(input), "%dropped")
		})
	}
}

// decodeLoop decodes file with d once per benchmark iteration, handing the batches to emit, and returns the records
// and dropped records of all iterations with the process CPU time (all threads, GC included) they took.
func decodeLoop(b *testing.B, d *Decoder, file []byte, emit func(plog.Logs) error) (Stats, time.Duration) {
	b.Helper()
	var sum Stats
	cpuStart := benchtest.ProcessCPUTime()
	b.ResetTimer()
	for b.Loop() {
		st, err := d.Decode(context.Background(), bytes.NewReader(file), testObject, testObserved, emit)
		if err != nil {
			b.Fatal(err)
		}
		sum.Records += st.Records
		sum.DroppedRecords += st.DroppedRecords
	}
	b.StopTimer()
	return sum, benchtest.ProcessCPUTime() - cpuStart
}
