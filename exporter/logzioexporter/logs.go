// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzip"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configcompression"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"
	"golang.org/x/time/rate"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter/internal/document"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter/internal/metadata"
)

// logsExporter sends log records to the Logz.io bulk log listener as NDJSON documents.
type logsExporter struct {
	cfg             *Config
	set             exporter.Settings
	telemetry       *metadata.TelemetryBuilder
	builder         *document.Builder
	endpoint        *url.URL
	token           string
	gzipLevel       int
	compress        bool
	maxRequestBytes int
	userAgent       string
	client          *http.Client

	// partialWarning limits how often a 400 partial-success answer is logged; every one is counted.
	partialWarning rate.Sometimes
	redirects      redirectReport
	refusal        refusal
	gzipWriters    *freeList[*gzip.Writer]
	bodies         *freeList[*bytes.Buffer]
	// lineBytes is the average size of the documents of the last batch (newline included): the next batch's buffer
	// is sized from it at once instead of growing (copying) as documents are appended.
	lineBytes atomic.Int64
}

// firstLineBytes is the document size assumed before the first batch has been measured (see lineBytes): CloudTrail
// documents are 1–2 KB.
const firstLineBytes = 2048

// defaultGzipLevel is the gzip level of log requests when compression_params.level is not set. Chosen by
// BenchmarkPushLogs (1,000 CloudTrail records per request): level 2 sends 236k records/s at 80.6 wire bytes per
// record, against 183k and 76.3 for gzip's default 6 (level 1: 255k, 90.7). Logz.io counts volume uncompressed, so
// the 6% more wire bytes cost only network, and the CPU saved is the exporter's largest single cost.
const defaultGzipLevel = 2

func newLogsExporter(cfg *Config, set exporter.Settings, telemetry *metadata.TelemetryBuilder) (*logsExporter, error) {
	endpoint, err := url.Parse(cfg.logsEndpoint())
	if err != nil {
		return nil, fmt.Errorf("logs.endpoint is not a URL: %w", err)
	}
	if endpoint.Path == "" {
		endpoint.Path = "/"
	}
	level := int(cfg.ClientConfig.CompressionParams.Level)
	if level == 0 {
		level = defaultGzipLevel
	}
	return &logsExporter{
		cfg:             cfg,
		set:             set,
		telemetry:       telemetry,
		builder:         document.NewBuilder(document.Options{DefaultType: cfg.Logs.Type, MaxLineBytes: cfg.maxLineBytes()}),
		endpoint:        endpoint,
		token:           string(cfg.Logs.Token),
		gzipLevel:       level,
		compress:        cfg.ClientConfig.Compression == configcompression.TypeGzip,
		maxRequestBytes: cfg.Logs.MaxRequestBytes,
		userAgent:       userAgent(set.BuildInfo),
		partialWarning:  rate.Sometimes{First: 1, Interval: time.Minute},
		refusal:         refusal{sourceWaits: sourceWaits(cfg)},
		gzipWriters:     newFreeList[*gzip.Writer](keptBuffers),
		bodies:          newFreeList[*bytes.Buffer](keptBuffers),
	}, nil
}

func (e *logsExporter) start(ctx context.Context, host component.Host) error {
	client, err := newHTTPClient(ctx, e.cfg, host, e.set.TelemetrySettings)
	if err != nil {
		return fmt.Errorf("cannot build the HTTP client for the Logz.io log listener: %w", err)
	}
	e.client = client
	e.refusal.start(host)
	return nil
}

// shutdown closes the idle connections of the HTTP client; requests in flight have ended when it is called.
func (e *logsExporter) shutdown() {
	if e.client != nil {
		e.client.CloseIdleConnections()
	}
}

// pushLogs turns every record into one document, groups the documents by type, sends each group in requests
// whose uncompressed body stays under logs.max_request_bytes, and handles every answer (see answers.go).
//
// At-least-once without duplicates: when a request fails in a way worth retrying, the requests after it are
// not tried, and the error returned carries only the records not yet delivered (consumererror.Logs), so the
// retry sender resends those and never the ones already accepted.
func (e *logsExporter) pushLogs(ctx context.Context, ld plog.Logs) error {
	groups := e.buildDocuments(ctx, ld)
	defer func() {
		for _, g := range groups {
			g.release()
		}
	}()

	var pending []lineRange
	var retryErr error
	for _, g := range groups {
		for _, r := range g.requestRanges(e.maxRequestBytes) {
			if retryErr != nil {
				pending = append(pending, r)
				continue
			}
			unsent, err := e.sendRange(ctx, r)
			if err == nil {
				continue
			}
			if consumererror.IsPermanent(err) {
				return err
			}
			retryErr = err
			pending = append(pending, unsent...)
		}
	}
	if retryErr == nil {
		return nil
	}
	return consumererror.NewLogs(e.refusal.classify(retryErr), undeliveredLogs(ld, pending))
}

