// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosetest

import (
	"bytes"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/stretchr/testify/require"
)

// Gzip is test support: data gzip-compressed at level (gzip.DefaultCompression, or 1 to 9).
func Gzip(tb testing.TB, data []byte, level int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, level)
	require.NoError(tb, err)
	_, err = zw.Write(data)
	require.NoError(tb, err)
	require.NoError(tb, zw.Close())
	return buf.Bytes()
}
