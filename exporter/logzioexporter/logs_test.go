// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/logziolistener"
)

// cloudTrailLogs returns the StartLogging record of the AWS documentation as the cloudtrail receiver hands it
// over: the record as a map body, its eventTime as timestamp, the account and region on the resource.
func cloudTrailLogs(t testing.TB) plog.Logs {
	t.Helper()
	// The StartLogging example record of the AWS CloudTrail user guide:
	// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
	raw, err := os.ReadFile(filepath.Join("testdata", "aws-docs-startlogging.json"))
	require.NoError(t, err)
	var file struct {
		Records []map[string]any `json:"Records"`
	}
	require.NoError(t, json.Unmarshal(raw, &file))
	require.Len(t, file.Records, 1)

	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("cloud.provider", "aws")
	rl.Resource().Attributes().PutStr("cloud.account.id", "123456789012")
	rl.Resource().Attributes().PutStr("cloud.region", "us-east-1")
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName("github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver")
	lr := sl.LogRecords().AppendEmpty()
	lr.SetTimestamp(pcommon.NewTimestampFromTime(time.Date(2023, 7, 19, 21, 33, 41, 0, time.UTC)))
	lr.Attributes().PutStr("aws.s3.key", "AWSLogs/123456789012/CloudTrail/us-east-1/2023/07/19/123456789012_CloudTrail_us-east-1_20230719T2135Z_q7Rw2LmZx9TbK4Pa.json.gz")
	require.NoError(t, lr.Body().SetEmptyMap().FromRaw(file.Records[0]))
	return ld
}

// expectedStartLoggingDocument is the document Logz.io must receive for cloudTrailLogs.
const expectedStartLoggingDocument = `{
  "@timestamp": "2023-07-19T21:33:41.000Z",
  "type": "cloudtrail",
  "eventVersion": "1.09",
  "userIdentity": {
    "type": "IAMUser",
    "principalId": "EXAMPLE6E4XEGITWATV6R",
    "arn": "arn:aws:iam::123456789012:user/Mary_Major",
    "accountId": "123456789012",
    "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
    "userName": "Mary_Major",
    "sessionContext": {"attributes": {"creationDate": "2023-07-19T21:11:57Z", "mfaAuthenticated": "false"}}
  },
  "eventTime": "2023-07-19T21:33:41Z",
  "eventSource": "cloudtrail.amazonaws.com",
  "eventName": "StartLogging",
  "awsRegion": "us-east-1",
  "sourceIPAddress": "192.0.2.0",
  "userAgent": "aws-cli/2.13.5 Python/3.11.4 Linux/4.14.255-314-253.539.amzn2.x86_64 exec-env/CloudShell exe/x86_64.amzn.2 prompt/off command/cloudtrail.start-logging",
  "requestParameters": {"name": "myTrail"},
  "responseElements": null,
  "requestID": "9d478fc1-4f10-490f-a26b-EXAMPLE0e932",
  "eventID": "eae87c48-d421-4626-94f5-EXAMPLEac994",
  "readOnly": false,
  "eventType": "AwsApiCall",
  "managementEvent": true,
  "recipientAccountId": "123456789012",
  "eventCategory": "Management",
  "tlsDetails": {
    "tlsVersion": "TLSv1.2",
    "cipherSuite": "ECDHE-RSA-AES128-GCM-SHA256",
    "clientProvidedHostHeader": "cloudtrail.us-east-1.amazonaws.com"
  },
  "sessionCredentialFromConsole": "true",
  "aws_s3_key": "AWSLogs/123456789012/CloudTrail/us-east-1/2023/07/19/123456789012_CloudTrail_us-east-1_20230719T2135Z_q7Rw2LmZx9TbK4Pa.json.gz",
  "cloud_provider": "aws",
  "cloud_account_id": "123456789012",
  "cloud_region": "us-east-1"
}`

// numberedLogs returns n records with map bodies {"seq": i, "pad": <pad bytes>}; typeOf, when set, gives
// record i a logzio.type attribute.
func numberedLogs(n, pad int, typeOf func(i int) string) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("cloud.account.id", "123456789012")
	records := rl.ScopeLogs().AppendEmpty().LogRecords()
	for i := range n {
		lr := records.AppendEmpty()
		lr.SetTimestamp(pcommon.NewTimestampFromTime(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)))
		body := lr.Body().SetEmptyMap()
		body.PutInt("seq", int64(i))
		body.PutStr("pad", strings.Repeat("p", pad))
		if typeOf != nil {
			if docType := typeOf(i); docType != "" {
				lr.Attributes().PutStr("logzio.type", docType)
			}
		}
	}
	return ld
}

