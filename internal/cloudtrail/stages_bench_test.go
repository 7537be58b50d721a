// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/klauspost/compress/gzip"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/benchtest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

// BenchmarkStages splits BenchmarkDecode's work into its stages on the same data, to show where the time goes
// and what the floor of each is:
//   - gunzip: decompression only (klauspost, same reader setup as Decode);
//   - uncompressed: Decode on the plain JSON body (parse + pdata, no gzip);
//   - parse: the tokenizer and tape only, no pdata;
//   - raw-scan: pass_through's strict check of each record in place of parse (see rawscan.go);
//   - gzip/level=N: compressing the plain JSON body again (the Logz.io exporter's work on the same bytes, its
//     documents being each record plus @timestamp and type), at the exporter's level 2 and at level 1;
//   - pdata: building the log records (attributes, body, resources) from records already parsed onto tapes —
//     the cost of pdata itself, which no parser improvement can remove.
//
// gunzip + raw-scan + gzip is the floor of pass_through end to end: what no collector plumbing can go below.
func BenchmarkStages(b *testing.B) {
	file := cloudtrailtest.File(42, benchRecords, "123456789012", "us-east-1", genStart)
	body := cloudtrailtest.Body(42, benchRecords, "123456789012", "us-east-1", genStart)
	records := cloudtrailtest.Records(42, benchRecords, "123456789012", "us-east-1", genStart)

	b.Run("gunzip", func(b *testing.B) {
		var in input
		runStage(b, func() {
			_, chunks, err := in.open(bytes.NewReader(file))
			if err != nil {
				b.Fatal(err)
			}
			for {
				if _, err := chunks.Next(); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	for _, opts := range []Options{{}, {SemanticAttributes: true, IncludeObjectKey: true}} {
		b.Run("uncompressed/"+optsName(opts), func(b *testing.B) {
			d := NewDecoder(opts)
			runStage(b, func() {
				if _, err := d.Decode(context.Background(), bytes.NewReader(body), testObject, testObserved, discardLogs); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
	b.Run("parse", func(b *testing.B) {
		s := newDecodeState()
		runStage(b, func() {
			for _, rec := range records {
				parseRecord(b, s, rec)
			}
		})
	})
	b.Run("raw-scan", func(b *testing.B) {
		// What pass_through does instead of parse: the strict check of each record, reading its fields.
		var f eventFields
		var r rawFields
		runStage(b, func() {
			for _, rec := range records {
				if n, err := scanRawRecord(rec, &f, &r, 32700); err != nil || n != len(rec) {
					b.Fatalf("%d, %v", n, err)
				}
			}
		})
	})
	for _, level := range []int{1, 2} {
		b.Run(fmt.Sprintf("gzip/level=%d", level), func(b *testing.B) {
			w, err := gzip.NewWriterLevel(io.Discard, level)
			if err != nil {
				b.Fatal(err)
			}
			runStage(b, func() {
				w.Reset(io.Discard)
				if _, err := w.Write(body); err != nil {
					b.Fatal(err)
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
	for _, opts := range []Options{{}, {SemanticAttributes: true, IncludeObjectKey: true}} {
		b.Run("pdata/"+optsName(opts), func(b *testing.B) {
			// Parsed tapes of the first 1,000 records, used in turn: holding all 20,000 would add ~90 MB of live
			// heap for the garbage collector to mark, which the real decoder (one tape) never has.
			s := newDecodeState()
			tapes := make([][]node, DefaultMaxBatchRecords)
			for i := range tapes {
				parseRecord(b, s, records[i])
				tapes[i] = append([]node(nil), s.tape.nodes...)
			}
			run := decodeRun{ctx: context.Background(), opts: &opts, emit: discardLogs, bucket: testObject.Bucket,
				key: testObject.Key, objectKey: testObject.Bucket + "/" + testObject.Key}
			if opts.MaxBatchRecords <= 0 {
				opts.MaxBatchRecords = DefaultMaxBatchRecords
			}
			runStage(b, func() {
				s.batch.reset()
				for i := range benchRecords {
					s.tape.nodes = tapes[i%len(tapes)]
					s.appendRecord(&run)
					if s.batch.records >= opts.MaxBatchRecords {
						s.batch.reset()
					}
				}
			})
		})
	}
}

func optsName(o Options) string {
	if o.SemanticAttributes {
		return "semconv"
	}
	return "plain"
}

func discardLogs(plog.Logs) error { return nil }

func parseRecord(b testing.TB, s *decodeState, rec []byte) {
	s.reset(bytes.NewReader(rec), nil, 0, func(err error) error { return err })
	if err := s.parseRecord(); err != nil {
		b.Fatal(err)
	}
}

// runStage runs one pass over benchRecords records per iteration and reports per-record figures.
func runStage(b *testing.B, pass func()) {
	b.ReportAllocs()
	cpuStart := benchtest.ProcessCPUTime()
	b.ResetTimer()
	for b.Loop() {
		pass()
	}
	b.StopTimer()
	records := float64(b.N) * benchRecords
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/records, "ns/record")
	b.ReportMetric(records/(benchtest.ProcessCPUTime()-cpuStart).Seconds(), "records/cpu-s")
}
