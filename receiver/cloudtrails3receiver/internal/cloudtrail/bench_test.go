// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"context"
	"syscall"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/ctgen"
)

const benchRecords = 20000

// BenchmarkDecode measures gzip bytes → pdata for a realistic file of 20,000 records (~28 MB uncompressed,
// ~3.8 MB gzip), without and with semantic attributes.
func BenchmarkDecode(b *testing.B) {
	file := ctgen.File(42, benchRecords, "123456789012", "us-east-1", genStart)
	for _, bc := range []struct {
		name string
		opts Options
	}{
		{"plain", Options{}},
		{"semconv", Options{SemanticAttributes: true, IncludeObjectKey: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			d := NewDecoder(bc.opts)
			b.SetBytes(int64(len(file)))
			b.ReportAllocs()
			var records int64
			cpuStart := processCPUTime()
			b.ResetTimer()
			for b.Loop() {
				st, err := d.Decode(context.Background(), bytes.NewReader(file), testObject, testObserved, func(plog.Logs) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
				records += st.Records
			}
			b.StopTimer()
			cpu := processCPUTime() - cpuStart
			b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(records), "ns/record")
			// On a shared machine wall time includes waiting for a CPU; CPU time (all threads, GC included) does not.
			b.ReportMetric(float64(records)/cpu.Seconds(), "records/cpu-s")
			b.ReportMetric(float64(b.N)*float64(len(file))/float64(records), "gzip-B/record")
		})
	}
}

// processCPUTime is the user+system CPU time consumed by this process so far.
func processCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
