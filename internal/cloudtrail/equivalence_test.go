// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

var genStart = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// TestBodiesMatchEncodingJSON checks every body against encoding/json's reading of the same record: member order,
// integer vs double, booleans, nulls, nested maps and slices, escapes and UTF-8. Reading one byte at a time
// puts every token across a buffer boundary.
func TestBodiesMatchEncodingJSON(t *testing.T) {
	body := cloudtrailtest.Body(7, 3000, "123456789012", "eu-west-1", genStart)
	want := recordsOf(t, body)
	file := gzipBytes(t, body)
	var pretty bytes.Buffer
	require.NoError(t, jsonIndent(&pretty, body))
	readers := map[string]func() io.Reader{
		"gzip":               func() io.Reader { return bytes.NewReader(file) },
		"plain":              func() io.Reader { return bytes.NewReader(body) },
		"pretty-printed":     func() io.Reader { return bytes.NewReader(pretty.Bytes()) },
		"gzip, byte by byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(file)) },
	}
	for name, src := range readers {
		t.Run(name, func(t *testing.T) {
			batches, st, err := decodeAll(t, Options{MaxBatchRecords: 700}, src())
			require.NoError(t, err)
			require.Equal(t, int64(len(want)), st.Records)
			require.Zero(t, st.SkippedRecords)
			got := flatten(batches)
			require.Len(t, got, len(want))
			// Records keep file order (one account and region here, so one resource per batch).
			for i, rec := range got {
				require.Equal(t, orderedFromJSON(t, want[i]), orderedFromValue(rec.record.Body()), "record %d", i)
			}
		})
	}
}
