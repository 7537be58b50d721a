package firehosemetricsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver"

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metadata"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream"
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
	// maxErrorMessageLength is Firehose's limit on errorMessage.
	maxErrorMessageLength = 8192
	obsreportFormat       = "firehose"
)

// errBodyTooLarge is the decompressed body growing past max_request_body_size.
var errBodyTooLarge = errors.New("request body larger than max_request_body_size")

// handler implements the Firehose HTTP endpoint contract (firehose-http-endpoint.md §4):
//
//	GET/HEAD → 200 (health check); other non-POST → 405; no request id → 400; access key missing or wrong → 401;
//	body or record over the caps → 413 / 400; malformed body or record → 400 (naming the record index);
//	all records decoded into ONE batch → one ConsumeMetrics → 200 on success, 400 on a permanent pipeline error,
//	503 on any other pipeline error.
//
// Every answer is application/json {"requestId", "timestamp" (ms), "errorMessage"?}.
type handler struct {
	path           string
	keys           accessKeys
	decoder        *metricstream.Decoder
	next           consumer.Metrics
	obsrecv        *receiverhelper.ObsReport
	telemetry      *metadata.TelemetryBuilder
	logger         *zap.Logger // sampled: the same message at most once a minute
	maxBodySize    int64
	maxRecordSize  int
	consumeTimeout time.Duration
	limit          requestLimit              // max_concurrent_requests
	dedup          *requestDedup             // nil when dedup_window is 0
	enrich         func(pmetric.Metrics) int // nil unless resource_tags.enrich
	now            func() time.Time

	parsers sync.Pool // *requestParser
	gzips   sync.Pool // *gzip.Reader
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
	h.telemetry.ReceiverFirehosemetricsRequests.Add(r.Context(), 1, attrs)
	h.telemetry.ReceiverFirehosemetricsRequestDuration.Record(r.Context(), time.Since(started).Seconds(), attrs)
}

