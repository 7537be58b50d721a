// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumererror"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
)

func headersWith(base map[string]string, kv ...string) map[string]string {
	out := maps.Clone(base)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
			continue
		}
		out[kv[i]] = kv[i+1]
	}
	return out
}

// TestAnswers checks the answer of every status the receiver gives, and that nothing reaches the pipeline unless the
// whole request was accepted.
func TestAnswers(t *testing.T) {
	s := loadSample(t, "otel1.0-request.json")
	id := s.Headers["X-Amz-Firehose-Request-Id"]
	bad := base64.StdEncoding.EncodeToString([]byte("\x05abc")) // a varint length beyond the record
	var parsed struct {
		Records []struct {
			Data string `json:"data"`
		} `json:"records"`
	}
	require.NoError(t, json.Unmarshal(s.Body, &parsed))
	twoRecords := `{"requestId":"` + id + `","timestamp":1,"records":[{"data":"` + parsed.Records[0].Data + `"},{"data":"` + bad + `"}]}`

	tests := []struct {
		name       string
		body       string
		headers    map[string]string
		consumeErr error
		status     int
		answerID   string
		errMsg     string
		consumed   int
	}{
		{name: "accepted", body: string(s.Body), headers: s.Headers, status: 200, answerID: id, consumed: 1},
		{name: "accepted with lower-case header names", body: string(s.Body), headers: lowerKeys(s.Headers), status: 200, answerID: id, consumed: 1},
		{name: "missing request id", body: string(s.Body), headers: headersWith(s.Headers, "X-Amz-Firehose-Request-Id", ""), status: 400, answerID: "", errMsg: "missing X-Amz-Firehose-Request-Id"},
		{name: "missing access key", body: string(s.Body), headers: headersWith(s.Headers, "X-Amz-Firehose-Access-Key", ""), status: 401, answerID: id, errMsg: "missing or invalid access key"},
		{name: "wrong access key", body: string(s.Body), headers: headersWith(s.Headers, "X-Amz-Firehose-Access-Key", "EXAMPLE-ACCESS-KEY2"), status: 401, answerID: id, errMsg: "missing or invalid access key"},
		{name: "empty access key", body: string(s.Body), headers: headersWith(s.Headers, "X-Amz-Firehose-Access-Key", " "), status: 401, answerID: id, errMsg: "missing or invalid access key"},
		{name: "second rotation key", body: string(s.Body), headers: headersWith(s.Headers, "X-Amz-Firehose-Access-Key", "NEXT-KEY"), status: 200, answerID: id, consumed: 1},
		{name: "body id differs from header", body: string(s.Body), headers: headersWith(s.Headers, "X-Amz-Firehose-Request-Id", "other-id"), status: 400, answerID: "other-id", errMsg: "does not match"},
		{name: "not JSON", body: "hello", headers: s.Headers, status: 400, answerID: id, errMsg: "malformed Firehose request"},
		{name: "truncated JSON", body: string(s.Body[:len(s.Body)/2]), headers: s.Headers, status: 400, answerID: id, errMsg: "ended before"},
		{name: "undecodable second record", body: twoRecords, headers: s.Headers, status: 400, answerID: id, errMsg: "record 1 could not be decoded"},
		{name: "unsupported content encoding", body: string(s.Body), headers: headersWith(s.Headers, "Content-Encoding", "br"), status: 400, answerID: id, errMsg: "unsupported Content-Encoding"},
		{name: "not gzip", body: string(s.Body), headers: headersWith(s.Headers, "Content-Encoding", "gzip"), status: 400, answerID: id, errMsg: "not valid gzip"},
		{name: "bad common attributes", body: string(s.Body), headers: headersWith(s.Headers, "X-Amz-Firehose-Common-Attributes", "{"), status: 400, answerID: id, errMsg: "X-Amz-Firehose-Common-Attributes"},
		{name: "pipeline refuses for now", body: string(s.Body), headers: s.Headers, consumeErr: errors.New("sending queue is full"), status: 503, answerID: id, errMsg: "retry later", consumed: 1},
		{name: "pipeline refuses permanently", body: string(s.Body), headers: s.Headers, consumeErr: consumererror.NewPermanent(errors.New("bad data")), status: 400, answerID: id, errMsg: "refused the data permanently", consumed: 1},
		{name: "over the body cap", body: string(s.Body) + strings.Repeat(" ", 4096), headers: s.Headers, status: 413, answerID: id, errMsg: "larger than 4096 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := &recordingConsumer{err: tt.consumeErr}
			cfg := testConfig()
			cfg.AccessKeys = append(cfg.AccessKeys, "NEXT-KEY")
			cfg.ServerConfig.MaxRequestBodySize = 4096
			cfg.MaxRecordSize = 4096
			cfg.MaxRecordSize = 4096
			url, _ := startReceiver(t, cfg, sink)

			a := firehosetest.Post(t, url, []byte(tt.body), tt.headers, false)

			requireFirehoseAnswer(t, a, tt.status, tt.answerID, tt.errMsg)
			assert.Len(t, sink.Calls(), tt.consumed)
			assert.NotContains(t, string(a.Raw), testAccessKey, "the access key never appears in an answer")
		})
	}
}

