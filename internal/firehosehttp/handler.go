// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/pipelineerr"
)

// Firehose request headers (canonical forms; net/http matches them case-insensitively).
const (
	headerRequestID        = "X-Amz-Firehose-Request-Id"
	headerAccessKey        = "X-Amz-Firehose-Access-Key"
	headerCommonAttributes = "X-Amz-Firehose-Common-Attributes"
	headerProtocolVersion  = "X-Amz-Firehose-Protocol-Version"
	headerSourceARN        = "X-Amz-Firehose-Source-Arn"
	// maxSourceARNLength is the longest ARN AWS issues; a longer X-Amz-Firehose-Source-Arn is refused.
	maxSourceARNLength = 2048
	// formatUnknown is the format attribute of a request whose records were not read (refused before: 401, 404, 413,
	// 503 over max_concurrent_requests, a health check) or told nothing (no record, only empty ones, undecodable bytes).
	formatUnknown = "unknown"
)

// HandlerSettings are what a receiver gives the Handler besides its endpoint configuration.
type HandlerSettings struct {
	// Logger is the receiver's logger; the Handler logs each kind of bad request at most once a minute.
	Logger *zap.Logger
	// Telemetry are the receiver's request instruments.
	Telemetry Telemetry
	// NewBatch starts the receiver's decoding of one request.
	NewBatch NewBatchFunc
}

// Handler implements the Firehose HTTP endpoint contract (docs/firehose-http-endpoint.md#processing-order):
//
//	GET/HEAD → 200 (health check); other non-POST → 405; no request id → 400; access key missing or wrong → 401;
//	body or record over the caps → 413 / 400; malformed body or record → 400 (naming the record index);
//	all records decoded into ONE batch → one Consume → 200 on success, 400 on a permanent pipeline error,
//	503 on any other pipeline error.
//
// Every answer is application/json {"requestId", "timestamp" (ms), "errorMessage"?}. What a record means is the
// receiver's Batch; everything else is here.
type Handler struct {
	path           string
	keys           accessKeys
	newBatch       NewBatchFunc
	telemetry      Telemetry
	logger         *zap.Logger // sampled: the same message at most once a minute
	maxBodySize    int64
	consumeTimeout time.Duration
	limit          requestLimit  // max_concurrent_requests
	dedup          *requestDedup // nil when dedup_window is 0
	now            func() time.Time

	parsers sync.Pool // *requestParser
	gzips   sync.Pool // *gzip.Reader
}

// NewHandler builds the handler of an endpoint configured by cfg (already validated).
func NewHandler(cfg *EndpointConfig, settings HandlerSettings) *Handler {
	// Bad requests are logged, but the same message at most once a minute: a misconfigured stream retrying every
	// second must not flood the log.
	sampled := settings.Logger.WithOptions(zap.WrapCore(func(core zapcore.Core) zapcore.Core {
		return zapcore.NewSamplerWithOptions(core, time.Minute, 1, 0)
	}))
	h := &Handler{
		path:           cfg.Path,
		keys:           newAccessKeys(cfg.AccessKeys),
		newBatch:       settings.NewBatch,
		telemetry:      settings.Telemetry,
		logger:         sampled,
		maxBodySize:    cfg.ServerConfig.MaxRequestBodySize,
		consumeTimeout: cfg.ConsumeTimeout,
		limit:          newRequestLimit(cfg.MaxConcurrentRequests),
		now:            time.Now,
	}
	h.dedup = newRequestDedup(cfg.DedupWindow, dedupCapacity, h.now)
	maxRecordSize := cfg.MaxRecordSize
	h.parsers.New = func() any { return newRequestParser(maxRecordSize) }
	return h
}

// requestState is what ServeHTTP learns about a request while serving it.
type requestState struct {
	authenticated bool   // the access key was accepted
	format        string // the format attribute of the request's telemetry
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	started := time.Now()
	requestID := r.Header.Get(headerRequestID)
	body := trackBody(r)
	state := requestState{format: formatUnknown}
	status, msg := h.serveLimited(w, r, requestID, &state)
	if len(requestID) > maxRequestIDLength {
		requestID = ""
	}
	if !state.authenticated {
		// Refused before the access key was accepted: never wait for the rest of the body.
		closeIfBodyUnread(w, r, body)
	}
	h.respond(w, r, status, requestID, msg)
	attrs := metric.WithAttributes(attribute.Int("http.response.status_code", status), attribute.String("format", state.format))
	h.telemetry.Requests.Add(r.Context(), 1, attrs)
	h.telemetry.RequestDuration.Record(r.Context(), time.Since(started).Seconds(), attrs)
}

