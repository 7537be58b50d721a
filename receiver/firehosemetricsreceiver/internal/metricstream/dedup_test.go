// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream/metricstreamtest"
)

// jsonLines returns the lines of a JSON record (without their newlines).
func jsonLines(rec []byte) [][]byte {
	return bytes.Split(bytes.TrimRight(rec, "\n"), []byte("\n"))
}

func joinLines(lines ...[]byte) []byte {
	return append(bytes.Join(lines, []byte("\n")), '\n')
}

func TestJSONDuplicateLinesAreDecodedOnce(t *testing.T) {
	metrics := equivalenceMetrics()
	once := metricstreamtest.JSONRecord(testResource, metrics)
	lines := jsonLines(once)
	require.Len(t, lines, len(metrics))
	for _, naming := range []Naming{NamingLogzio, NamingOTel} {
		want, wantStats := decodeRecords(t, Options{Naming: naming}, once)
		// A line repeated inside a record (also with other whitespace around it), and a record repeated verbatim.
		repeated := joinLines(append([]byte(" \t"), lines[0]...), lines[1], append(append([]byte{}, lines[0]...), '\r'))
		got, stats := decodeRecords(t, Options{Naming: naming}, once, repeated, once)
		assert.Equal(t, Stats{Records: 3, DataPoints: wantStats.DataPoints, DuplicateLines: len(lines) + 3}, stats)
		assert.Equal(t, want.DataPointCount(), got.DataPointCount())
		if naming == NamingLogzio {
			assert.Equal(t, promSeries(want), promSeries(got))
		} else {
			assert.Equal(t, otelSummaries(want), otelSummaries(got))
		}
	}
}

func TestJSONLinesDifferingInValueOrTimestampAreKept(t *testing.T) {
	metrics := equivalenceMetrics()[:1]
	base := jsonLines(metricstreamtest.JSONRecord(testResource, metrics))[0]
	otherValue := metrics[0]
	otherValue.Sum++
	otherTime := metrics[0]
	otherTime.Timestamp = otherTime.Timestamp.Add(time.Minute)
	lines := [][]byte{
		base,
		jsonLines(metricstreamtest.JSONRecord(testResource, []metricstreamtest.Metric{otherValue}))[0],
		jsonLines(metricstreamtest.JSONRecord(testResource, []metricstreamtest.Metric{otherTime}))[0],
	}
	require.NotEqual(t, string(lines[0]), string(lines[1]))
	require.NotEqual(t, string(lines[0]), string(lines[2]))
	md, stats := decodeRecords(t, Options{Naming: NamingOTel}, joinLines(lines...), joinLines(lines[1], lines[2]))
	assert.Equal(t, Stats{Records: 2, DataPoints: 3, DuplicateLines: 2}, stats)
	assert.Equal(t, 3, md.DataPointCount())
	sums := otelSummaries(md)
	assert.Len(t, sums, 3)
}

func TestOTelDuplicateRecordsAreDecodedOnce(t *testing.T) {
	metrics := equivalenceMetrics()
	for _, tc := range []struct {
		format Format
		rec    []byte
	}{
		{FormatOTel07, metricstreamtest.OTel07Record(testResource, metrics)},
		{FormatOTel10, metricstreamtest.OTel10Record(testResource, metrics)},
		{FormatAuto, metricstreamtest.OTel07Record(testResource, metrics)},
		{FormatAuto, metricstreamtest.OTel10Record(testResource, metrics)},
	} {
		t.Run(string(tc.format), func(t *testing.T) {
			want, wantStats := decodeRecords(t, Options{Format: tc.format}, tc.rec)
			other := metricstreamtest.OTel10Record(testResource, metrics[:1])
			if tc.format == FormatOTel07 {
				other = metricstreamtest.OTel07Record(testResource, metrics[:1])
			}
			// The same points in another record (different bytes) are not a duplicate record.
			got, stats := decodeRecords(t, Options{Format: tc.format}, tc.rec, bytes.Clone(tc.rec), other, tc.rec)
			assert.Equal(t, Stats{Records: 2, DataPoints: wantStats.DataPoints + 1, DuplicateRecords: 2}, stats)
			wantOther, _ := decodeRecords(t, Options{Format: tc.format}, other)
			assert.Equal(t, want.DataPointCount()+wantOther.DataPointCount(), got.DataPointCount())
		})
	}
}

