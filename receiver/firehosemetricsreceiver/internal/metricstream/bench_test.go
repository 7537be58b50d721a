// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream/metricstreamtest"
)

// benchRequest is a realistic Firehose request: 4 records of 250 data points each, every metric with 3 dimensions,
// several namespaces and the default statistics (min, max, sum, count).
const (
	benchRecords         = 4
	benchPointsPerRecord = 250
)

func benchRecordsFor(format Format) [][]byte {
	var out [][]byte
	for r := range benchRecords {
		metrics := metricstreamtest.Generate(metricstreamtest.Options{
			Metrics:    benchPointsPerRecord,
			Namespaces: []string{"AWS/EC2", "AWS/EBS", "AWS/Lambda", "AWS/ApplicationELB"},
			Dimensions: 3,
			Seed:       uint64(r),
		})
		// Distinct resource ids per record.
		for i := range metrics {
			for j := range metrics[i].Dimensions {
				metrics[i].Dimensions[j].Value += fmt.Sprintf("-%d", r)
			}
		}
		switch format {
		case FormatJSON:
			out = append(out, metricstreamtest.JSONRecord(testResource, metrics))
		case FormatOTel07:
			out = append(out, metricstreamtest.OTel07Record(testResource, metrics))
		default:
			out = append(out, metricstreamtest.OTel10Record(testResource, metrics))
		}
	}
	return out
}

func BenchmarkDecode(b *testing.B) {
	for _, format := range []Format{FormatJSON, FormatOTel07, FormatOTel10} {
		for _, naming := range []Naming{NamingLogzio, NamingOTel} {
			b.Run(fmt.Sprintf("format=%s/naming=%s", format, naming), func(b *testing.B) {
				records := benchRecordsFor(format)
				size := 0
				for _, r := range records {
					size += len(r)
				}
				d, err := NewDecoder(Options{Naming: naming})
				if err != nil {
					b.Fatal(err)
				}
				points := benchRecords * benchPointsPerRecord
				b.SetBytes(int64(size))
				meter := startPerPointMeter(b)
				for b.Loop() {
					batch := d.NewBatch(map[string]string{"P8S_LOGZIO_NAME": "bench"})
					for _, r := range records {
						if err := batch.AddRecord(r); err != nil {
							b.Fatal(err)
						}
					}
					if batch.Stats().DataPoints != points {
						b.Fatalf("decoded %d data points, want %d", batch.Stats().DataPoints, points)
					}
				}
				meter.report(b, points)
			})
		}
	}
}

// perPointMeter reports a benchmark's cost per CloudWatch data point. Wall time is meaningless on a loaded machine;
// the process CPU time (all threads, GC included) gives the cost per core, and the process's malloc count the
// allocations per data point.
type perPointMeter struct {
	cpu     time.Duration
	mallocs uint64
}

// startPerPointMeter resets the benchmark timer and starts measuring.
func startPerPointMeter(b *testing.B) perPointMeter {
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m := perPointMeter{cpu: processCPU(b), mallocs: ms.Mallocs}
	b.ResetTimer()
	return m
}

// report stops the timer and reports the figures for b.N iterations of pointsPerOp data points each.
func (m perPointMeter) report(b *testing.B, pointsPerOp int) {
	b.StopTimer()
	cpu := processCPU(b) - m.cpu
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	total := float64(b.N * pointsPerOp)
	b.ReportMetric(total/cpu.Seconds(), "datapoints/cpu-s")
	b.ReportMetric(float64(cpu.Nanoseconds())/total, "cpu-ns/datapoint")
	b.ReportMetric(float64(ms.Mallocs-m.mallocs)/total, "allocs/datapoint")
}

// processCPU returns the user and system CPU time of the process.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDecodeOnly measures the format decoders alone (records into the normalised model, no pdata), which is
// the part of the cost this package controls; the rest is pdata allocation.
func BenchmarkDecodeOnly(b *testing.B) {
	for _, format := range []Format{FormatJSON, FormatOTel07, FormatOTel10} {
		b.Run("format="+string(format), func(b *testing.B) {
			records := benchRecordsFor(format)
			d, err := NewDecoder(Options{Format: format})
			if err != nil {
				b.Fatal(err)
			}
			batch := d.NewBatch(nil)
			batch.rec = &record{}
			points := benchRecords * benchPointsPerRecord
			meter := startPerPointMeter(b)
			for b.Loop() {
				batch.seenLines, batch.seenRecords = hashSet{}, hashSet{} // a new request
				n := 0
				for _, r := range records {
					batch.rec.reset()
					if format == FormatJSON {
						_, err = batch.decodeJSON(r)
					} else {
						err = batch.decodeOTel(r, versionOf(format))
					}
					if err != nil {
						b.Fatal(err)
					}
					n += len(batch.rec.points)
				}
				if n != points {
					b.Fatalf("decoded %d data points, want %d", n, points)
				}
			}
			meter.report(b, points)
		})
	}
}

// BenchmarkReferencePdataUnmarshal is a yardstick for the machine the benchmarks run on: pdata's own generated
// protobuf decoder on the same OpenTelemetry 1.0 records (decoding only, no renaming).
func BenchmarkReferencePdataUnmarshal(b *testing.B) {
	records := benchRecordsFor(FormatOTel10)
	points := benchRecords * benchPointsPerRecord
	var u pmetric.ProtoUnmarshaler
	meter := startPerPointMeter(b)
	for b.Loop() {
		for _, r := range records {
			size, n := consumeVarint(r)
			if _, err := u.UnmarshalMetrics(r[n : n+int(size)]); err != nil {
				b.Fatal(err)
			}
		}
	}
	meter.report(b, points)
}
