// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/benchtest"
)

// logzio is the real logzio exporter (no queue, no retries, no compression) in front of a stand-in listener that
// keeps every line it receives, in order: the Logz.io documents a decode produces.
type logzio struct {
	exp   exporter.Logs
	mu    sync.Mutex
	lines []string
}

func newLogzio(t testing.TB) *logzio {
	t.Helper()
	l := &logzio{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		sc := bufio.NewScanner(bytes.NewReader(body))
		sc.Buffer(nil, 1<<20)
		l.mu.Lock()
		for sc.Scan() {
			l.lines = append(l.lines, sc.Text())
		}
		l.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)

	l.exp = benchtest.LogzioExporter(t, srv.URL, -1)
	return l
}

// ship sends one batch and returns the documents it became.
func (l *logzio) ship(t testing.TB, ld plog.Logs) []string {
	t.Helper()
	l.mu.Lock()
	l.lines = l.lines[:0]
	l.mu.Unlock()
	require.NoError(t, l.exp.ConsumeLogs(context.Background(), ld))
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// decoded is what one Decode produced, shipped through the exporter.
type decoded struct {
	docs    []string
	stats   Stats
	err     error
	records int // log records emitted
	passed  int // of which with a pass-through (string) body
}

// decodeToLogzio decodes data with opts and ships every batch through l, as the receiver and the exporter do.
func decodeToLogzio(t testing.TB, l *logzio, opts Options, r io.Reader) decoded {
	t.Helper()
	var out decoded
	out.stats, out.err = NewDecoder(opts).Decode(context.Background(), r, testObject, testObserved, func(ld plog.Logs) error {
		for _, rec := range flatten([]plog.Logs{ld}) {
			out.records++
			if rec.record.Body().Str() != "" {
				out.passed++
			}
		}
		out.docs = append(out.docs, l.ship(t, ld)...)
		return nil
	})
	if out.err != nil && !errors.Is(out.err, ErrCorrupt) && !errors.Is(out.err, ErrTooLarge) {
		t.Fatalf("unexpected error kind: %v", out.err)
	}
	return out
}

// requireSameDocuments decodes data with and without pass-through and requires the same documents, byte for byte
// and in order, the same stats and the same error. It returns the pass-through run.
func requireSameDocuments(t testing.TB, l *logzio, opts Options, data []byte) decoded {
	t.Helper()
	opts.PassThrough = false
	want := decodeToLogzio(t, l, opts, bytes.NewReader(data))
	opts.PassThrough = true
	got := decodeToLogzio(t, l, opts, bytes.NewReader(data))
	require.Equal(t, want.stats, got.stats)
	require.Equal(t, want.err, got.err)
	require.Equal(t, want.records, got.records)
	require.Len(t, got.docs, len(want.docs))
	for i := range want.docs {
		require.Equal(t, want.docs[i], got.docs[i], "document %d", i)
	}
	require.Zero(t, want.passed, "without pass-through every body is a map")
	// The same data gzipped: the decoder reads it in the decompressor's own chunks (scanner.chunks), lending them to
	// the bodies, instead of through its read buffer.
	if len(data) == 0 || bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		return got // gzip already; or empty, which gzipped is an empty body rather than an empty object
	}
	zipped := decodeToLogzio(t, l, opts, bytes.NewReader(gzipBytes(t, data)))
	require.Equal(t, got.stats, zipped.stats)
	require.Equal(t, got.err, zipped.err)
	require.Equal(t, got.records, zipped.records)
	require.Equal(t, got.docs, zipped.docs)
	return got
}
