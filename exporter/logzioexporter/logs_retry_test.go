// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumererror"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/logziotest"
)

func TestRetryAfterIsHonouredThenDelivered(t *testing.T) {
	h := newHarness(t)
	l := logziotest.New(t, logziotest.Options{})
	l.Script(logziotest.Answer{Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"1"}}})
	exp := h.logsExporter(testConfig(l.URL, ""))

	require.NoError(t, h.consumeLogs(exp, numberedLogs(5, 10, nil)))

	assertEachSeqOnce(t, l, 5)
	reqs := l.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, http.StatusServiceUnavailable, reqs[0].Status)
	retries := h.logged("Will retry the request after interval")
	require.Len(t, retries, 1)
	assert.Equal(t, "1s", retries[0].ContextMap()["interval"], "the retry waits for Retry-After, longer than the 10ms backoff")
}

func TestNetworkErrorIsRetried(t *testing.T) {
	h := newHarness(t)
	l := logziotest.New(t, logziotest.Options{})
	l.Script(logziotest.Answer{DropConnection: true}, logziotest.Answer{Status: http.StatusTooManyRequests})
	exp := h.logsExporter(testConfig(l.URL, ""))

	require.NoError(t, h.consumeLogs(exp, numberedLogs(5, 10, nil)))

	assertEachSeqOnce(t, l, 5)
	assert.Len(t, l.Requests(), 3)
	retries := h.logged("Will retry the request after interval")
	require.Len(t, retries, 2)
	assert.Contains(t, retries[0].ContextMap()["error"], "cannot reach the Logz.io log listener")
	assert.Contains(t, retries[0].ContextMap()["error"], "token=REDACTED")
	assert.Equal(t, int64(1), h.counter("otelcol_exporter_logzio_requests", map[string]string{"status_code": "error"}))
}

func TestRetryResendsOnlyUndeliveredRequests(t *testing.T) {
	h := newHarness(t)
	l := logziotest.New(t, logziotest.Options{})
	// First request accepted, second refused for now, the rest answered normally.
	l.Script(
		logziotest.Answer{Status: http.StatusOK, Ingest: true},
		logziotest.Answer{Status: http.StatusServiceUnavailable},
	)
	cfg := testConfig(l.URL, "")
	cfg.Logs.MaxRequestBytes = 2048
	exp := h.logsExporter(cfg)

	const n = 60
	require.NoError(t, h.consumeLogs(exp, numberedLogs(n, 100, nil)))

	assertEachSeqOnce(t, l, n)
	assertNoViolations(t, l)
	reqs := l.Requests()
	require.Greater(t, len(reqs), 3)
	sentAfterFailure := 0
	for _, r := range reqs[2:] {
		sentAfterFailure += r.Lines
	}
	assert.Equal(t, n-reqs[0].Lines, sentAfterFailure, "the retry carried only the lines not yet accepted")
}

func TestSplitHalfFailingIsRetriedAloneAfter413(t *testing.T) {
	h := newHarness(t)
	l := logziotest.New(t, logziotest.Options{})
	l.Script(
		logziotest.Answer{Status: http.StatusRequestEntityTooLarge},
		logziotest.Answer{Status: http.StatusOK, Ingest: true},
		logziotest.Answer{Status: http.StatusBadGateway},
	)
	exp := h.logsExporter(testConfig(l.URL, ""))

	const n = 20
	require.NoError(t, h.consumeLogs(exp, numberedLogs(n, 10, nil)))

	assertEachSeqOnce(t, l, n)
	reqs := l.Requests()
	require.Len(t, reqs, 4)
	assert.Equal(t, []int{20, 10, 10, 10}, []int{reqs[0].Lines, reqs[1].Lines, reqs[2].Lines, reqs[3].Lines})
}

func TestPushLogsReturnsOnlyUndeliveredRecords(t *testing.T) {
	h := newHarness(t)
	l := logziotest.New(t, logziotest.Options{})
	l.Script(
		logziotest.Answer{Status: http.StatusOK, Ingest: true},
		logziotest.Answer{Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"30"}}},
	)
	cfg := testConfig(l.URL, "")
	cfg.Logs.MaxRequestBytes = 2048
	exp, err := newLogsExporter(cfg, h.settings(), mustTelemetry(t, h))
	require.NoError(t, err)
	require.NoError(t, exp.start(context.Background(), nopHost()))

	const n = 60
	ld := numberedLogs(n, 100, func(i int) string {
		if i%2 == 1 {
			return "odd"
		}
		return ""
	})
	err = exp.pushLogs(context.Background(), ld)
	h.keep(err)
	require.Error(t, err)
	assert.False(t, consumererror.IsPermanent(err))
	assert.ErrorContains(t, err, "Throttle (30s)")
	var logsErr consumererror.Logs
	require.True(t, errors.As(err, &logsErr))
	remaining := logsErr.Data()

	delivered := map[int64]bool{}
	for _, doc := range l.Docs() {
		delivered[int64(doc["seq"].(float64))] = true
	}
	require.NotEmpty(t, delivered)
	assert.Equal(t, n-len(delivered), remaining.LogRecordCount())
	records := remaining.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	var last int64 = -1
	for _, lr := range records.All() {
		seq, _ := lr.Body().Map().Get("seq")
		assert.False(t, delivered[seq.Int()], "record %d was delivered and must not be retried", seq.Int())
		assert.Greater(t, seq.Int(), last, "records keep their order")
		last = seq.Int()
	}
	accountID, _ := remaining.ResourceLogs().At(0).Resource().Attributes().Get("cloud.account.id")
	assert.Equal(t, "123456789012", accountID.Str(), "resources are kept")
}
