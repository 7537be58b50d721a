// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBatchFormat: the format a batch reports is the one its first telling record is encoded in, detected with
// format auto and kept when a forced format does not match (so that the request's telemetry names what the stream
// really sends).
func TestBatchFormat(t *testing.T) {
	jsonRec := sampleRecords(t, "json-request.json")[0]
	otel07 := sampleRecords(t, "otel0.7-request.json")[0]
	otel10 := sampleRecords(t, "otel1.0-request.json")[0]
	demo := sampleRecords(t, "demo-data-request.json")[0]
	for _, tc := range []struct {
		name    string
		format  Format
		records [][]byte
		want    Format
	}{
		{"auto json", FormatAuto, [][]byte{jsonRec}, FormatJSON},
		{"auto otel 0.7", FormatAuto, [][]byte{otel07}, FormatOTel07},
		{"auto otel 1.0", FormatAuto, [][]byte{otel10}, FormatOTel10},
		{"auto demo record", FormatAuto, [][]byte{demo}, FormatJSON},
		{"forced 1.0 reading a 0.7 record", FormatOTel10, [][]byte{otel07}, FormatOTel07},
		{"forced 1.0 reading a JSON record", FormatOTel10, [][]byte{jsonRec}, FormatJSON},
		{"forced json reading an OpenTelemetry record", FormatJSON, [][]byte{otel10}, ""},
		{"malformed JSON record", FormatAuto, [][]byte{[]byte(`{"metric_stream_name": oops`)}, FormatJSON},
		{"empty records only", FormatAuto, [][]byte{[]byte(""), []byte(" \n")}, ""},
		{"the first telling record decides", FormatAuto, [][]byte{[]byte(""), otel10, jsonRec}, FormatOTel10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := NewDecoder(Options{Format: tc.format})
			require.NoError(t, err)
			b := d.NewBatch(nil)
			for _, rec := range tc.records {
				_ = b.AddRecord(rec) // errors are part of some cases
			}
			assert.Equal(t, tc.want, b.Format())
		})
	}
}
