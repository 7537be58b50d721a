// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang/snappy"
	"github.com/prometheus/prometheus/prompb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter/internal/metadata"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
)

// recordingProxy forwards requests to a target and remembers the headers it saw.
type recordingProxy struct {
	URL     string
	mu      sync.Mutex
	headers []http.Header
}

func newRecordingProxy(t *testing.T, target string) *recordingProxy {
	u, err := url.Parse(target)
	require.NoError(t, err)
	p := &recordingProxy{}
	reverse := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(u)
		r.Out.URL.Path = u.Path
	}}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.headers = append(p.headers, r.Header.Clone())
		p.mu.Unlock()
		reverse.ServeHTTP(w, r)
	}))
	t.Cleanup(server.Close)
	p.URL = server.URL
	return p
}

func (p *recordingProxy) seen() []http.Header {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]http.Header(nil), p.headers...)
}

// cloudWatchMetrics returns metrics shaped like the firehose receiver's output with Logz.io names.
func cloudWatchMetrics(run string, at time.Time) pmetric.Metrics {
	md := pmetric.NewMetrics()
	rm := md.ResourceMetrics().AppendEmpty()
	rm.Resource().Attributes().PutStr("cloud.account.id", "123456789012")
	rm.Resource().Attributes().PutStr("cloud.region", "us-east-1")
	rm.Resource().Attributes().PutStr("run", run)
	sm := rm.ScopeMetrics().AppendEmpty()
	sm.Scope().SetName("github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver")

	gauge := sm.Metrics().AppendEmpty()
	gauge.SetName("aws_ec2_cpuutilization_max")
	gauge.SetUnit("Percent")
	gaugePoints := gauge.SetEmptyGauge().DataPoints()
	for i, instance := range []string{"i-0aaa", "i-0bbb"} {
		p := gaugePoints.AppendEmpty()
		p.SetTimestamp(pcommon.NewTimestampFromTime(at))
		p.SetDoubleValue(42.5 + float64(i))
		p.Attributes().PutStr("InstanceId", instance)
	}

	sum := sm.Metrics().AppendEmpty()
	sum.SetName("aws_lambda_invocations_sum")
	sum.SetUnit("Count")
	s := sum.SetEmptySum()
	s.SetIsMonotonic(true)
	s.SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
	p := s.DataPoints().AppendEmpty()
	p.SetTimestamp(pcommon.NewTimestampFromTime(at))
	p.SetIntValue(17)
	p.Attributes().PutStr("FunctionName", "ship-logs")
	p.Attributes().PutStr("cloud.region", "eu-west-1") // the data point's own attribute wins over the resource's

	updown := sm.Metrics().AppendEmpty()
	updown.SetName("aws_sqs_approximatenumberofmessagesvisible_sum")
	u := updown.SetEmptySum()
	u.SetIsMonotonic(false)
	u.SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
	up := u.DataPoints().AppendEmpty()
	up.SetTimestamp(pcommon.NewTimestampFromTime(at))
	up.SetDoubleValue(3)
	up.Attributes().PutStr("QueueName", "events")
	return md
}

func TestMetricsReachPrometheus(t *testing.T) {
	prom := testpeers.Prometheus(t)
	proxy := newRecordingProxy(t, prom.WriteURL)
	h := newHarness(t)
	run := testpeers.UniqueName(t, "run")
	cfg := testConfig("", proxy.URL)
	cfg.Metrics.ExternalLabels = map[string]string{"p8s_logzio_name": "test-env"}
	exp := h.metricsExporter(cfg)

	at := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	require.NoError(t, h.consumeMetrics(exp, cloudWatchMetrics(run, at)))

	gauges := prom.Eventually(t, `aws_ec2_cpuutilization_max{run="`+run+`"}`, at, 10*time.Second)
	require.Len(t, gauges, 2)
	byInstance := map[string]testpeers.Sample{}
	for _, s := range gauges {
		byInstance[s.Labels["InstanceId"]] = s
	}
	assert.Equal(t, 42.5, byInstance["i-0aaa"].Value)
	assert.Equal(t, 43.5, byInstance["i-0bbb"].Value)
	assert.Equal(t, map[string]string{
		"__name__":         "aws_ec2_cpuutilization_max",
		"InstanceId":       "i-0aaa",
		"cloud_account_id": "123456789012",
		"cloud_region":     "us-east-1",
		"run":              run,
		"p8s_logzio_name":  "test-env",
	}, byInstance["i-0aaa"].Labels, "names and labels pass through unchanged, resource attributes become labels")

	sums := prom.Eventually(t, `aws_lambda_invocations_sum{run="`+run+`"}`, at, 10*time.Second)
	require.Len(t, sums, 1)
	assert.Equal(t, 17.0, sums[0].Value)
	assert.Equal(t, "ship-logs", sums[0].Labels["FunctionName"])
	assert.Equal(t, "eu-west-1", sums[0].Labels["cloud_region"])
	assert.Empty(t, prom.Query(t, `aws_lambda_invocations_sum_total{run="`+run+`"}`, at), "no _total suffix is added")

	gaugeSums := prom.Eventually(t, `aws_sqs_approximatenumberofmessagesvisible_sum{run="`+run+`"}`, at, 10*time.Second)
	require.Len(t, gaugeSums, 1)
	assert.Equal(t, 3.0, gaugeSums[0].Value)

	headers := proxy.seen()
	require.NotEmpty(t, headers)
	for _, hdr := range headers {
		assert.Equal(t, "Bearer "+testMetricsToken, hdr.Get("Authorization"), "the metrics token is sent as a bearer token")
		assert.Equal(t, "snappy", hdr.Get("Content-Encoding"))
		assert.Equal(t, "application/x-protobuf", hdr.Get("Content-Type"))
		assert.Equal(t, "0.1.0", hdr.Get("X-Prometheus-Remote-Write-Version"))
	}
	assert.Equal(t, int64(1), h.counter("otelcol_exporter_logzio_requests", map[string]string{"signal": "metrics", "status_code": "204"}))
}