// serveLimited serves r when fewer than max_concurrent_requests are being served, and answers 503 at once otherwise.
// Health checks are not counted: they hold nothing.
func (h *handler) serveLimited(w http.ResponseWriter, r *http.Request, requestID string, state *requestState) (int, string) {
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
func (h *handler) serve(w http.ResponseWriter, r *http.Request, requestID string, state *requestState) (int, string) {
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
		h.telemetry.ReceiverFirehosemetricsDuplicateRequests.Add(r.Context(), 1)
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
func (h *handler) deliver(w http.ResponseWriter, r *http.Request, requestID string, state *requestState) (int, string) {
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

	batch := h.decoder.NewBatch(commonAttributes)
	parser := h.parsers.Get().(*requestParser)
	_, err = parser.parse(body, requestID, func(_ int, data []byte) error {
		return batch.AddRecord(data)
	})
	h.parsers.Put(parser)
	state.format = requestFormat(batch)
	if err != nil {
		return h.parseFailure(r, requestID, err)
	}
	return h.consume(r.Context(), requestID, batch)
}

// bodyReader returns the decompressed body bounded by max_request_body_size on the received bytes and again on the
// decompressed bytes (a gzip bomb stops at the cap; nothing is read whole into memory).
func (h *handler) bodyReader(w http.ResponseWriter, r *http.Request) (io.Reader, func(), error) {
	raw := http.MaxBytesReader(w, r.Body, h.maxBodySize)
	encoding := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding")))
	switch encoding {
	case "", "identity":
		return raw, func() {}, nil
	case "gzip":
		zr, _ := h.gzips.Get().(*gzip.Reader)
		var err error
		if zr == nil {
			zr, err = gzip.NewReader(raw)
		} else {
			err = zr.Reset(raw)
		}
		if err != nil {
			if isBodyTooLarge(err) {
				return nil, nil, err
			}
			return nil, nil, fmt.Errorf("body is not valid gzip: %v", err)
		}
		return &cappedReader{r: zr, remaining: h.maxBodySize}, func() { h.gzips.Put(zr) }, nil
	default:
		return nil, nil, fmt.Errorf("unsupported Content-Encoding %q: Firehose sends gzip or no encoding", encoding)
	}
}

// parseFailure maps a body that could not be read or decoded to its answer.
func (h *handler) parseFailure(r *http.Request, requestID string, err error) (int, string) {
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

// consume hands the whole request to the pipeline in one call: all or nothing.
func (h *handler) consume(ctx context.Context, requestID string, batch *metricstream.Batch) (int, string) {
	stats := batch.Stats()
	md := batch.Metrics()
	enriched := 0
	if h.enrich != nil {
		enriched = h.enrich(md)
	}
	points := md.DataPointCount()
	if points > 0 {
		opCtx := h.obsrecv.StartMetricsOp(ctx)
		consumeCtx, cancel := context.WithTimeout(opCtx, h.consumeTimeout)
		err := h.next.ConsumeMetrics(consumeCtx, md)
		cancel()
		h.obsrecv.EndMetricsOp(opCtx, obsreportFormat, points, err)
		if err != nil {
			if consumererror.IsPermanent(err) {
				h.logger.Error("The pipeline refused a Firehose request permanently; answering 400 so that Firehose retries and then backs the batch up to S3",
					zap.String("request_id", requestID), zap.Error(err))
				return http.StatusBadRequest, "the pipeline refused the data permanently; see the collector log"
			}
			h.logger.Warn("The pipeline could not take a Firehose request now; answering 503 so that Firehose retries",
				zap.String("request_id", requestID), zap.Error(err))
			return http.StatusServiceUnavailable, "the pipeline cannot take the data now; retry later"
		}
	}
	h.telemetry.ReceiverFirehosemetricsRecords.Add(ctx, int64(stats.Records))
	h.telemetry.ReceiverFirehosemetricsDataPoints.Add(ctx, int64(stats.DataPoints))
	for namespace, dropped := range batch.DroppedNamespaces() {
		h.telemetry.ReceiverFirehosemetricsDataPointsDropped.Add(ctx, int64(dropped), metric.WithAttributes(attribute.String("namespace", namespace)))
	}
	h.telemetry.ReceiverFirehosemetricsDemoRecords.Add(ctx, int64(stats.DemoRecords))
	if enriched > 0 {
		h.telemetry.ReceiverFirehosemetricsEnrichedDataPoints.Add(ctx, int64(enriched))
	}
	return http.StatusOK, ""
}

// firehoseResponse is the only answer shape Firehose accepts; unknown fields would make the answer invalid.
type firehoseResponse struct {
	RequestID    string `json:"requestId"`
	Timestamp    int64  `json:"timestamp"`
	ErrorMessage string `json:"errorMessage,omitempty"`
}

func (h *handler) respond(w http.ResponseWriter, r *http.Request, status int, requestID, msg string) {
	body, err := json.Marshal(firehoseResponse{RequestID: requestID, Timestamp: h.now().UnixMilli(), ErrorMessage: truncate(msg)})
	if err != nil { // cannot happen with strings and an int64
		body = []byte(`{"requestId":"","timestamp":0}`)
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json")
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	hdr.Del("Content-Encoding")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

func (h *handler) countDecodeError(ctx context.Context, reason string) {
	h.telemetry.ReceiverFirehosemetricsDecodeErrors.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", reason)))
}

// parseCommonAttributes reads X-Amz-Firehose-Common-Attributes: {"commonAttributes": {"<key>": "<value>", ...}}.
func parseCommonAttributes(header string) (map[string]string, error) {
	if strings.TrimSpace(header) == "" {
		return nil, nil
	}
	var v struct {
		CommonAttributes map[string]string `json:"commonAttributes"`
	}
	if err := json.Unmarshal([]byte(header), &v); err != nil {
		return nil, fmt.Errorf("%s is not {\"commonAttributes\": {<string>: <string>}}: %v", headerCommonAttributes, err)
	}
	return v.CommonAttributes, nil
}

func isBodyTooLarge(err error) bool {
	var maxBytes *http.MaxBytesError
	return errors.Is(err, errBodyTooLarge) || errors.As(err, &maxBytes)
}

func truncate(msg string) string {
	if len(msg) <= maxErrorMessageLength {
		return msg
	}
	return msg[:maxErrorMessageLength]
}

// cappedReader fails with errBodyTooLarge once more than remaining bytes come out of r.
type cappedReader struct {
	r         io.Reader
	remaining int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.remaining <= 0 {
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, errBodyTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > c.remaining {
		p = p[:c.remaining]
	}
	n, err := c.r.Read(p)
	c.remaining -= int64(n)
	return n, err
}