// serveLimited serves r when fewer than max_concurrent_requests are being served, and answers 503 at once otherwise.
// Health checks are not counted: they hold nothing.
func (h *Handler) serveLimited(w http.ResponseWriter, r *http.Request, requestID string, state *requestState) (int, string) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return h.serve(w, r, requestID, state)
	}
	if !h.limit.tryAcquire() {
		h.logger.Warn("Refused a Firehose request: max_concurrent_requests requests are already being served; Firehose retries it. Raise max_concurrent_requests or add replicas if this persists",
			zap.Int("max_concurrent_requests", cap(h.limit)))
		return http.StatusServiceUnavailable, fmt.Sprintf("%d requests are already being served (max_concurrent_requests); retry later", cap(h.limit))
	}
	defer h.limit.release()
	return h.serve(w, r, requestID, state)
}

// serve runs the contract and returns the status and the errorMessage of the answer. It fills in state: authenticated
// once the access key was accepted, the format once records were read.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, requestID string, state *requestState) (int, string) {
	if r.URL.Path != h.path {
		// Never name the configured path: the client is not authenticated yet.
		return http.StatusNotFound, "no Firehose endpoint at this path"
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		return http.StatusOK, "" // load-balancer health check: never touches the pipeline
	case http.MethodPost:
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		return http.StatusMethodNotAllowed, "only POST (Firehose deliveries) and GET/HEAD (health checks) are served"
	}
	if requestID == "" {
		return http.StatusBadRequest, "missing " + headerRequestID + " header"
	}
	if len(requestID) > maxRequestIDLength {
		return http.StatusBadRequest, fmt.Sprintf("%s longer than %d bytes", headerRequestID, maxRequestIDLength)
	}
	if len(r.Header.Get(headerSourceARN)) > maxSourceARNLength {
		return http.StatusBadRequest, fmt.Sprintf("%s longer than %d bytes, the longest ARN", headerSourceARN, maxSourceARNLength)
	}
	keyValues := r.Header.Values(headerAccessKey)
	presented := ""
	if len(keyValues) > 0 {
		presented = keyValues[0]
	}
	if !h.keys.authorize(presented, len(keyValues) > 0) {
		// Never log the key, not even a part of it.
		h.logger.Warn("Refused a Firehose request with a missing or invalid access key",
			zap.String("source_arn", r.Header.Get(headerSourceARN)), zap.String("remote_addr", r.RemoteAddr),
			zap.Bool("key_present", len(keyValues) > 0))
		return http.StatusUnauthorized, "missing or invalid access key"
	}
	state.authenticated = true
	key := dedupKey(r.Header.Get(headerSourceARN), requestID)
	switch h.dedup.begin(key) {
	case dedupAccepted:
		h.telemetry.DuplicateRequests.Add(r.Context(), 1)
		h.logger.Debug("Answered a Firehose retry of an accepted request without delivering it again",
			zap.String("request_id", requestID), zap.String("source_arn", r.Header.Get(headerSourceARN)))
		return http.StatusOK, ""
	case dedupInFlight:
		return http.StatusServiceUnavailable, "a request with this id is still being delivered; retry later"
	}
	status := 0 // stays 0 if deliver panics (net/http recovers): the request is then not remembered as accepted
	defer func() { h.dedup.end(key, status == http.StatusOK) }()
	status, msg := h.deliver(w, r, requestID, state)
	return status, msg
}

