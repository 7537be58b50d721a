// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
)

// TestAnswers: the Firehose contract's answers for logs, all or nothing: a request with one bad record consumes none.
func TestAnswers(t *testing.T) {
	good := gzipped(t, readSample(t, "cloudwatch-logs-subscription.json"))
	tests := []struct {
		name       string
		body       []byte
		headers    map[string]string
		gzip       bool
		cfg        func(*Config)
		consumeErr error
		status     int
		answerID   string
		errMsg     string
		consumed   int
	}{
		{name: "accepted", body: firehosetest.Body("ok", good, good), status: 200, answerID: "ok", consumed: 6},
		{name: "accepted, gzip body", body: firehosetest.Body("ok", good), gzip: true, status: 200, answerID: "ok", consumed: 3},
		{name: "only a control message", body: firehosetest.Body("ok", gzipped(t, []byte(controlDocument))), status: 200, answerID: "ok"},
		{name: "wrong access key", body: firehosetest.Body("ok", good), headers: map[string]string{"X-Amz-Firehose-Access-Key": "wrong"}, status: 401, answerID: "ok", errMsg: "missing or invalid access key"},
		{name: "missing request id", body: firehosetest.Body("ok", good), headers: map[string]string{"X-Amz-Firehose-Request-Id": ""}, status: 400, answerID: "", errMsg: "missing X-Amz-Firehose-Request-Id"},
		{name: "bad gzip in the second record", body: firehosetest.Body("ok", good, []byte{0x1f, 0x8b, 1, 2, 3}), status: 400, answerID: "ok", errMsg: "record 1 could not be decoded: the record starts like gzip but is not valid gzip"},
		{name: "gzip that is not JSON", body: firehosetest.Body("ok", gzipped(t, []byte("plain text"))), status: 400, answerID: "ok", errMsg: "record 0 could not be decoded: not a CloudWatch Logs subscription document"},
		{name: "record over max_decompressed_record_size", body: firehosetest.Body("ok", good), cfg: func(c *Config) { c.MaxDecompressedRecordSize = 512 }, status: 400, answerID: "ok", errMsg: "record 0 could not be decoded: the record decompresses to more than max_decompressed_record_size (512 bytes)"},
		{name: "body over max_request_body_size", body: firehosetest.Body("ok", bytes.Repeat([]byte("a message\n"), 1000)), cfg: func(c *Config) { c.ServerConfig.MaxRequestBodySize, c.MaxRecordSize = 4096, 4096 }, status: 413, answerID: "ok", errMsg: "max_request_body_size"},
		{name: "malformed body", body: []byte(`{"requestId":"ok","records":[`), status: 400, answerID: "ok", errMsg: "ended before the JSON object was complete"},
		{name: "permanent pipeline error", body: firehosetest.Body("ok", good), consumeErr: consumererror.NewPermanent(errors.New("refused")), status: 400, answerID: "ok", errMsg: "refused the data permanently"},
		{name: "pipeline busy", body: firehosetest.Body("ok", good), consumeErr: errors.New("queue is full"), status: 503, answerID: "ok", errMsg: "retry later"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			if tt.cfg != nil {
				tt.cfg(cfg)
			}
			sink := new(consumertest.LogsSink)
			var url string
			if tt.consumeErr != nil {
				url = startReceiver(t, cfg, consumertest.NewErr(tt.consumeErr))
			} else {
				url = startReceiver(t, cfg, sink)
			}
			headers := firehoseHeaders("ok")
			for k, v := range tt.headers {
				if v == "" {
					delete(headers, k)
					continue
				}
				headers[k] = v
			}
			firehosetest.RequireAnswer(t, firehosetest.Post(t, url, tt.body, headers, tt.gzip), tt.status, tt.answerID, tt.errMsg)
			assert.Equal(t, tt.consumed, sink.LogRecordCount())
			if tt.consumed == 0 {
				assert.Empty(t, sink.AllLogs(), "nothing of a refused request reaches the pipeline")
			}
		})
	}
}

// Refused requests are counted by reason and by the format their records were read in.
func TestRefusalTelemetry(t *testing.T) {
	url, tel := startReceiverWithTelemetry(t, testConfig(), new(consumertest.LogsSink))
	firehosetest.RequireAnswer(t, firehosetest.Post(t, url, firehosetest.Body("a", gzipped(t, []byte("x"))), firehoseHeaders("a"), false), 400, "a", "record 0")
	firehosetest.RequireAnswer(t, firehosetest.Post(t, url, []byte("nope"), firehoseHeaders("b"), false), 400, "b", "malformed")
	headers := firehoseHeaders("c")
	headers["Content-Encoding"] = "br"
	firehosetest.RequireAnswer(t, firehosetest.Post(t, url, []byte("{}"), headers, false), 400, "c", "unsupported Content-Encoding")
	assert.Equal(t, map[string]int64{"record": 1, "body": 1, "content_encoding": 1}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehoselogs_decode_errors", "reason"))
	assert.Equal(t, map[string]int64{"400/unknown": 3}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehoselogs_requests", "http.response.status_code", "format"),
		"a gzip record that is not a subscription document tells no format")
}
