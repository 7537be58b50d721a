// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/logziotest"
)

func TestSendsCloudTrailDocument(t *testing.T) {
	h := newHarness(t)
	l := logziotest.New(t, logziotest.Options{Tokens: []string{testLogsToken}})
	exp := h.logsExporter(testConfig(l.URL, ""))

	require.NoError(t, h.consumeLogs(exp, cloudTrailLogs(t)))

	entries := l.Entries()
	require.Len(t, entries, 1)
	assert.JSONEq(t, expectedStartLoggingDocument, entries[0].Line)
	assert.NotContains(t, entries[0].Line, "\n")
	assert.NotContains(t, entries[0].Line, ": ", "lines are minified")
	assert.Equal(t, "cloudtrail", entries[0].Type)

	reqs := l.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, testLogsToken, reqs[0].Token)
	assert.Equal(t, "cloudtrail", reqs[0].Type)
	assert.Equal(t, "gzip", reqs[0].ContentEncoding)
	assert.Equal(t, "application/json", reqs[0].ContentType)
	assert.Less(t, reqs[0].CompressedBytes, reqs[0].Bytes)
	assert.NotEmpty(t, reqs[0].UserAgent)
	assertNoViolations(t, l)
	assert.Equal(t, int64(1), h.counter("otelcol_exporter_logzio_requests", map[string]string{"signal": "logs", "status_code": "200"}))
}

func TestCompressionNone(t *testing.T) {
	h := newHarness(t)
	l := logziotest.New(t, logziotest.Options{})
	cfg := testConfig(l.URL, "")
	cfg.ClientConfig.Compression = "none"
	exp := h.logsExporter(cfg)

	require.NoError(t, h.consumeLogs(exp, numberedLogs(5, 10, nil)))
	assertEachSeqOnce(t, l, 5)
	reqs := l.Requests()
	require.Len(t, reqs, 1)
	assert.Empty(t, reqs[0].ContentEncoding)
	assert.Equal(t, reqs[0].Bytes, reqs[0].CompressedBytes)
	assertNoViolations(t, l)
}

func TestGroupsByTypeAndStaysUnderMaxRequestBytes(t *testing.T) {
	h := newHarness(t)
	l := logziotest.New(t, logziotest.Options{})
	cfg := testConfig(l.URL, "")
	cfg.Logs.MaxRequestBytes = 4096
	exp := h.logsExporter(cfg)

	const n = 300
	typeOf := func(i int) string {
		switch i % 3 {
		case 1:
			return "vpcflow"
		case 2:
			return "with space"
		}
		return ""
	}
	require.NoError(t, h.consumeLogs(exp, numberedLogs(n, 100, typeOf)))

	assertEachSeqOnce(t, l, n)
	assertNoViolations(t, l)
	types := map[string]int{}
	for _, e := range l.Entries() {
		types[e.Type]++
		assert.Equal(t, e.Type, e.Doc["type"], "the type field matches the type parameter")
	}
	assert.Equal(t, map[string]int{"cloudtrail": 100, "vpcflow": 100, "with_space": 100}, types)
	reqs := l.Requests()
	assert.Greater(t, len(reqs), 3, "the batch needed several requests")
	for _, r := range reqs {
		assert.LessOrEqual(t, r.Bytes, 4096, "uncompressed body under max_request_bytes")
		assert.Equal(t, http.StatusOK, r.Status)
	}
}

func TestHTTPSListenerWithCAFileAndProxy(t *testing.T) {
	h := newHarness(t)
	l := logziotest.New(t, logziotest.Options{TLS: true})
	var proxied atomic.Int64
	proxy := httptest.NewServer(connectProxy(&proxied))
	defer proxy.Close()

	cfg := testConfig(l.URL, "")
	cfg.ClientConfig.TLS.CAFile = l.CAFile(t)
	cfg.ClientConfig.ProxyURL = proxy.URL
	exp := h.logsExporter(cfg)

	require.NoError(t, h.consumeLogs(exp, numberedLogs(3, 10, nil)))
	assertEachSeqOnce(t, l, 3)
	assert.Positive(t, proxied.Load(), "the request went through proxy_url")
	assert.True(t, strings.HasPrefix(l.URL, "https://"))
}

// connectProxy is a minimal HTTP CONNECT proxy that counts tunnels.
func connectProxy(tunnels *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "only CONNECT", http.StatusMethodNotAllowed)
			return
		}
		upstream, err := net.Dial("tcp", r.Host)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		tunnels.Add(1)
		w.WriteHeader(http.StatusOK)
		client, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			upstream.Close()
			return
		}
		go func() {
			_, _ = io.Copy(upstream, client)
			upstream.Close()
		}()
		_, _ = io.Copy(client, upstream)
		client.Close()
	})
}