// deliver reads, decodes and consumes an authorized request.
func (h *Handler) deliver(w http.ResponseWriter, r *http.Request, requestID string, state *requestState) (int, string) {
	if v := r.Header.Get(headerProtocolVersion); v != "" && v != "1.0" {
		h.logger.Info("Firehose protocol version other than 1.0; processing the request as 1.0", zap.String("protocol_version", v))
	}
	commonAttributes, err := parseCommonAttributes(r.Header.Get(headerCommonAttributes))
	if err != nil {
		h.countDecodeError(r.Context(), "common_attributes")
		return http.StatusBadRequest, err.Error()
	}

	body, release, err := h.bodyReader(w, r)
	if err != nil {
		h.countDecodeError(r.Context(), "content_encoding")
		return http.StatusBadRequest, err.Error()
	}
	defer release()

	batch := h.newBatch(commonAttributes)
	parser := h.parsers.Get().(*requestParser)
	_, err = parser.parse(body, requestID, func(_ int, data []byte) error {
		return batch.AddRecord(data)
	})
	h.parsers.Put(parser)
	if f := batch.Format(); f != "" {
		state.format = f
	}
	if err != nil {
		return h.parseFailure(r, requestID, err)
	}
	return h.consume(r.Context(), requestID, batch)
}

// parseFailure maps a body that could not be read or decoded to its answer.
func (h *Handler) parseFailure(r *http.Request, requestID string, err error) (int, string) {
	fields := []zap.Field{zap.String("request_id", requestID), zap.String("source_arn", r.Header.Get(headerSourceARN))}
	var recErr *recordError
	switch {
	case isBodyTooLarge(err):
		h.countDecodeError(r.Context(), "too_large")
		h.logger.Warn("Refused a Firehose request over max_request_body_size (413: Firehose will not retry it)",
			append(fields, zap.Int64("max_request_body_size", h.maxBodySize))...)
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes (max_request_body_size) once decompressed", h.maxBodySize)
	case errors.As(err, &recErr):
		h.countDecodeError(r.Context(), "record")
		h.logger.Warn("Refused a Firehose request with an undecodable record; nothing of the request was consumed",
			append(fields, zap.Int("record_index", recErr.Index), zap.Error(recErr.Err))...)
		return http.StatusBadRequest, truncate(fmt.Sprintf("record %d could not be decoded: %v", recErr.Index, recErr.Err))
	case errors.Is(err, errMalformedRequest):
		h.countDecodeError(r.Context(), "body")
		h.logger.Warn("Refused a malformed Firehose request body", append(fields, zap.Error(err))...)
		return http.StatusBadRequest, truncate(err.Error())
	case errors.Is(err, io.ErrUnexpectedEOF):
		h.countDecodeError(r.Context(), "body")
		return http.StatusBadRequest, "request body ended before the JSON object was complete"
	default: // broken gzip stream, client gone, read timeout
		h.countDecodeError(r.Context(), "body")
		h.logger.Warn("Could not read a Firehose request body", append(fields, zap.Error(err))...)
		return http.StatusBadRequest, truncate("could not read the request body: " + err.Error())
	}
}

// consume hands the whole request to the pipeline in one call, bounded by consume_timeout: all or nothing.
func (h *Handler) consume(ctx context.Context, requestID string, batch Batch) (int, string) {
	consumeCtx, cancel := context.WithTimeout(ctx, h.consumeTimeout)
	err := batch.Consume(consumeCtx)
	cancel()
	if err == nil {
		return http.StatusOK, ""
	}
	if pipelineerr.IsConfiguration(err) {
		// A wrong token or endpoint downstream: nothing is wrong with this request, and Firehose keeps retrying a 503
		// for its retry duration, which may outlast the fix.
		h.logger.Error("The exporter cannot deliver anything until its configuration is fixed (see the error); answering 503 so that Firehose retries",
			zap.String("request_id", requestID), zap.Error(err))
		return http.StatusServiceUnavailable, "the collector cannot deliver now (a configuration error downstream); retry later"
	}
	if consumererror.IsPermanent(err) {
		h.logger.Error("The pipeline refused a Firehose request permanently; answering 400 so that Firehose retries and then backs the batch up to S3",
			zap.String("request_id", requestID), zap.Error(err))
		return http.StatusBadRequest, "the pipeline refused the data permanently; see the collector log"
	}
	h.logger.Warn("The pipeline could not take a Firehose request now; answering 503 so that Firehose retries",
		zap.String("request_id", requestID), zap.Error(err))
	return http.StatusServiceUnavailable, "the pipeline cannot take the data now; retry later"
}

func (h *Handler) countDecodeError(ctx context.Context, reason string) {
	h.telemetry.DecodeErrors.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", reason)))
}

// RequiresAccessKey reports whether requests must carry one of the configured access keys (access_keys is set).
func (h *Handler) RequiresAccessKey() bool {
	return h.keys.required()
}
