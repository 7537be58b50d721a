// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
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
		{name: "accepted", body: firehoseBody("ok", good, good), status: 200, answerID: "ok", consumed: 6},
		{name: "accepted, gzip body", body: firehoseBody("ok", good), gzip: true, status: 200, answerID: "ok", consumed: 3},
		{name: "only a control message", body: firehoseBody("ok", gzipped(t, []byte(controlDocument))), status: 200, answerID: "ok"},
		{name: "wrong access key", body: firehoseBody("ok", good), headers: map[string]string{"X-Amz-Firehose-Access-Key": "wrong"}, status: 401, answerID: "ok", errMsg: "missing or invalid access key"},
		{name: "missing request id", body: firehoseBody("ok", good), headers: map[string]string{"X-Amz-Firehose-Request-Id": ""}, status: 400, answerID: "", errMsg: "missing X-Amz-Firehose-Request-Id"},
		{name: "bad gzip in the second record", body: firehoseBody("ok", good, []byte{0x1f, 0x8b, 1, 2, 3}), status: 400, answerID: "ok", errMsg: "record 1 could not be decoded: the record starts like gzip but is not valid gzip"},
		{name: "gzip that is not JSON", body: firehoseBody("ok", gzipped(t, []byte("plain text"))), status: 400, answerID: "ok", errMsg: "record 0 could not be decoded: not a CloudWatch Logs subscription document"},
		{name: "record over max_decompressed_record_size", body: firehoseBody("ok", good), cfg: func(c *Config) { c.MaxDecompressedRecordSize = 512 }, status: 400, answerID: "ok", errMsg: "record 0 could not be decoded: the record decompresses to more than max_decompressed_record_size (512 bytes)"},
		{name: "body over max_request_body_size", body: firehoseBody("ok", bytes.Repeat([]byte("a message\n"), 1000)), cfg: func(c *Config) { c.ServerConfig.MaxRequestBodySize, c.MaxRecordSize = 4096, 4096 }, status: 413, answerID: "ok", errMsg: "max_request_body_size"},
		{name: "malformed body", body: []byte(`{"requestId":"ok","records":[`), status: 400, answerID: "ok", errMsg: "ended before the JSON object was complete"},
		{name: "permanent pipeline error", body: firehoseBody("ok", good), consumeErr: consumererror.NewPermanent(errors.New("refused")), status: 400, answerID: "ok", errMsg: "refused the data permanently"},
		{name: "pipeline busy", body: firehoseBody("ok", good), consumeErr: errors.New("queue is full"), status: 503, answerID: "ok", errMsg: "retry later"},
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
			requireAnswer(t, post(t, url, tt.body, headers, tt.gzip), tt.status, tt.answerID, tt.errMsg)
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
	requireAnswer(t, post(t, url, firehoseBody("a", gzipped(t, []byte("x"))), firehoseHeaders("a"), false), 400, "a", "record 0")
	requireAnswer(t, post(t, url, []byte("nope"), firehoseHeaders("b"), false), 400, "b", "malformed")
	headers := firehoseHeaders("c")
	headers["Content-Encoding"] = "br"
	requireAnswer(t, post(t, url, []byte("{}"), headers, false), 400, "c", "unsupported Content-Encoding")
	assert.Equal(t, map[string]int64{"record": 1, "body": 1, "content_encoding": 1}, sumByAttributes(t, tel, "otelcol_receiver_firehoselogs_decode_errors", "reason"))
	assert.Equal(t, map[string]int64{"400/unknown": 3}, sumByAttributes(t, tel, "otelcol_receiver_firehoselogs_requests", "http.response.status_code", "format"),
		"a gzip record that is not a subscription document tells no format")
}

// sumByAttributes returns the counter's values keyed by the values of keys, joined with "/" ("" without keys).
func sumByAttributes(t *testing.T, tel *componenttest.Telemetry, name string, keys ...string) map[string]int64 {
	t.Helper()
	m, err := tel.GetMetric(name)
	require.NoError(t, err, name)
	sum, ok := m.Data.(metricdata.Sum[int64])
	require.True(t, ok, "%s is a sum", name)
	out := map[string]int64{}
	for _, dp := range sum.DataPoints {
		values := make([]string, len(keys))
		for i, key := range keys {
			v, _ := dp.Attributes.Value(attribute.Key(key))
			values[i] = v.String()
		}
		out[strings.Join(values, "/")] += dp.Value
	}
	return out
}
