// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package integrity

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

var genStart = time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC)

func TestHasherMatchesContentHash(t *testing.T) {
	l := makeLog(7, genStart)
	assert.Equal(t, l.sha256, hashLog(t, l))

	// As an io.Writer fed in small chunks, and reused after Reset.
	h := NewHasher()
	h.Write([]byte("stale"))
	h.Reset()
	zr, err := gzip.NewReader(bytes.NewReader(l.gz))
	require.NoError(t, err)
	n, err := io.CopyBuffer(h, zr, make([]byte, 7))
	require.NoError(t, err)
	assert.Equal(t, l.sha256, h.Sum())
	assert.Equal(t, n, h.Len())
	assert.Equal(t, int64(len(cloudtrailtest.Body(7, 5, testAccount, testRegion, genStart))), h.Len())
}

// BenchmarkHash measures the extra CPU of hashing the decompressed content of a multi-MB CloudTrail body, to
// compare with BenchmarkDecode in ../cloudtrail (same cloudtrailtest body, 20000 records).
func BenchmarkHash(b *testing.B) {
	body := cloudtrailtest.Body(42, 20000, "123456789012", "us-east-1", genStart)
	h := NewHasher()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		h.Reset()
		_, _ = io.Copy(io.Discard, h.Reader(bytes.NewReader(body)))
		_ = h.Sum()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(float64(len(body))/(1<<20)), "ns/MB")
}
