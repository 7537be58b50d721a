// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosetest

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBodyIsAFirehoseRequest(t *testing.T) {
	var req struct {
		RequestID string `json:"requestId"`
		Timestamp int64  `json:"timestamp"`
		Records   []struct {
			Data []byte `json:"data"`
		} `json:"records"`
	}
	require.NoError(t, json.Unmarshal(Body("id-1", []byte("a"), nil, []byte(`"b"`)), &req))
	assert.Equal(t, "id-1", req.RequestID)
	assert.InDelta(t, time.Now().UnixMilli(), req.Timestamp, float64(time.Minute/time.Millisecond))
	require.Len(t, req.Records, 3)
	assert.Equal(t, "a", string(req.Records[0].Data))
	assert.Empty(t, req.Records[1].Data)
	assert.Equal(t, `"b"`, string(req.Records[2].Data))
}

func TestGzipRoundTrips(t *testing.T) {
	zr, err := gzip.NewReader(bytes.NewReader(Gzip(t, []byte("hello"), 6)))
	require.NoError(t, err)
	data, err := io.ReadAll(zr)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(data))
}
