// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
)

// TestOwnTelemetry checks the receiver's own metrics: requests by status, records, data points, data points dropped
// by namespace, demo records, decode errors and request latency.
func TestOwnTelemetry(t *testing.T) {
	cfg := testConfig()
	cfg.Namespaces = []string{"AWS/EC2"}
	url, tel := startReceiverWithTelemetry(t, cfg, &recordingConsumer{})

	js := loadSample(t, "json-request.json")
	demo := loadSample(t, "demo-data-request.json")
	requireFirehoseAnswer(t, firehosetest.Post(t, url, js.Body, js.Headers, false), 200, js.Headers["X-Amz-Firehose-Request-Id"], "")
	requireFirehoseAnswer(t, firehosetest.Post(t, url, demo.Body, demo.Headers, true), 200, demo.Headers["X-Amz-Firehose-Request-Id"], "")
	requireFirehoseAnswer(t, firehosetest.Post(t, url, []byte("nope"), headersWith(js.Headers, "X-Amz-Firehose-Request-Id", "malformed-request"), false), 400, "malformed-request", "malformed")
	requireFirehoseAnswer(t, firehosetest.Post(t, url, js.Body, headersWith(js.Headers, "X-Amz-Firehose-Access-Key", "wrong"), false), 401, js.Headers["X-Amz-Firehose-Request-Id"], "access key")

	assert.Equal(t, map[string]int64{"200": 2, "400": 1, "401": 1}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehosemetrics_requests", "http.response.status_code"))
	assert.Equal(t, map[string]int64{"": 2}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehosemetrics_records"))
	assert.Equal(t, map[string]int64{"": 2}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehosemetrics_data_points"), "the two EC2 data points")
	assert.Equal(t, map[string]int64{"AWS/ApplicationELB": 1, "AWS/Lambda": 1, "AWS/CloudFront": 1},
		firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehosemetrics_data_points_dropped", "namespace"))
	assert.Equal(t, map[string]int64{"": 1}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehosemetrics_demo_records"))
	assert.Equal(t, map[string]int64{"body": 1}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehosemetrics_decode_errors", "reason"))

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

// TestRequestsByStatusAndFormat: requests and their latency are counted by answer and by the format of their records
// as read (format auto), "unknown" when no record was read.
func TestRequestsByStatusAndFormat(t *testing.T) {
	url, tel := startReceiverWithTelemetry(t, testConfig(), &recordingConsumer{})
	samples := map[string]sample{}
	for _, name := range sampleNames {
		samples[name] = loadSample(t, name)
	}
	ok := func(name string) {
		s := samples[name]
		requireFirehoseAnswer(t, firehosetest.Post(t, url, s.Body, s.Headers, true), 200, s.Headers["X-Amz-Firehose-Request-Id"], "")
	}
	ok("json-request.json")
	ok("demo-data-request.json")
	ok("otel0.7-request.json")
	ok("otel1.0-request.json")
	otel10 := samples["otel1.0-request.json"]
	requireFirehoseAnswer(t, firehosetest.Post(t, url, otel10.Body, headersWith(otel10.Headers, "X-Amz-Firehose-Access-Key", "wrong"), false), 401,
		otel10.Headers["X-Amz-Firehose-Request-Id"], "access key")
	badRecord := firehosetest.Body("bad-json-record", []byte(`{"metric_stream_name": oops`))
	requireFirehoseAnswer(t, firehosetest.Post(t, url, badRecord, headersWith(otel10.Headers, "X-Amz-Firehose-Request-Id", "bad-json-record"), false), 400,
		"bad-json-record", "record 0 could not be decoded")
	requireFirehoseAnswer(t, firehosetest.Post(t, url, []byte("nope"), headersWith(otel10.Headers, "X-Amz-Firehose-Request-Id", "not-a-body"), false), 400,
		"not-a-body", "malformed")
	health, err := http.Get(url)
	require.NoError(t, err)
	require.NoError(t, health.Body.Close())
	require.Equal(t, 200, health.StatusCode)

	want := map[string]int64{
		"200/json":             2, // the JSON stream and the console's demo record
		"200/opentelemetry0.7": 1,
		"200/opentelemetry1.0": 1,
		"401/unknown":          1, // refused before its body was read
		"400/json":             1, // its record was read as JSON and found malformed
		"400/unknown":          1, // no record could be read
		"200/unknown":          1, // the health check
	}
	assert.Equal(t, want, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehosemetrics_requests", "http.response.status_code", "format"))

	m, err := tel.GetMetric("otelcol_receiver_firehosemetrics_request_duration")
	require.NoError(t, err)
	counts := map[string]int64{}
	for _, dp := range m.Data.(metricdata.Histogram[float64]).DataPoints {
		status, _ := dp.Attributes.Value("http.response.status_code")
		format, _ := dp.Attributes.Value("format")
		counts[status.String()+"/"+format.String()] += int64(dp.Count)
	}
	assert.Equal(t, want, counts, "one latency observation per request, with the same attributes")
}
