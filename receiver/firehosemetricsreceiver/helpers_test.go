// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metadata"
)

const testAccessKey = "EXAMPLE-ACCESS-KEY"

// testConfig is the default configuration on a free loopback port with the samples' access key.
func testConfig() *Config {
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	cfg.ServerConfig.NetAddr.Endpoint = "127.0.0.1:0"
	cfg.AccessKeys = append(cfg.AccessKeys, testAccessKey)
	return cfg
}

// startReceiver starts the receiver through its factory on a real listener and returns its base URL.
func startReceiver(t *testing.T, cfg *Config, next consumer.Metrics) (string, *firehoseReceiver) {
	t.Helper()
	return startReceiverWithSettings(t, cfg, next, receivertest.NewNopSettings(metadata.Type))
}

// startReceiverWithTelemetry is startReceiver with the receiver's own metrics recorded in the returned telemetry.
func startReceiverWithTelemetry(t *testing.T, cfg *Config, next consumer.Metrics) (string, *componenttest.Telemetry) {
	t.Helper()
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	settings := receivertest.NewNopSettings(metadata.Type)
	settings.TelemetrySettings = tel.NewTelemetrySettings()
	url, _ := startReceiverWithSettings(t, cfg, next, settings)
	return url, tel
}

func startReceiverWithSettings(t *testing.T, cfg *Config, next consumer.Metrics, settings receiver.Settings) (string, *firehoseReceiver) {
	t.Helper()
	require.NoError(t, cfg.Validate())
	rcv, err := NewFactory().CreateMetrics(context.Background(), settings, cfg, next)
	require.NoError(t, err)
	require.NoError(t, rcv.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, rcv.Shutdown(context.Background())) })
	r := rcv.(*firehoseReceiver)
	return "http://" + r.address.String() + cfg.Path, r
}

// answer is a decoded receiver response.
type answer struct {
	Status int
	Header http.Header
	Raw    []byte
	Fields map[string]any
	// Close is whether the answer said Connection: close (net/http removes that header from Header).
	Close bool
}

// post sends body with headers; gzipped compresses it first.
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
	return do(t, req)
}

func do(t *testing.T, req *http.Request) answer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := answer{Status: resp.StatusCode, Header: resp.Header, Raw: raw, Close: resp.Close}
	if req.Method != http.MethodHead {
		require.NoError(t, json.Unmarshal(raw, &a.Fields), "answer is not JSON: %q", raw)
	}
	return a
}

// requireFirehoseAnswer checks the response contract: JSON content type, no content encoding, the exact field set,
// the same request id and a millisecond timestamp as a JSON number.
func requireFirehoseAnswer(t *testing.T, a answer, status int, requestID, errorContains string) {
	t.Helper()
	require.Equal(t, status, a.Status, "answer: %s", a.Raw)
	require.Equal(t, "application/json", a.Header.Get("Content-Type"))
	require.Empty(t, a.Header.Get("Content-Encoding"))
	require.Equal(t, strconv.Itoa(len(a.Raw)), a.Header.Get("Content-Length"))
	require.Less(t, len(a.Raw), 1<<20)
	require.Equal(t, requestID, a.Fields["requestId"])
	ts, isNumber := a.Fields["timestamp"].(float64)
	require.True(t, isNumber, "timestamp must be a JSON number: %s", a.Raw)
	require.InDelta(t, float64(time.Now().UnixMilli()), ts, float64(10*time.Minute/time.Millisecond), "timestamp must be epoch milliseconds")
	if errorContains == "" {
		require.Len(t, a.Fields, 2, "a success answer has exactly requestId and timestamp: %s", a.Raw)
		return
	}
	require.Len(t, a.Fields, 3, "an error answer has requestId, timestamp and errorMessage: %s", a.Raw)
	require.Contains(t, a.Fields["errorMessage"], errorContains)
}

// series renders metrics as sorted lines `name{label="value",...} value @ms`, resource attributes included, so tests
// compare the exact output.
func series(md pmetric.Metrics) []string {
	var out []string
	for i := 0; i < md.ResourceMetrics().Len(); i++ {
		rm := md.ResourceMetrics().At(i)
		for j := 0; j < rm.ScopeMetrics().Len(); j++ {
			ms := rm.ScopeMetrics().At(j).Metrics()
			for k := 0; k < ms.Len(); k++ {
				m := ms.At(k)
				switch m.Type() {
				case pmetric.MetricTypeGauge:
					dps := m.Gauge().DataPoints()
					for d := 0; d < dps.Len(); d++ {
						dp := dps.At(d)
						out = append(out, fmt.Sprintf("%s{%s} %s @%d", m.Name(), renderLabels(rm.Resource().Attributes(), dp.Attributes()),
							strconv.FormatFloat(dp.DoubleValue(), 'g', -1, 64), dp.Timestamp().AsTime().UnixMilli()))
					}
				case pmetric.MetricTypeSummary:
					dps := m.Summary().DataPoints()
					for d := 0; d < dps.Len(); d++ {
						dp := dps.At(d)
						var qs []string
						for q := 0; q < dp.QuantileValues().Len(); q++ {
							qv := dp.QuantileValues().At(q)
							qs = append(qs, fmt.Sprintf("%g:%g", qv.Quantile(), qv.Value()))
						}
						out = append(out, fmt.Sprintf("%s{%s} count=%d sum=%g q=[%s] @%d-%d", m.Name(), renderLabels(rm.Resource().Attributes(), dp.Attributes()),
							dp.Count(), dp.Sum(), strings.Join(qs, " "), dp.StartTimestamp().AsTime().UnixMilli(), dp.Timestamp().AsTime().UnixMilli()))
					}
				default:
					out = append(out, fmt.Sprintf("%s unexpected type %s", m.Name(), m.Type()))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// renderLabels merges resource and data point attributes the way the remote-write translator turns them into labels
// (resource_to_telemetry_conversion); a key present on both sides is rendered as a conflict so that tests catch it.
func renderLabels(resource, point pcommon.Map) string {
	labels := map[string]string{}
	for k, v := range resource.All() {
		labels[k] = v.AsString()
	}
	for k, v := range point.All() {
		if r, dup := labels[k]; dup {
			labels[k] = "CONFLICT resource=" + r + " point=" + v.AsString()
			continue
		}
		labels[k] = v.AsString()
	}
	parts := make([]string, 0, len(labels))
	for k, v := range labels {
		parts = append(parts, fmt.Sprintf("%s=%q", k, v))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// recordingConsumer records every ConsumeMetrics call and answers with err.
type recordingConsumer struct {
	mu    sync.Mutex
	calls []pmetric.Metrics
	err   error
}

func (c *recordingConsumer) Capabilities() consumer.Capabilities { return consumer.Capabilities{} }

func (c *recordingConsumer) ConsumeMetrics(_ context.Context, md pmetric.Metrics) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, md)
	return c.err
}

func (c *recordingConsumer) Calls() []pmetric.Metrics {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]pmetric.Metrics(nil), c.calls...)
}