// assertEachSeqOnce checks that the listener stored records 0..n-1 exactly once each, skipping those in missing.
func assertEachSeqOnce(t *testing.T, l *logziolistener.Listener, n int, missing ...int) {
	t.Helper()
	seen := map[int]int{}
	for _, doc := range l.Docs() {
		seq, ok := doc["seq"].(float64)
		require.True(t, ok, "document without seq: %v", doc)
		seen[int(seq)]++
	}
	skip := map[int]bool{}
	for _, m := range missing {
		skip[m] = true
	}
	for i := range n {
		want := 1
		if skip[i] {
			want = 0
		}
		assert.Equal(t, want, seen[i], "times record %d was stored", i)
	}
	assert.Len(t, l.Docs(), n-len(missing), "no document is stored twice")
}

func assertNoViolations(t *testing.T, l *logziolistener.Listener) {
	t.Helper()
	assert.Empty(t, l.Violations(), "the exporter broke the listener contract")
}

func TestSendsCloudTrailDocument(t *testing.T) {
	h := newHarness(t)
	l := logziolistener.New(t, logziolistener.Options{Tokens: []string{testLogsToken}})
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
	l := logziolistener.New(t, logziolistener.Options{})
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
	l := logziolistener.New(t, logziolistener.Options{})
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

func TestPartialAnswerIsCountedAndNeverResent(t *testing.T) {
	h := newHarness(t)
	l := logziolistener.New(t, logziolistener.Options{})
	l.Script(logziolistener.Answer{Status: http.StatusBadRequest, Ingest: true, RejectFirst: 2})
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
	l := logziolistener.New(t, logziolistener.Options{})
	l.Script(logziolistener.Answer{Status: http.StatusBadRequest, Body: "Bad Request"})
	exp := h.logsExporter(testConfig(l.URL, ""))

	require.NoError(t, h.consumeLogs(exp, numberedLogs(4, 10, nil)))
	assert.Len(t, l.Requests(), 1)
	assert.Equal(t, int64(4), h.counter("otelcol_exporter_logzio_rejected_lines", nil))
	assert.Len(t, h.logged("without line counts"), 1)
}

func TestInvalidTokenIsPermanentAndNamesTheSetting(t *testing.T) {
	h := newHarness(t)
	l := logziolistener.New(t, logziolistener.Options{Tokens: []string{"the-right-token"}})
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
	l := logziolistener.New(t, logziolistener.Options{MaxRequestBytes: 2000})
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
	l := logziolistener.New(t, logziolistener.Options{MaxRequestBytes: 600})
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
	l := logziolistener.New(t, logziolistener.Options{})
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

func TestRetryAfterIsHonouredThenDelivered(t *testing.T) {
	h := newHarness(t)
	l := logziolistener.New(t, logziolistener.Options{})
	l.Script(logziolistener.Answer{Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"1"}}})
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
	l := logziolistener.New(t, logziolistener.Options{})
	l.Script(logziolistener.Answer{DropConnection: true}, logziolistener.Answer{Status: http.StatusTooManyRequests})
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
	l := logziolistener.New(t, logziolistener.Options{})
	// First request accepted, second refused for now, the rest answered normally.
	l.Script(
		logziolistener.Answer{Status: http.StatusOK, Ingest: true},
		logziolistener.Answer{Status: http.StatusServiceUnavailable},
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
	l := logziolistener.New(t, logziolistener.Options{})
	l.Script(
		logziolistener.Answer{Status: http.StatusRequestEntityTooLarge},
		logziolistener.Answer{Status: http.StatusOK, Ingest: true},
		logziolistener.Answer{Status: http.StatusBadGateway},
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
	l := logziolistener.New(t, logziolistener.Options{})
	l.Script(
		logziolistener.Answer{Status: http.StatusOK, Ingest: true},
		logziolistener.Answer{Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"30"}}},
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

func TestHTTPSListenerWithCAFileAndProxy(t *testing.T) {
	h := newHarness(t)
	l := logziolistener.New(t, logziolistener.Options{TLS: true})
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
