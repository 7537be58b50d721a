// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumererror"
)

// seenRequest is what a test server keeps of a request it received.
type seenRequest struct {
	path   string
	query  string
	header http.Header
}

// requestRecorder answers every request with answer and remembers it.
type requestRecorder struct {
	mu     sync.Mutex
	seen   []seenRequest
	answer func(w http.ResponseWriter, r *http.Request)
}

func (rr *requestRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rr.mu.Lock()
	rr.seen = append(rr.seen, seenRequest{path: r.URL.Path, query: r.URL.RawQuery, header: r.Header.Clone()})
	rr.mu.Unlock()
	rr.answer(w, r)
}

func (rr *requestRecorder) requests() []seenRequest {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	return append([]seenRequest(nil), rr.seen...)
}

// newRedirectPair starts a target server that accepts everything, and a redirector that answers every request with
// status and a Location on the target that keeps the request's path and query (token included), as a hostile or
// misconfigured host would.
func newRedirectPair(t *testing.T, status int) (redirector, target *requestRecorder, redirectorURL, targetURL string) {
	target = &requestRecorder{answer: func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }}
	targetServer := httptest.NewServer(target)
	t.Cleanup(targetServer.Close)
	redirector = &requestRecorder{answer: func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, targetServer.URL+r.URL.RequestURI(), status)
	}}
	redirectorServer := httptest.NewServer(redirector)
	t.Cleanup(redirectorServer.Close)
	return redirector, target, redirectorServer.URL, targetServer.URL
}

// assertNoTokenIn fails when a recorded request carries a token anywhere: query, Referer, Authorization, any header.
func assertNoTokenIn(t *testing.T, requests []seenRequest) {
	t.Helper()
	for _, r := range requests {
		texts := []string{r.path, r.query}
		for name, values := range r.header {
			texts = append(texts, name+": "+strings.Join(values, ", "))
		}
		for _, text := range texts {
			for _, token := range []string{testLogsToken, testMetricsToken} {
				assert.NotContains(t, text, token, "a redirect target received a token")
			}
		}
	}
}

func hostOf(t *testing.T, rawURL string) string {
	u, err := url.Parse(rawURL)
	require.NoError(t, err)
	return u.Host
}

// A redirect from the log listener is never followed: the target gets no request (so neither the records nor the
// token in the query or in a Referer), the batch fails permanently with an error naming the target host and the
// setting to fix, and the explanation is logged once however many batches fail.
func TestLogsRedirectIsNeverFollowed(t *testing.T) {
	for _, status := range []int{301, 302, 303, 307, 308} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			h := newHarness(t)
			redirector, target, redirectorURL, targetURL := newRedirectPair(t, status)
			exp := h.logsExporter(testConfig(redirectorURL+"/bulk", ""))

			for range 2 {
				err := h.consumeLogs(exp, numberedLogs(3, 10, nil))
				require.Error(t, err)
				assert.True(t, consumererror.IsPermanent(err), "a redirect is a configuration error, not retried")
				assert.ErrorContains(t, err, fmt.Sprintf("HTTP %d", status))
				assert.ErrorContains(t, err, strconv.Quote(hostOf(t, targetURL)))
				assert.ErrorContains(t, err, "logs.endpoint")
				assert.NotContains(t, err.Error(), "/bulk", "only the host of the Location is named")
			}

			assert.Empty(t, target.requests(), "the redirect target must receive nothing")
			assertNoTokenIn(t, target.requests())
			assert.Len(t, redirector.requests(), 2, "one request per batch, no retry")
			assert.Len(t, h.logged("answered with a redirect"), 1, "logged once per exporter")
			assert.Equal(t, int64(6), h.counter("otelcol_exporter_send_failed_log_records", nil))
			assert.Zero(t, h.counter("otelcol_exporter_sent_log_records", nil), "nothing is counted delivered")
		})
	}
}

// A Location whose host carries the token (a hostile listener echoing it) is masked in the error and the log.
func TestRedirectLocationEchoingTheTokenIsMasked(t *testing.T) {
	h := newHarness(t)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := r.URL.Query().Get("token")
		w.Header().Set("Location", "https://"+token+".attacker.example/?token="+token)
		w.WriteHeader(http.StatusTemporaryRedirect)
	}))
	t.Cleanup(server.Close)
	exp := h.logsExporter(testConfig(server.URL, ""))

	err := h.consumeLogs(exp, numberedLogs(1, 10, nil))
	require.Error(t, err)
	assert.ErrorContains(t, err, `host "REDACTED.attacker.example"`)
	assert.Len(t, h.logged("answered with a redirect"), 1)
	// The harness checks on cleanup that the token is in no error and no log entry.
}

// A redirect from the remote-write endpoint is never followed either: the Authorization: Bearer header never reaches
// the target, whether the redirect points to another host or to another path of the same host.
func TestMetricsRedirectIsNeverFollowed(t *testing.T) {
	for _, status := range []int{302, 307, 308} {
		t.Run("to another host "+strconv.Itoa(status), func(t *testing.T) {
			h := newHarness(t)
			redirector, target, redirectorURL, targetURL := newRedirectPair(t, status)
			exp := h.metricsExporter(testConfig("", redirectorURL+"/api/v1/write"))

			for range 2 {
				err := h.consumeMetrics(exp, cloudWatchMetrics("r", time.Now()))
				require.Error(t, err)
				assert.True(t, consumererror.IsPermanent(err))
				assert.ErrorContains(t, err, strconv.Quote(hostOf(t, targetURL)))
				assert.ErrorContains(t, err, "metrics.endpoint")
			}

			assert.Empty(t, target.requests(), "the redirect target must receive nothing")
			assertNoTokenIn(t, target.requests())
			assert.Len(t, redirector.requests(), 2)
			assert.Len(t, h.logged("answered with a redirect"), 1, "logged once per exporter")
		})
	}

	t.Run("to another path of the same host", func(t *testing.T) {
		h := newHarness(t)
		// Go's client keeps Authorization on a same-host redirect: only not following it keeps the token off /moved.
		server := &requestRecorder{}
		server.answer = func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/moved" {
				w.WriteHeader(http.StatusOK)
				return
			}
			http.Redirect(w, r, "/moved", http.StatusTemporaryRedirect)
		}
		httpServer := httptest.NewServer(server)
		t.Cleanup(httpServer.Close)
		exp := h.metricsExporter(testConfig("", httpServer.URL+"/api/v1/write"))

		err := h.consumeMetrics(exp, cloudWatchMetrics("r", time.Now()))
		require.Error(t, err)
		assert.True(t, consumererror.IsPermanent(err))
		assert.ErrorContains(t, err, "another path on the same host")
		requests := server.requests()
		require.Len(t, requests, 1)
		assert.Equal(t, "/api/v1/write", requests[0].path)
		assert.Equal(t, "Bearer "+testMetricsToken, requests[0].header.Get("Authorization"))
	})
}