// remoteWriteRecorder decodes remote-write requests and answers with scripted statuses.
type remoteWriteRecorder struct {
	mu       sync.Mutex
	requests []*prompb.WriteRequest
	statuses []int
	auth     []string
}

func (r *remoteWriteRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	compressed, _ := io.ReadAll(req.Body)
	raw, err := snappy.Decode(nil, compressed)
	if err != nil {
		http.Error(w, "not snappy block format", http.StatusBadRequest)
		return
	}
	var wr prompb.WriteRequest
	if err := wr.Unmarshal(raw); err != nil {
		http.Error(w, "not a WriteRequest", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, &wr)
	r.auth = append(r.auth, req.Header.Get("Authorization"))
	status := http.StatusOK
	if len(r.statuses) > 0 {
		status, r.statuses = r.statuses[0], r.statuses[1:]
	}
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "0")
	}
	w.WriteHeader(status)
}

func TestMetricsAnswers(t *testing.T) {
	t.Run("401 is permanent and names metrics.token", func(t *testing.T) {
		h := newHarness(t)
		rec := &remoteWriteRecorder{statuses: []int{http.StatusUnauthorized}}
		server := httptest.NewServer(rec)
		defer server.Close()
		exp := h.metricsExporter(testConfig("", server.URL))

		err := h.consumeMetrics(exp, cloudWatchMetrics("r", time.Now()))
		require.Error(t, err)
		assert.True(t, consumererror.IsPermanent(err))
		assert.ErrorContains(t, err, "metrics.token")
		assert.Len(t, rec.requests, 1)
	})

	t.Run("429 and 503 are retried", func(t *testing.T) {
		h := newHarness(t)
		rec := &remoteWriteRecorder{statuses: []int{http.StatusTooManyRequests, http.StatusServiceUnavailable}}
		server := httptest.NewServer(rec)
		defer server.Close()
		exp := h.metricsExporter(testConfig("", server.URL))

		require.NoError(t, h.consumeMetrics(exp, cloudWatchMetrics("r", time.Now())))
		require.Len(t, rec.requests, 3)
		assert.Equal(t, inLabelOrder(rec.requests[0].Timeseries), inLabelOrder(rec.requests[2].Timeseries), "the same series are resent")
		for _, a := range rec.auth {
			assert.Equal(t, "Bearer "+testMetricsToken, a)
		}
	})

	t.Run("unreachable listener error is redacted and retried", func(t *testing.T) {
		h := newHarness(t)
		server := httptest.NewServer(http.NotFoundHandler())
		endpoint := server.URL
		server.Close()
		cfg := testConfig("", endpoint)
		cfg.BackOffConfig.MaxElapsedTime = 200 * time.Millisecond
		exp := h.metricsExporter(cfg)

		err := h.consumeMetrics(exp, cloudWatchMetrics("r", time.Now()))
		require.Error(t, err)
		assert.ErrorContains(t, err, "cannot reach the Logz.io metrics listener")
		assert.False(t, consumererror.IsPermanent(err))
	})
}