// A rejected record leaves the batch unchanged, its lines included: the same lines in a later record are decoded.
func TestRejectedRecordLinesAreForgotten(t *testing.T) {
	rec := metricstreamtest.JSONRecord(testResource, equivalenceMetrics())
	d, err := NewDecoder(Options{Format: FormatOTel10})
	require.NoError(t, err)
	b := d.NewBatch(nil)
	require.ErrorIs(t, b.AddRecord(rec), ErrMalformed)
	assert.Zero(t, b.seenLines.live())
	assert.Zero(t, b.seenRecords.live())

	d, err = NewDecoder(Options{})
	require.NoError(t, err)
	b = d.NewBatch(nil)
	require.ErrorIs(t, b.AddRecord([]byte("{not json\n")), ErrMalformed)
	require.NoError(t, b.AddRecord(rec))
	assert.Equal(t, len(jsonLines(rec)), b.Stats().DataPoints)
	// Another batch (request) decodes the same lines again.
	b = d.NewBatch(nil)
	require.NoError(t, b.AddRecord(rec))
	assert.Equal(t, len(jsonLines(rec)), b.Stats().DataPoints)
	assert.Zero(t, b.Stats().DuplicateLines)
}

// A record made only of lines seen before is a good record that adds nothing, not a malformed or demo one.
func TestJSONRecordOfDuplicateLinesOnly(t *testing.T) {
	rec := metricstreamtest.JSONRecord(testResource, equivalenceMetrics()[:2])
	demo := `{"TICKER_SYMBOL":"QXZ","SECTOR":"HEALTHCARE","CHANGE":-0.05,"PRICE":84.51}`
	for _, format := range []Format{FormatJSON, FormatAuto} {
		_, stats := decodeRecords(t, Options{Format: format}, rec, rec, append([]byte(demo+"\n"), rec...))
		assert.Equal(t, Stats{Records: 3, DataPoints: 2, DuplicateLines: 4}, stats, format)
	}
}

// The records of each sample request, all repeated in the same request, give the sample's data points once.
func TestSampleRequestWithRepeatedRecords(t *testing.T) {
	for _, name := range []string{"otel1.0-request.json", "otel0.7-request.json", "json-request.json"} {
		t.Run(name, func(t *testing.T) {
			records := sampleRecords(t, name)
			want, wantStats := decodeRecords(t, Options{}, records...)
			got, stats := decodeRecords(t, Options{}, append(append(records, records...), records[0])...)
			assert.Equal(t, wantStats.DataPoints, stats.DataPoints)
			assert.Equal(t, promSeries(want), promSeries(got))
			assert.Positive(t, stats.DuplicateLines+stats.DuplicateRecords)
		})
	}
}

func TestHashSet(t *testing.T) {
	var s hashSet
	s.remove(5) // empty set
	const n = 5000
	for i := range uint64(n) {
		h := i * 0x9E3779B97F4A7C15 // spread, and 0 included
		require.True(t, s.add(h), i)
		require.False(t, s.add(h), i)
	}
	assert.Equal(t, n, s.live())
	assert.False(t, s.add(2), "0 and 2 share a slot value")
	for i := uint64(0); i < n; i += 2 {
		s.remove(i * 0x9E3779B97F4A7C15)
	}
	assert.Equal(t, n/2, s.live())
	for i := range uint64(n) {
		assert.Equal(t, i%2 == 0, s.add(i*0x9E3779B97F4A7C15), i)
	}
	// Deleted slots are reclaimed: adding and removing forever does not grow the table without bound.
	size := len(s.slots)
	for i := range uint64(100_000) {
		h := (i + n) * 0x9E3779B97F4A7C15
		require.True(t, s.add(h))
		s.remove(h)
	}
	assert.LessOrEqual(t, len(s.slots), 2*size)
	assert.Equal(t, n, s.live())
}
