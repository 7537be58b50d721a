// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	prw "github.com/open-telemetry/opentelemetry-collector-contrib/pkg/translator/prometheusremotewrite"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter/internal/metadata"
)

// The shape of the metric-stream-like batch of the metrics benchmarks: resources (account/region) × metrics × series
// (sum, count, min, max), 3 dimensions each.
const benchResources, benchMetrics, benchSeries = 20, 50, 4

func buildMetricStreamBatch() pmetric.Metrics {
	md := pmetric.NewMetrics()
	at := pcommon.NewTimestampFromTime(time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
	for r := range benchResources {
		rm := md.ResourceMetrics().AppendEmpty()
		rm.Resource().Attributes().PutStr("cloud.account.id", fmt.Sprintf("1234567890%02d", r))
		rm.Resource().Attributes().PutStr("cloud.region", "us-east-1")
		sm := rm.ScopeMetrics().AppendEmpty()
		for m := range benchMetrics {
			for s, suffix := range []string{"_sum", "_count", "_min", "_max"}[:benchSeries] {
				metric := sm.Metrics().AppendEmpty()
				metric.SetName(fmt.Sprintf("aws_ec2_metric%02d%s", m, suffix))
				dp := metric.SetEmptyGauge().DataPoints().AppendEmpty()
				dp.SetTimestamp(at)
				dp.SetDoubleValue(float64(m*benchSeries + s))
				dp.Attributes().PutStr("instanceid", fmt.Sprintf("i-%08d", m))
				dp.Attributes().PutStr("namespace", "aws/ec2")
				dp.Attributes().PutStr("metricname", fmt.Sprintf("metric%02d", m))
			}
		}
	}
	return md
}

func newBenchMetricsExporter(b *testing.B, endpoint string) *metricsExporter {
	cfg := createDefaultConfig().(*Config)
	cfg.Metrics.Token = configopaque.String(testMetricsToken)
	cfg.Metrics.Endpoint = endpoint
	set := exportertest.NewNopSettings(metadata.Type)
	telemetry, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	require.NoError(b, err)
	return newMetricsExporter(cfg, set, telemetry)
}

// BenchmarkTranslateMetrics measures the remote-write translation alone, with the exporter's own translator settings:
// resource attributes as labels (withResourceLabels), prw.FromMetrics, and the series in request order. Reports ns
// per series.
func BenchmarkTranslateMetrics(b *testing.B) {
	exp := newBenchMetricsExporter(b, "http://127.0.0.1:1")
	md := buildMetricStreamBatch()
	want := benchResources * benchMetrics * benchSeries
	b.ReportAllocs()
	for b.Loop() {
		series, err := prw.FromMetrics(withResourceLabels(md), exp.translate)
		if err != nil {
			b.Fatal(err)
		}
		if got := len(sortedSeries(series)); got != want {
			b.Fatalf("%d series, want %d", got, want)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*want), "ns/series")
}

// BenchmarkPushMetrics measures the metrics path (resource labels, remote-write translation, request building,
// snappy, HTTP) for a metric-stream-like batch: 20 resources (account/region) × 50 metrics × 4 series (sum, count,
// min, max shape) with 3 dimensions each, against a server that discards the body. Reports ns per series.
func BenchmarkPushMetrics(b *testing.B) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	}))
	defer server.Close()
	exp := newBenchMetricsExporter(b, server.URL)
	require.NoError(b, exp.start(context.Background(), componenttest.NewNopHost()))

	batches := make([]pmetric.Metrics, 0, 64)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		if len(batches) == 0 {
			for range 64 {
				batches = append(batches, buildMetricStreamBatch())
			}
		}
		md := batches[len(batches)-1]
		batches = batches[:len(batches)-1]
		b.StartTimer()
		if err := exp.pushMetrics(context.Background(), md); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchResources*benchMetrics*benchSeries), "ns/series")
}
