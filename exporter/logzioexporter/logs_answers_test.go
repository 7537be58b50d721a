// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumererror"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/logziotest"
)

func TestPartialAnswerIsCountedAndNeverResent(t *testing.T) {
	h := newHarness(t)
	l := logziotest.New(t, logziotest.Options{})
	l.Script(logziotest.Answer{Status: http.StatusBadRequest, Ingest: true, RejectFirst: 2})
	exp := h.logsExporter(testConfig(l.URL, ""))

	require.NoError(t, h.consumeLogs(exp, numberedLogs(10, 10, nil)))

	require.Len(t, l.Requests(), 1, "a 400 is not resent")
	assertEachSeqOnce(t, l, 10, 0, 1)
	assert.Equal(t, int64(2), h.counter("otelcol_exporter_logzio_rejected_lines", nil))
	warnings := h.logged("rejected some log lines")
	require.Len(t, warnings, 1)
	fields := warnings[0].ContextMap()
	assert.Equal(t, int64(8), fields["successful_lines"])
	assert.Equal(t, int64(2), fields["malformed_lines"])
	assert.Equal(t, int64(0), fields["oversized_lines"])
	assert.Equal(t, int64(0), fields["empty_log_lines"])
}

func TestPartialAnswerWithoutCounts(t *testing.T) {
	h := newHarness(t)
	l := logziotest.New(t, logziotest.Options{})
	l.Script(logziotest.Answer{Status: http.StatusBadRequest, Body: "Bad Request"})
	exp := h.logsExporter(testConfig(l.URL, ""))

	require.NoError(t, h.consumeLogs(exp, numberedLogs(4, 10, nil)))
	assert.Len(t, l.Requests(), 1)
	assert.Equal(t, int64(4), h.counter("otelcol_exporter_logzio_rejected_lines", nil))
	assert.Len(t, h.logged("without line counts"), 1)
}

func TestInvalidTokenIsPermanentAndNamesTheSetting(t *testing.T) {
	h := newHarness(t)
	l := logziotest.New(t, logziotest.Options{Tokens: []string{"the-right-token"}})
	exp := h.logsExporter(testConfig(l.URL, ""))

	err := h.consumeLogs(exp, numberedLogs(3, 10, nil))
	require.Error(t, err)
	assert.True(t, consumererror.IsPermanent(err))
	assert.ErrorContains(t, err, "logs.token")
	assert.ErrorContains(t, err, "Logging token is not valid")
	assert.Len(t, l.Requests(), 1, "no retry after 401")
	assert.Empty(t, l.Entries())
}

func TestRequestTooLargeIsSplitUntilAccepted(t *testing.T) {
	h := newHarness(t)
	// The listener's limit is far below the exporter's, so the first requests get 413.
	l := logziotest.New(t, logziotest.Options{MaxRequestBytes: 2000})
	cfg := testConfig(l.URL, "")
	cfg.Logs.MaxRequestBytes = 64 * 1024
	exp := h.logsExporter(cfg)

	const n = 100
	require.NoError(t, h.consumeLogs(exp, numberedLogs(n, 80, nil)))

	assertEachSeqOnce(t, l, n)
	assertNoViolations(t, l)
	reqs := l.Requests()
	require.Equal(t, http.StatusRequestEntityTooLarge, reqs[0].Status, "the whole batch in one request is too large")
	accepted := 0
	for _, r := range reqs[1:] {
		if r.Status == http.StatusOK {
			accepted += r.Lines
			assert.LessOrEqual(t, r.Bytes, 2000)
		}
	}
	assert.Equal(t, n, accepted, "every line was accepted exactly once")
}

func TestRequestTooLargeForOneLineDropsIt(t *testing.T) {
	h := newHarness(t)
	l := logziotest.New(t, logziotest.Options{MaxRequestBytes: 600})
	exp := h.logsExporter(testConfig(l.URL, ""))

	ld := numberedLogs(3, 10, nil)
	ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(1).Body().Map().PutStr("pad", strings.Repeat("x", 1000))
	require.NoError(t, h.consumeLogs(exp, ld))

	assertEachSeqOnce(t, l, 3, 1)
	assert.Equal(t, int64(1), h.counter("otelcol_exporter_logzio_dropped_log_lines", map[string]string{"reason": "request_too_large"}))
	assert.Len(t, h.logged("too large (HTTP 413)"), 1)
}

func TestRecordThatCannotFitIsDroppedAndCounted(t *testing.T) {
	h := newHarness(t)
	l := logziotest.New(t, logziotest.Options{})
	cfg := testConfig(l.URL, "")
	cfg.Logs.MaxRequestBytes = 1024
	exp := h.logsExporter(cfg)

	ld := numberedLogs(3, 10, nil)
	huge := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(2).Body().Map()
	for i := range 50 {
		huge.PutStr("field"+strings.Repeat("x", i), strings.Repeat("v", 400))
	}
	require.NoError(t, h.consumeLogs(exp, ld))

	assertEachSeqOnce(t, l, 3, 2)
	assert.Equal(t, int64(1), h.counter("otelcol_exporter_logzio_dropped_log_lines", map[string]string{"reason": "too_large"}))
	assert.Len(t, h.logged("cannot be made into a valid Logz.io document"), 1)
}
