// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter/exporterhelper"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/pipelineerr"
)

// outcome is what the exporter does with a request after the listener answered it.
type outcome int

const (
	// outcomeDone: every line was accepted.
	outcomeDone outcome = iota
	// outcomePartial: a 400 answer; the valid lines were ingested, the others rejected. Never resent.
	outcomePartial
	// outcomeSplit: a 413 answer; send the request again as two halves.
	outcomeSplit
	// outcomeRetry: a transient failure (429, 5xx, network); send again later. err carries any Retry-After delay.
	outcomeRetry
	// outcomePermanent: an error that resending the same request cannot fix. err is permanent, or for the answers only
	// a configuration change can cure (401, 403, 404) a configuration error (see configurationError).
	outcomePermanent
	// outcomeRedirect: a 3xx answer, never followed (see redirect.go): a configuration error. err is permanent.
	outcomeRedirect
)

// answer is the exporter's reading of one listener response.
type answer struct {
	outcome outcome
	// counts is set for outcomePartial when the body carried them.
	counts *partialCounts
	// err is set for outcomeRetry, outcomePermanent and outcomeRedirect.
	err error
}

// partialCounts is the body of the log listener's 400 answer.
type partialCounts struct {
	MalformedLines  int64 `json:"malformedLines"`
	SuccessfulLines int64 `json:"successfulLines"`
	OversizedLines  int64 `json:"oversizedLines"`
	EmptyLogLines   int64 `json:"emptyLogLines"`
}

func (c partialCounts) rejected() int64 {
	return c.MalformedLines + c.OversizedLines + c.EmptyLogLines
}

// maxAnswerBodyBytes bounds how much of an answer body is read; listener answers are tiny.
const maxAnswerBodyBytes = 64 * 1024

// maxQuotedBodyBytes bounds how much of an answer body is quoted in an error or log message.
const maxQuotedBodyBytes = 256

// readLogsAnswer maps a log listener response (status, headers, body) to what the exporter must do.
func readLogsAnswer(status int, header http.Header, body []byte, now time.Time) answer {
	switch {
	case status >= 200 && status < 300:
		return answer{outcome: outcomeDone}
	case isRedirectStatus(status):
		return answer{outcome: outcomeRedirect, err: redirectError("log", "logs.endpoint", status, header)}
	case status == http.StatusBadRequest:
		var counts partialCounts
		if err := json.Unmarshal(body, &counts); err != nil {
			return answer{outcome: outcomePartial}
		}
		return answer{outcome: outcomePartial, counts: &counts}
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return answer{outcome: outcomePermanent, err: configurationError(fmt.Errorf(
			"the Logz.io log listener refused the log shipping token (HTTP %d %s): check logs.token, it must be the log shipping token of the account in this region",
			status, quoteBody(body)))}
	case status == http.StatusNotFound:
		return answer{outcome: outcomePermanent, err: configurationError(errors.New(
			"the Logz.io log listener answered HTTP 404: check region and logs.endpoint"))}
	case status == http.StatusRequestEntityTooLarge:
		return answer{outcome: outcomeSplit}
	case isRetryableStatus(status):
		return answer{outcome: outcomeRetry, err: retryError(fmt.Errorf("the Logz.io log listener answered HTTP %d %s", status, quoteBody(body)), header, now)}
	default:
		return answer{outcome: outcomePermanent, err: consumererror.NewPermanent(fmt.Errorf(
			"the Logz.io log listener answered HTTP %d %s; the request is not resent", status, quoteBody(body)))}
	}
}

// readMetricsAnswer maps a metrics listener response to what the exporter must do (remote-write semantics).
func readMetricsAnswer(status int, header http.Header, body []byte, now time.Time) answer {
	switch {
	case status >= 200 && status < 300:
		return answer{outcome: outcomeDone}
	case isRedirectStatus(status):
		return answer{outcome: outcomeRedirect, err: redirectError("metrics", "metrics.endpoint", status, header)}
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return answer{outcome: outcomePermanent, err: configurationError(fmt.Errorf(
			"the Logz.io metrics listener refused the metrics token (HTTP %d %s): check metrics.token, it must be the metrics (Prometheus) shipping token of the account in this region",
			status, quoteBody(body)))}
	case status == http.StatusNotFound:
		return answer{outcome: outcomePermanent, err: configurationError(errors.New(
			"the Logz.io metrics listener answered HTTP 404: check region and metrics.endpoint"))}
	case isRetryableStatus(status):
		return answer{outcome: outcomeRetry, err: retryError(fmt.Errorf("the Logz.io metrics listener answered HTTP %d %s", status, quoteBody(body)), header, now)}
	default:
		return answer{outcome: outcomePermanent, err: consumererror.NewPermanent(fmt.Errorf(
			"the Logz.io metrics listener answered HTTP %d %s; the request is not resent", status, quoteBody(body)))}
	}
}

// configurationError is the error of an answer that refuses everything until the configuration changes (401, 403,
// 404, 3xx), marked by internal/pipelineerr. It is not permanent here: whether the records are then kept by the
// source or retried by the exporter depends on who waits for the result (see sourceWaits in factory.go).
func configurationError(err error) error {
	return pipelineerr.Configuration(err)
}

func isRetryableStatus(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusRequestTimeout || status >= 500
}

// retryError wraps err so that exporterhelper waits at least the Retry-After delay, when the answer has one.
func retryError(err error, header http.Header, now time.Time) error {
	if delay, ok := retryAfter(header.Get("Retry-After"), now); ok {
		return exporterhelper.NewThrottleRetry(err, delay)
	}
	return err
}

// retryAfter parses a Retry-After value: delay-seconds or an HTTP-date.
func retryAfter(value string, now time.Time) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if seconds, err := strconv.ParseInt(value, 10, 64); err == nil {
		if seconds < 0 {
			return 0, false
		}
		return time.Duration(min(seconds, int64(maxRetryAfter/time.Second))) * time.Second, true
	}
	if at, err := http.ParseTime(value); err == nil {
		return min(max(at.Sub(now), 0), maxRetryAfter), true
	}
	return 0, false
}

// maxRetryAfter caps a listener's Retry-After so that a bad header cannot park a batch for days;
// retry_on_failure.max_elapsed_time still applies on top of it.
const maxRetryAfter = time.Hour

// quoteBody returns a short, printable quote of an answer body for messages.
func quoteBody(body []byte) string {
	if len(body) == 0 {
		return "(empty body)"
	}
	truncated := len(body) > maxQuotedBodyBytes
	if truncated {
		body = body[:maxQuotedBodyBytes]
		for len(body) > 0 && !utf8.Valid(body) {
			body = body[:len(body)-1]
		}
	}
	quoted := strconv.Quote(string(body))
	if truncated {
		quoted += "..."
	}
	return quoted
}