// buildDocuments renders every record, grouped by document type in order of first appearance.
// Records the builder cannot fit are counted and logged once per batch.
func (e *logsExporter) buildDocuments(ctx context.Context, ld plog.Logs) []*docGroup {
	var groups []*docGroup
	groupOf := func(docType string) *docGroup {
		for _, g := range groups {
			if g.docType == docType {
				return g
			}
		}
		g := newDocGroup(docType)
		groups = append(groups, g)
		return g
	}

	var dropped int64
	var firstDropErr error
	current := groupOf(e.cfg.Logs.Type)
	// Room for the whole batch with a margin, so that lines are not moved while they are written (append would copy
	// the megabytes already written each time it grows the buffer). A pooled buffer that is too small is replaced
	// rather than grown: it is empty, and slices.Grow would copy its whole old capacity for nothing.
	need := ld.LogRecordCount() * int(e.lineBytes.Load()*5/4)
	if need == 0 {
		// No batch has ended yet (every consumer starts at once): a guess, bounded as records may be much smaller.
		need = min(ld.LogRecordCount()*firstLineBytes, maxKeptGroupBytes)
	}
	if cap(current.buf) < need {
		current.buf = make([]byte, 0, need)
	}
	// Each resource's fields are worked out once for all its records.
	var res document.Resource
	for ri, rl := range ld.ResourceLogs().All() {
		e.builder.PrepareResource(&res, rl.Resource())
		for si, sl := range rl.ScopeLogs().All() {
			scope := sl.Scope()
			for li, lr := range sl.LogRecords().All() {
				// Append straight into the group of the previous record: records of one batch nearly always share a type.
				start := len(current.buf)
				out, docType, err := e.builder.AppendRecord(current.buf, &res, scope, lr)
				if err != nil {
					current.buf = out[:start]
					dropped++
					if firstDropErr == nil {
						firstDropErr = err
					}
					continue
				}
				ref := recordRef{resource: ri, scope: si, record: li}
				if docType == current.docType {
					current.buf = out
					current.endLine(ref)
					continue
				}
				target := groupOf(docType)
				target.buf = append(target.buf, out[start:]...)
				current.buf = out[:start]
				target.endLine(ref)
				current = target
			}
		}
	}
	if dropped > 0 {
		e.telemetry.ExporterLogzioDroppedLogLines.Add(ctx, dropped, metric.WithAttributes(attribute.String("reason", "too_large")))
		e.set.Logger.Warn("Dropped log records that cannot be made into a valid Logz.io document",
			zap.Int64("dropped_records", dropped), zap.Error(firstDropErr))
	}
	var bytes, lines int
	for _, g := range groups {
		bytes, lines = bytes+len(g.buf), lines+len(g.ends)
	}
	if lines > 0 {
		e.lineBytes.Store(int64(bytes / lines))
	}
	nonEmpty := groups[:0]
	for _, g := range groups {
		if len(g.ends) > 0 {
			nonEmpty = append(nonEmpty, g)
		} else {
			g.release()
		}
	}
	return nonEmpty
}

