// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"errors"
	"strings"
	"testing"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream/metricstreamtest"
)

func fuzzSeeds(f *testing.F) {
	for _, name := range []string{"otel1.0-request.json", "otel0.7-request.json", "json-request.json", "demo-data-request.json"} {
		for _, rec := range sampleRecords(f, name) {
			f.Add(rec)
		}
	}
	metrics := equivalenceMetrics()
	f.Add(metricstreamtest.JSONRecord(testResource, metrics))
	f.Add(metricstreamtest.OTel07Record(testResource, metrics))
	f.Add(metricstreamtest.OTel10Record(testResource, metrics))
	f.Add(metricstreamtest.Frame(metricstreamtest.OTelMessage(testResource, metrics[:1], true), metricstreamtest.OTelMessage(testResource, metrics[1:], false)))
}

// fuzzRecord decodes data with both namings and checks the decoder's contract: no panic, errors are ErrMalformed
// and leave the batch unchanged, decoded output has the expected shape.
func fuzzRecord(t *testing.T, format Format, data []byte) {
	for _, naming := range []Naming{NamingLogzio, NamingOTel} {
		d, err := NewDecoder(Options{Format: format, Naming: naming})
		if err != nil {
			t.Fatal(err)
		}
		b := d.NewBatch(map[string]string{"P8S_LOGZIO_NAME": "fuzz"})
		err = b.AddRecord(data)
		stats := b.Stats()
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error is not ErrMalformed: %v", err)
			}
			if b.Metrics().ResourceMetrics().Len() != 0 || stats.DataPoints != 0 || stats.Records != 0 || stats.MalformedRecords != 1 {
				t.Fatalf("malformed record changed the batch: %+v", stats)
			}
			if b.seenLines.live() != 0 || b.seenRecords.live() != 0 {
				t.Fatal("malformed record left hashes in the batch")
			}
			continue
		}
		if naming == NamingLogzio {
			for _, line := range promSeries(b.Metrics()) {
				if strings.HasPrefix(line, "ERROR") {
					t.Fatal(line)
				}
			}
		} else {
			for _, line := range otelSummaries(b.Metrics()) {
				if strings.HasPrefix(line, "ERROR") {
					t.Fatal(line)
				}
			}
		}
		if stats.DataPoints+stats.DroppedByNamespace > 0 && stats.Records != 1 {
			t.Fatalf("data points without a record: %+v", stats)
		}
		// The same record again in the same request adds no data point.
		points := b.Metrics().DataPointCount()
		if err := b.AddRecord(data); err != nil {
			t.Fatalf("record accepted once, refused the second time: %v", err)
		}
		if again := b.Stats(); again.DataPoints != stats.DataPoints || b.Metrics().DataPointCount() != points {
			t.Fatalf("repeated record added data points: %+v then %+v", stats, again)
		}
	}
}

func FuzzJSON(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRecord(t, FormatJSON, data) })
}

func FuzzOTel07(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRecord(t, FormatOTel07, data) })
}

func FuzzOTel10(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRecord(t, FormatOTel10, data) })
}

func FuzzAuto(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRecord(t, FormatAuto, data) })
}
