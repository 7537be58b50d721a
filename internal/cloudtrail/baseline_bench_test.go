// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/klauspost/compress/gzip"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/benchtest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

// BenchmarkBaselineEncodingJSON is a reference point on the same machine and data, not a product path: the
// map[string]any approach of contrib's unmarshaler (encoding/json per record, then Map.FromRaw), without
// semantic attributes. Compare its records/cpu-s with BenchmarkDecode/plain.
func BenchmarkBaselineEncodingJSON(b *testing.B) {
	file := cloudtrailtest.File(42, benchRecords, "123456789012", "us-east-1", genStart)
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	var records int64
	cpuStart := benchtest.ProcessCPUTime()
	b.ResetTimer()
	for b.Loop() {
		zr, err := gzip.NewReader(bytes.NewReader(file))
		if err != nil {
			b.Fatal(err)
		}
		dec := json.NewDecoder(zr)
		for _, want := range []json.Token{json.Delim('{'), "Records", json.Delim('[')} {
			if tok, err := dec.Token(); err != nil || tok != want {
				b.Fatalf("unexpected token %v (%v)", tok, err)
			}
		}
		logs := plog.NewLogs()
		lrs := logs.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
		for dec.More() {
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				b.Fatal(err)
			}
			if err := lrs.AppendEmpty().Body().SetEmptyMap().FromRaw(m); err != nil {
				b.Fatal(err)
			}
			records++
			if lrs.Len() == DefaultMaxBatchRecords {
				logs = plog.NewLogs()
				lrs = logs.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
			}
		}
	}
	b.StopTimer()
	cpu := benchtest.ProcessCPUTime() - cpuStart
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(records), "ns/record")
	b.ReportMetric(float64(records)/cpu.Seconds(), "records/cpu-s")
}
