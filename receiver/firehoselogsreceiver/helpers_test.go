// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver/internal/metadata"
)

const testAccessKey = "EXAMPLE-ACCESS-KEY"

// testConfig is the default configuration on a free loopback port with the test access key.
func testConfig() *Config {
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	cfg.ServerConfig.NetAddr.Endpoint = "127.0.0.1:0"
	cfg.AccessKeys = append(cfg.AccessKeys, testAccessKey)
	return cfg
}

// startReceiver starts the receiver through its factory on a real listener and returns its URL.
func startReceiver(t *testing.T, cfg *Config, next consumer.Logs) string {
	t.Helper()
	return startReceiverWithSettings(t, cfg, next, receivertest.NewNopSettings(metadata.Type))
}

// startReceiverWithTelemetry is startReceiver with the receiver's own metrics recorded in the returned telemetry.
func startReceiverWithTelemetry(t *testing.T, cfg *Config, next consumer.Logs) (string, *componenttest.Telemetry) {
	t.Helper()
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	settings := receivertest.NewNopSettings(metadata.Type)
	settings.TelemetrySettings = tel.NewTelemetrySettings()
	return startReceiverWithSettings(t, cfg, next, settings), tel
}

func startReceiverWithSettings(t *testing.T, cfg *Config, next consumer.Logs, settings receiver.Settings) string {
	t.Helper()
	require.NoError(t, cfg.Validate())
	rcv, err := NewFactory().CreateLogs(context.Background(), settings, cfg, next)
	require.NoError(t, err)
	require.NoError(t, rcv.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, rcv.Shutdown(context.Background())) })
	return "http://" + rcv.(*logsReceiver).address.String() + cfg.Path
}

// readSample is a file of testdata/samples.
func readSample(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "samples", name))
	require.NoError(tb, err)
	return data
}

// lambdaSampleRecord is the awslogs.data of AWS's CloudWatch Logs sample event, decoded from base64: gzip bytes
// exactly as AWS publishes them.
func lambdaSampleRecord(tb testing.TB) []byte {
	tb.Helper()
	var event struct {
		AWSLogs struct {
			Data string `json:"data"`
		} `json:"awslogs"`
	}
	require.NoError(tb, json.Unmarshal(readSample(tb, "lambda-sample-event.json"), &event))
	data, err := base64.StdEncoding.DecodeString(event.AWSLogs.Data)
	require.NoError(tb, err)
	return data
}

// gzipped compresses data at level 6, as CloudWatch Logs compresses what it sends to Firehose.
func gzipped(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, 6)
	require.NoError(tb, err)
	_, err = zw.Write(data)
	require.NoError(tb, err)
	require.NoError(tb, zw.Close())
	return buf.Bytes()
}

// firehoseBody is a Firehose request body carrying records.
func firehoseBody(requestID string, records ...[]byte) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"requestId":%q,"timestamp":%d,"records":[`, requestID, time.Now().UnixMilli())
	for i, r := range records {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"data":"` + base64.StdEncoding.EncodeToString(r) + `"}`)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// firehoseHeaders are the headers Firehose sends with a request.
func firehoseHeaders(requestID string) map[string]string {
	return map[string]string{
		"Content-Type":                    "application/json",
		"X-Amz-Firehose-Protocol-Version": "1.0",
		"X-Amz-Firehose-Request-Id":       requestID,
		"X-Amz-Firehose-Source-Arn":       "arn:aws:firehose:us-east-1:111111111111:deliverystream/cloudwatch-logs",
		"X-Amz-Firehose-Access-Key":       testAccessKey,
	}
}

// answer is a decoded receiver response.
type answer struct {
	Status int
	Raw    []byte
	Fields map[string]any
	Header http.Header
}

// post sends body with headers, gzip-compressed first when gzipped (Content-Encoding: gzip).
func post(t *testing.T, url string, body []byte, headers map[string]string, gzipped bool) answer {
	t.Helper()
	if gzipped {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, err := zw.Write(body)
		require.NoError(t, err)
		require.NoError(t, zw.Close())
		body = buf.Bytes()
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if gzipped {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := answer{Status: resp.StatusCode, Raw: raw, Header: resp.Header}
	require.NoError(t, json.Unmarshal(raw, &a.Fields), "answer is not JSON: %q", raw)
	return a
}

// requireAnswer checks the Firehose answer contract: status, JSON, the request id echoed, a millisecond timestamp,
// errorMessage only on failure (containing errorContains).
func requireAnswer(t *testing.T, a answer, status int, requestID, errorContains string) {
	t.Helper()
	require.Equal(t, status, a.Status, "answer: %s", a.Raw)
	require.Equal(t, "application/json", a.Header.Get("Content-Type"))
	require.Empty(t, a.Header.Get("Content-Encoding"))
	require.Equal(t, strconv.Itoa(len(a.Raw)), a.Header.Get("Content-Length"))
	require.Equal(t, requestID, a.Fields["requestId"])
	ts, isNumber := a.Fields["timestamp"].(float64)
	require.True(t, isNumber, "timestamp must be a JSON number: %s", a.Raw)
	require.InDelta(t, float64(time.Now().UnixMilli()), ts, float64(10*time.Minute/time.Millisecond))
	if errorContains == "" {
		require.Len(t, a.Fields, 2, "a success answer has exactly requestId and timestamp: %s", a.Raw)
		return
	}
	require.Len(t, a.Fields, 3, "an error answer has requestId, timestamp and errorMessage: %s", a.Raw)
	require.Contains(t, a.Fields["errorMessage"], errorContains)
}

// decodeRecords runs a request's records through a fresh batch of cfg and returns the log records and the decoder.
func decodeRecords(t testing.TB, cfg *Config, records ...[]byte) (plog.Logs, *recordDecoder, error) {
	out := newLogsBuilder(metadata.ScopeName, "test", pcommon.Timestamp(1))
	dec := newRecordDecoder(cfg, plainDecoder{}, out)
	for i, r := range records {
		if err := dec.add(r); err != nil {
			return out.logs, dec, fmt.Errorf("record %d: %w", i, err)
		}
	}
	return out.logs, dec, nil
}

// rendered is a log record as the tests compare it: resource attributes, timestamp, attributes and body.
func rendered(logs plog.Logs) []string {
	var out []string
	for i := 0; i < logs.ResourceLogs().Len(); i++ {
		rl := logs.ResourceLogs().At(i)
		res := renderMap(rl.Resource().Attributes())
		for j := 0; j < rl.ScopeLogs().Len(); j++ {
			lrs := rl.ScopeLogs().At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				lr := lrs.At(k)
				out = append(out, fmt.Sprintf("%s | %d | %s | %q", res, lr.Timestamp().AsTime().UnixMilli(), renderMap(lr.Attributes()), lr.Body().Str()))
			}
		}
	}
	return out
}

func renderMap(m pcommon.Map) string {
	parts := make([]string, 0, m.Len())
	for k, v := range m.All() {
		parts = append(parts, k+"="+v.AsString())
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}