func TestBodyCapAppliesToDecompressedBytes(t *testing.T) {
	s := loadSample(t, "otel1.0-request.json")
	sink := &recordingConsumer{}
	cfg := testConfig()
	cfg.ServerConfig.MaxRequestBodySize = 4096
	cfg.MaxRecordSize = 4096
	url, _ := startReceiver(t, cfg, sink)
	// 64 KiB of JSON whitespace compresses to well under the cap but decompresses over it.
	body := append(bytes.Repeat([]byte(" "), 64*1024), s.Body...)
	a := firehosetest.Post(t, url, body, s.Headers, true)
	requireFirehoseAnswer(t, a, 413, s.Headers["X-Amz-Firehose-Request-Id"], "max_request_body_size")
	assert.Empty(t, sink.Calls())
}

func TestNonFirehoseRequests(t *testing.T) {
	sink := &recordingConsumer{}
	cfg := testConfig()
	cfg.Path = "/firehose"
	url, _ := startReceiver(t, cfg, sink)

	for _, method := range []string{http.MethodGet, http.MethodHead} {
		req, err := http.NewRequest(method, url, nil)
		require.NoError(t, err)
		a := firehosetest.Do(t, req)
		assert.Equal(t, 200, a.Status, "%s is a health check", method)
		assert.Equal(t, "application/json", a.Header.Get("Content-Type"))
		if method == http.MethodGet {
			requireFirehoseAnswer(t, a, 200, "", "")
		}
	}

	req, err := http.NewRequest(http.MethodPut, url, strings.NewReader("{}"))
	require.NoError(t, err)
	a := firehosetest.Do(t, req)
	requireFirehoseAnswer(t, a, 405, "", "only POST")
	assert.Equal(t, "GET, HEAD, POST", a.Header.Get("Allow"))

	s := loadSample(t, "otel1.0-request.json")
	a = firehosetest.Post(t, strings.TrimSuffix(url, "/firehose")+"/elsewhere", s.Body, s.Headers, false)
	requireFirehoseAnswer(t, a, 404, s.Headers["X-Amz-Firehose-Request-Id"], "no Firehose endpoint at this path")
	assert.NotContains(t, string(a.Raw), "/firehose", "a 404 never tells an unauthenticated client the configured path")
	assert.NotContains(t, string(a.Raw), "/elsewhere")

	assert.Empty(t, sink.Calls(), "health checks and stray requests never reach the pipeline")
}

