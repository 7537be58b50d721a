package firehosemetricsreceiver

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// TestOwnTelemetry checks the receiver's own metrics: requests by status, records, data points, data points dropped
// by namespace, demo records, decode errors and request latency.
func TestOwnTelemetry(t *testing.T) {
	cfg := testConfig()
	cfg.Namespaces = []string{"AWS/EC2"}
	url, tel := startReceiverWithTelemetry(t, cfg, &recordingConsumer{})

	js := loadSample(t, "json-request.json")
	demo := loadSample(t, "demo-data-request.json")
	requireFirehoseAnswer(t, post(t, url, js.Body, js.Headers, false), 200, js.Headers["X-Amz-Firehose-Request-Id"], "")
	requireFirehoseAnswer(t, post(t, url, demo.Body, demo.Headers, true), 200, demo.Headers["X-Amz-Firehose-Request-Id"], "")
	requireFirehoseAnswer(t, post(t, url, []byte("nope"), headersWith(js.Headers, "X-Amz-Firehose-Request-Id", "malformed-request"), false), 400, "malformed-request", "malformed")
	requireFirehoseAnswer(t, post(t, url, js.Body, headersWith(js.Headers, "X-Amz-Firehose-Access-Key", "wrong"), false), 401, js.Headers["X-Amz-Firehose-Request-Id"], "access key")

	assert.Equal(t, map[string]int64{"200": 2, "400": 1, "401": 1}, sumByAttribute(t, tel, "otelcol_receiver_firehosemetrics_requests", "http.response.status_code"))
	assert.Equal(t, map[string]int64{"": 2}, sumByAttribute(t, tel, "otelcol_receiver_firehosemetrics_records", ""))
	assert.Equal(t, map[string]int64{"": 2}, sumByAttribute(t, tel, "otelcol_receiver_firehosemetrics_data_points", ""), "the two EC2 data points")
	assert.Equal(t, map[string]int64{"AWS/ApplicationELB": 1, "AWS/Lambda": 1, "AWS/CloudFront": 1},
		sumByAttribute(t, tel, "otelcol_receiver_firehosemetrics_data_points_dropped", "namespace"))
	assert.Equal(t, map[string]int64{"": 1}, sumByAttribute(t, tel, "otelcol_receiver_firehosemetrics_demo_records", ""))
	assert.Equal(t, map[string]int64{"body": 1}, sumByAttribute(t, tel, "otelcol_receiver_firehosemetrics_decode_errors", "reason"))

	// Request latency: one observation per answered request, by status.
	m, err := tel.GetMetric("otelcol_receiver_firehosemetrics_request_duration")
	require.NoError(t, err)
	counts := map[int64]uint64{}
	for _, dp := range m.Data.(metricdata.Histogram[float64]).DataPoints {
		status, _ := dp.Attributes.Value("http.response.status_code")
		counts[status.AsInt64()] += dp.Count
		assert.Positive(t, dp.Sum, "a request takes some time")
	}
	assert.Equal(t, map[int64]uint64{200: 2, 400: 1, 401: 1}, counts)
}

// sumByAttribute returns the counter's values keyed by one attribute's value ("" for no attribute).
func sumByAttribute(t *testing.T, tel *componenttest.Telemetry, name, key string) map[string]int64 {
	t.Helper()
	m, err := tel.GetMetric(name)
	require.NoError(t, err, name)
	sum, ok := m.Data.(metricdata.Sum[int64])
	require.True(t, ok, "%s is a sum", name)
	out := map[string]int64{}
	for _, dp := range sum.DataPoints {
		v := ""
		if key != "" {
			val, _ := dp.Attributes.Value(attribute.Key(key))
			v = val.String()
		}
		out[v] += dp.Value
	}
	return out
}
