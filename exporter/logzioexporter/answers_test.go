// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumererror"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/pipelineerr"
)

var answerTime = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func TestReadLogsAnswer(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		header      http.Header
		body        string
		want        outcome
		wantCounts  *partialCounts
		wantErrText []string
	}{
		{name: "200 done", status: 200, want: outcomeDone},
		{name: "204 done", status: 204, want: outcomeDone},
		{
			name: "400 with the four counts", status: 400,
			body:       `{"malformedLines":2,"successfulLines":7,"oversizedLines":1,"emptyLogLines":0}`,
			want:       outcomePartial,
			wantCounts: &partialCounts{MalformedLines: 2, SuccessfulLines: 7, OversizedLines: 1},
		},
		{
			name: "400 with extra keys", status: 400,
			body:       `{"malformedLines":1,"successfulLines":1,"oversizedLines":0,"emptyLogLines":3,"extra":true}`,
			want:       outcomePartial,
			wantCounts: &partialCounts{MalformedLines: 1, SuccessfulLines: 1, EmptyLogLines: 3},
		},
		{name: "400 not JSON is still not resent", status: 400, body: "Bad Request", want: outcomePartial},
		{name: "401", status: 401, body: "Logging token is not valid", want: outcomePermanent, wantErrText: []string{"logs.token", "HTTP 401", "Logging token is not valid"}},
		{name: "403", status: 403, want: outcomePermanent, wantErrText: []string{"logs.token", "HTTP 403"}},
		{name: "404", status: 404, want: outcomePermanent, wantErrText: []string{"HTTP 404", "logs.endpoint"}},
		{name: "413", status: 413, want: outcomeSplit},
		{name: "429", status: 429, want: outcomeRetry, wantErrText: []string{"HTTP 429"}},
		{name: "408", status: 408, want: outcomeRetry, wantErrText: []string{"HTTP 408"}},
		{name: "503 with Retry-After seconds", status: 503, header: http.Header{"Retry-After": {"7"}}, want: outcomeRetry, wantErrText: []string{"Throttle (7s)", "HTTP 503"}},
		{name: "502 with Retry-After date", status: 502, header: http.Header{"Retry-After": {answerTime.Add(90 * time.Second).Format(http.TimeFormat)}}, want: outcomeRetry, wantErrText: []string{"Throttle (1m30s)"}},
		{name: "500", status: 500, body: "boom", want: outcomeRetry, wantErrText: []string{`HTTP 500 "boom"`}},
		{name: "other 4xx", status: 422, body: "no", want: outcomePermanent, wantErrText: []string{"HTTP 422", "not resent"}},
		{
			name: "307 is a configuration error naming the Location host", status: 307,
			header: http.Header{"Location": {"https://elsewhere.example:8443/bulk?token=REDACTED&type=cloudtrail"}},
			want:   outcomeRedirect, wantErrText: []string{"HTTP 307", `host "elsewhere.example:8443"`, "logs.endpoint", "region", "not followed"},
		},
		{name: "301 without Location", status: 301, want: outcomeRedirect, wantErrText: []string{"HTTP 301", "no Location", "logs.endpoint"}},
		{name: "302 to a path on the same host", status: 302, header: http.Header{"Location": {"/other?token=x"}}, want: outcomeRedirect, wantErrText: []string{"same host"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := tt.header
			if header == nil {
				header = http.Header{}
			}
			a := readLogsAnswer(tt.status, header, []byte(tt.body), answerTime)
			assert.Equal(t, tt.want, a.outcome)
			assert.Equal(t, tt.wantCounts, a.counts)
			switch tt.want {
			case outcomePermanent, outcomeRedirect:
				require.Error(t, a.err)
				assertRefusalKind(t, tt.status, a.err)
			case outcomeRetry:
				require.Error(t, a.err)
				assert.False(t, consumererror.IsPermanent(a.err))
			default:
				assert.NoError(t, a.err)
			}
			for _, text := range tt.wantErrText {
				assert.ErrorContains(t, a.err, text)
			}
		})
	}
}

func TestReadMetricsAnswer(t *testing.T) {
	tests := []struct {
		status      int
		header      http.Header
		want        outcome
		wantErrText string
	}{
		{status: 200, want: outcomeDone},
		{status: 204, want: outcomeDone},
		{status: 401, want: outcomePermanent, wantErrText: "metrics.token"},
		{status: 403, want: outcomePermanent, wantErrText: "metrics.token"},
		{status: 400, want: outcomePermanent, wantErrText: "HTTP 400"},
		{status: 413, want: outcomePermanent, wantErrText: "HTTP 413"},
		{status: 429, header: http.Header{"Retry-After": {"3"}}, want: outcomeRetry, wantErrText: "Throttle (3s)"},
		{status: 503, want: outcomeRetry, wantErrText: "HTTP 503"},
		{status: 308, header: http.Header{"Location": {"https://elsewhere.example/api/v1/write"}}, want: outcomeRedirect, wantErrText: `HTTP 308, a redirect to host "elsewhere.example"`},
		{status: 302, want: outcomeRedirect, wantErrText: "metrics.endpoint"},
	}
	for _, tt := range tests {
		header := tt.header
		if header == nil {
			header = http.Header{}
		}
		a := readMetricsAnswer(tt.status, header, nil, answerTime)
		assert.Equal(t, tt.want, a.outcome, "status %d", tt.status)
		if tt.wantErrText != "" {
			assert.ErrorContains(t, a.err, tt.wantErrText, "status %d", tt.status)
			if tt.want == outcomePermanent || tt.want == outcomeRedirect {
				assertRefusalKind(t, tt.status, a.err)
			} else {
				assert.False(t, consumererror.IsPermanent(a.err), "status %d", tt.status)
			}
		}
	}
}

// assertRefusalKind: the answers that refuse everything until the configuration changes (401, 403, 404, 3xx) are
// configuration errors, left retryable for refusal.classify to decide; the other refusals are permanent data errors.
func assertRefusalKind(t *testing.T, status int, err error) {
	t.Helper()
	configuration := status == 401 || status == 403 || status == 404 || (status >= 300 && status < 400)
	assert.Equal(t, configuration, pipelineerr.IsConfiguration(err), "status %d: configuration error", status)
	assert.Equal(t, !configuration, consumererror.IsPermanent(err), "status %d: permanent", status)
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"12", 12 * time.Second, true},
		{" 5 ", 5 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"999999999", time.Hour, true},
		{answerTime.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second, true},
		{answerTime.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{answerTime.Add(48 * time.Hour).Format(http.TimeFormat), time.Hour, true},
		{answerTime.Add(45 * time.Second).Format(time.RFC850), 45 * time.Second, true},
	}
	for _, tt := range tests {
		got, ok := retryAfter(tt.value, answerTime)
		assert.Equal(t, tt.wantOK, ok, "Retry-After %q", tt.value)
		assert.Equal(t, tt.want, got, "Retry-After %q", tt.value)
	}
}

func TestQuoteBody(t *testing.T) {
	assert.Equal(t, "(empty body)", quoteBody(nil))
	assert.Equal(t, `"line\nbreak"`, quoteBody([]byte("line\nbreak")))
	long := quoteBody([]byte(strings.Repeat("é", 300)))
	assert.True(t, strings.HasSuffix(long, `"...`))
	assert.LessOrEqual(t, len(long), maxQuotedBodyBytes+8)
}