// sendRange sends lines [r.from, r.to) of a group as one request. It returns the ranges not delivered together with
// a retryable or configuration error, or a permanent error about the data (nothing to resend), or nothing when every
// line was handled (accepted, rejected by a 400, or dropped after a 413 on a single line).
func (e *logsExporter) sendRange(ctx context.Context, r lineRange) ([]lineRange, error) {
	resp, err := e.post(ctx, r.group.docType, r.body())
	if err != nil {
		return []lineRange{r}, fmt.Errorf("cannot reach the Logz.io log listener: %w", err)
	}
	a := readLogsAnswer(resp.status, resp.header, resp.body, time.Now())
	switch a.outcome {
	case outcomeDone:
		e.refusal.delivered()
		return nil, nil
	case outcomePartial:
		e.refusal.delivered()
		e.reportPartial(ctx, r, a.counts, resp.body)
		return nil, nil
	case outcomeSplit:
		lines := r.to - r.from
		if lines == 1 {
			e.telemetry.ExporterLogzioDroppedLogLines.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", "request_too_large")))
			e.set.Logger.Warn("Dropped a log line the Logz.io listener refused as too large (HTTP 413)",
				zap.String("type", r.group.docType), zap.Int("line_bytes", len(r.body())))
			return nil, nil
		}
		left, right := r.split()
		unsent, err := e.sendRange(ctx, left)
		if err != nil {
			if consumererror.IsPermanent(err) {
				return nil, err
			}
			return append(unsent, right), err
		}
		return e.sendRange(ctx, right)
	case outcomeRetry:
		return []lineRange{r}, a.err
	case outcomeRedirect:
		e.redirects.log(e.set.Logger, a.err)
		return []lineRange{r}, a.err
	default:
		if consumererror.IsPermanent(a.err) {
			return nil, a.err
		}
		return []lineRange{r}, a.err // a configuration error: these records are kept
	}
}

// reportPartial counts and logs a 400 partial-success answer. The listener does not say which lines failed,
// so nothing can be resent without duplicating the accepted ones.
func (e *logsExporter) reportPartial(ctx context.Context, r lineRange, counts *partialCounts, body []byte) {
	lines := int64(r.to - r.from)
	if counts == nil {
		e.telemetry.ExporterLogzioRejectedLines.Add(ctx, lines)
		e.partialWarning.Do(func() {
			e.set.Logger.Warn("The Logz.io log listener answered HTTP 400 without line counts; the request is not resent and its lines are counted as rejected",
				zap.String("type", r.group.docType), zap.Int64("lines", lines), zap.String("answer", quoteBody(body)))
		})
		return
	}
	e.telemetry.ExporterLogzioRejectedLines.Add(ctx, counts.rejected())
	e.partialWarning.Do(func() {
		e.set.Logger.Warn("The Logz.io log listener rejected some log lines (HTTP 400); the accepted lines were ingested and nothing is resent",
			zap.String("type", r.group.docType), zap.Int64("lines_sent", lines),
			zap.Int64("successful_lines", counts.SuccessfulLines), zap.Int64("malformed_lines", counts.MalformedLines),
			zap.Int64("oversized_lines", counts.OversizedLines), zap.Int64("empty_log_lines", counts.EmptyLogLines))
	})
}

// post sends one NDJSON body, gzipped unless compression is none.
func (e *logsExporter) post(ctx context.Context, docType string, ndjson []byte) (response, error) {
	payload := ndjson
	if e.compress {
		buf := e.getBody()
		defer e.bodies.put(buf)
		if err := e.gzipInto(buf, ndjson); err != nil {
			return response{}, consumererror.NewPermanent(fmt.Errorf("cannot gzip the request body: %w", err))
		}
		payload = buf.Bytes()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.requestURL(docType), bytes.NewReader(payload))
	if err != nil {
		return response{}, consumererror.NewPermanent(fmt.Errorf("cannot build a request for logs.endpoint: %w", redactError(err, e.token)))
	}
	req.Header.Set("Content-Type", "application/json")
	if e.compress {
		req.Header.Set("Content-Encoding", "gzip")
	}
	req.Header.Set("User-Agent", e.userAgent)
	return sendRequest(e.client, req, "logs", e.telemetry, e.token)
}

// requestURL is the listener URL with the token and type query parameters.
func (e *logsExporter) requestURL(docType string) string {
	u := *e.endpoint
	q := u.Query()
	q.Set("token", e.token)
	q.Set("type", docType)
	u.RawQuery = q.Encode()
	return u.String()
}

func (e *logsExporter) getBody() *bytes.Buffer {
	if buf, ok := e.bodies.get(); ok {
		buf.Reset()
		return buf
	}
	return &bytes.Buffer{}
}

func (e *logsExporter) gzipInto(buf *bytes.Buffer, data []byte) error {
	zw, ok := e.gzipWriters.get()
	if ok {
		zw.Reset(buf)
	} else {
		var err error
		if zw, err = gzip.NewWriterLevel(buf, e.gzipLevel); err != nil {
			return err
		}
	}
	defer e.gzipWriters.put(zw)
	if _, err := zw.Write(data); err != nil {
		return err
	}
	return zw.Close()
}