func TestNoAccessKeysConfiguredAcceptsRequestsWithoutHeader(t *testing.T) {
	sink := &recordingConsumer{}
	cfg := testConfig()
	cfg.AccessKeys = nil
	cfg.AllowUnauthenticated = true
	url, _ := startReceiver(t, cfg, sink)
	s := loadSample(t, "json-request.json")
	a := firehosetest.Post(t, url, s.Body, headersWith(s.Headers, "X-Amz-Firehose-Access-Key", ""), false)
	requireFirehoseAnswer(t, a, 200, s.Headers["X-Amz-Firehose-Request-Id"], "")
	assert.Len(t, sink.Calls(), 1)
}

func TestConfiguredLogzioNameIsTheFallback(t *testing.T) {
	sink := &recordingConsumer{}
	cfg := testConfig()
	cfg.LogzioName = "from-config"
	url, _ := startReceiver(t, cfg, sink)
	s := loadSample(t, "otel1.0-request.json")

	// Two batches (a request id is one batch: a second request under the same id would be a retry, see dedup_window).
	first := s.withRequestID("first-batch")
	requireFirehoseAnswer(t, firehosetest.Post(t, url, first.Body, headersWith(first.Headers, "X-Amz-Firehose-Common-Attributes", ""), false), 200, "first-batch", "")
	requireFirehoseAnswer(t, firehosetest.Post(t, url, s.Body, s.Headers, false), 200, s.Headers["X-Amz-Firehose-Request-Id"], "")
	calls := sink.Calls()
	require.Len(t, calls, 2)
	assert.Contains(t, series(calls[0])[0], `p8s_logzio_name="from-config"`)
	assert.Contains(t, series(calls[1])[0], `p8s_logzio_name="example-env"`, "the request's common attribute wins")
}

// TestGzipBomb streams a 1 GiB gzip body from a generator (never held in memory) and checks that the receiver refuses
// it while the whole process allocates less than 64 MiB.
func TestGzipBomb(t *testing.T) {
	const bombSize = 1 << 30
	tests := []struct {
		name   string
		prefix string
		fill   byte
		status int
		errMsg string
	}{
		// JSON whitespace between records: valid so far, it only ends at the body cap.
		{name: "whitespace", prefix: `{"requestId":"bomb","records":[`, fill: ' ', status: 413, errMsg: "max_request_body_size"},
		// One endless record: stops at the record cap, long before the body cap.
		{name: "endless record", prefix: `{"requestId":"bomb","records":[{"data":"`, fill: 'A', status: 400, errMsg: "record 0 could not be decoded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := &recordingConsumer{}
			url, _ := startReceiver(t, testConfig(), sink) // default cap: 64 MiB

			pr, pw := io.Pipe()
			go func() {
				pw.CloseWithError(writeGzipBomb(pw, tt.prefix, tt.fill, bombSize))
			}()
			req, err := http.NewRequest(http.MethodPost, url, pr)
			require.NoError(t, err)
			req.Header.Set("X-Amz-Firehose-Request-Id", "bomb")
			req.Header.Set("X-Amz-Firehose-Access-Key", testAccessKey)
			req.Header.Set("Content-Encoding", "gzip")

			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			a := firehosetest.Do(t, req)
			runtime.ReadMemStats(&after)
			_ = pr.Close()

			requireFirehoseAnswer(t, a, tt.status, "bomb", tt.errMsg)
			assert.Empty(t, sink.Calls())
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("allocated %.1f MiB while refusing a %d MiB gzip bomb", float64(allocated)/(1<<20), bombSize>>20)
			assert.Less(t, allocated, uint64(64<<20), "memory use must stay far below the decompressed size")
		})
	}
}

// writeGzipBomb writes gzip(prefix + size bytes of fill) to w, generated chunk by chunk.
func writeGzipBomb(w io.Writer, prefix string, fill byte, size int) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return err
	}
	if _, err = zw.Write([]byte(prefix)); err != nil {
		return err
	}
	chunk := bytes.Repeat([]byte{fill}, 64*1024)
	for written := 0; written < size; written += len(chunk) {
		if _, err = zw.Write(chunk); err != nil {
			return err
		}
	}
	return zw.Close()
}

func lowerKeys(h map[string]string) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[strings.ToLower(k)] = v
	}
	return out
}