func TestMetricsSeriesAreSortedAndUntranslatableMetricsDropped(t *testing.T) {
	h := newHarness(t)
	rec := &remoteWriteRecorder{}
	server := httptest.NewServer(rec)
	defer server.Close()
	exp := h.metricsExporter(testConfig("", server.URL))

	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	md := cloudWatchMetrics("sorted", at)
	// Two points of one series, newest first: remote write wants them in time order.
	g := md.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().AppendEmpty()
	g.SetName("aws_rds_freeablememory_min")
	rdsPoints := g.SetEmptyGauge().DataPoints()
	for _, offset := range []time.Duration{time.Minute, 0} {
		dp := rdsPoints.AppendEmpty()
		dp.SetTimestamp(pcommon.NewTimestampFromTime(at.Add(offset)))
		dp.SetDoubleValue(float64(offset / time.Second))
	}
	// A delta sum cannot be written as a Prometheus series: it is dropped with a warning.
	delta := md.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().AppendEmpty()
	delta.SetName("delta_requests")
	delta.SetEmptySum().SetAggregationTemporality(pmetric.AggregationTemporalityDelta)
	delta.Sum().DataPoints().AppendEmpty().SetIntValue(1)

	require.NoError(t, h.consumeMetrics(exp, md))
	require.Len(t, rec.requests, 1)
	var names []string
	for _, ts := range rec.requests[0].Timeseries {
		for i := 1; i < len(ts.Labels); i++ {
			assert.Less(t, ts.Labels[i-1].Name, ts.Labels[i].Name, "labels sorted by name")
		}
		for i := 1; i < len(ts.Samples); i++ {
			assert.Less(t, ts.Samples[i-1].Timestamp, ts.Samples[i].Timestamp, "samples in time order")
		}
		for _, l := range ts.Labels {
			if l.Name == "__name__" {
				names = append(names, l.Value)
				if l.Value == "aws_rds_freeablememory_min" {
					assert.Len(t, ts.Samples, 2, "both points of the series are sent, oldest first")
				}
			}
		}
	}
	assert.ElementsMatch(t, []string{
		"aws_ec2_cpuutilization_max", "aws_ec2_cpuutilization_max", "aws_lambda_invocations_sum",
		"aws_sqs_approximatenumberofmessagesvisible_sum", "aws_rds_freeablememory_min",
	}, names)
	assert.Len(t, h.logged("could not be converted to Prometheus series"), 1)
}

func TestSplitWriteRequests(t *testing.T) {
	series := make([]prompb.TimeSeries, 100)
	for i := range series {
		series[i] = prompb.TimeSeries{
			Labels:  []prompb.Label{{Name: "__name__", Value: "m"}, {Name: "i", Value: string(rune('a' + i%26))}},
			Samples: []prompb.Sample{{Value: float64(i), Timestamp: int64(i)}},
		}
	}
	requests := splitWriteRequests(series, 200)
	require.Greater(t, len(requests), 1)
	total := 0
	for _, r := range requests {
		raw, err := r.Marshal()
		require.NoError(t, err)
		assert.LessOrEqual(t, len(raw), 200)
		total += len(r.Timeseries)
	}
	assert.Equal(t, 100, total)
	assert.Len(t, splitWriteRequests(series, maxMetricsRequestBytes), 1)
}

// inLabelOrder returns a copy of series sorted by their labels: remote write does not order series, so tests
// compare them as sets.
func inLabelOrder(series []prompb.TimeSeries) []prompb.TimeSeries {
	out := slices.Clone(series)
	slices.SortFunc(out, func(a, b prompb.TimeSeries) int {
		return slices.CompareFunc(a.Labels, b.Labels, func(x, y prompb.Label) int {
			if c := strings.Compare(x.Name, y.Name); c != 0 {
				return c
			}
			return strings.Compare(x.Value, y.Value)
		})
	})
	return out
}

// TestResourceLabelsAreAddedInPlace: the metrics exporter mutates its data (it declares so, and the pipeline then
// gives it data of its own), without a copy of the batch; adding the labels twice (a retry) changes nothing more.
func TestResourceLabelsAreAddedInPlace(t *testing.T) {
	md := cloudWatchMetrics("rw", time.Now())
	out := withResourceLabels(md)
	dp := md.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(0).Gauge().DataPoints().At(0)
	v, ok := dp.Attributes().Get("cloud.account.id")
	require.True(t, ok, "added to the batch itself")
	assert.Equal(t, "123456789012", v.Str())
	before := dp.Attributes().Len()
	withResourceLabels(out)
	assert.Equal(t, before, dp.Attributes().Len(), "idempotent")
	sum := md.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(1).Sum().DataPoints().At(0)
	region, _ := sum.Attributes().Get("cloud.region")
	assert.Equal(t, "eu-west-1", region.Str(), "the data point's own attribute wins")

	f := NewFactory()
	cfg := f.CreateDefaultConfig().(*Config)
	cfg.Logs.Token, cfg.Metrics.Token = testLogsToken, testMetricsToken
	metrics, err := f.CreateMetrics(context.Background(), exportertest.NewNopSettings(metadata.Type), cfg)
	require.NoError(t, err)
	assert.True(t, metrics.Capabilities().MutatesData, "the metrics exporter declares that it mutates its data")
	logs, err := f.CreateLogs(context.Background(), exportertest.NewNopSettings(metadata.Type), cfg)
	require.NoError(t, err)
	assert.False(t, logs.Capabilities().MutatesData)
}

// TestMetricsInputIsNotModified: read-only data (shared with other consumers) is copied before labels are added.
func TestMetricsInputIsNotModified(t *testing.T) {
	md := cloudWatchMetrics("ro", time.Now())
	md.MarkReadOnly()
	out := withResourceLabels(md)
	dp := out.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(0).Gauge().DataPoints().At(0)
	v, ok := dp.Attributes().Get("cloud.account.id")
	require.True(t, ok)
	assert.Equal(t, "123456789012", v.Str())
	orig := md.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(0).Gauge().DataPoints().At(0)
	_, ok = orig.Attributes().Get("cloud.account.id")
	assert.False(t, ok)
}
