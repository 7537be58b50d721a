// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream/metricstreamtest"
)

var testResource = metricstreamtest.Resource{AccountID: "123456789012", Region: "eu-west-1", StreamName: "test-stream"}

// equivalenceMetrics covers percentiles, several dimensions, no dimensions, a dimension colliding with a resource
// label, mixed case, zero values (absent on the OpenTelemetry wire) and a namespace with a '/'.
func equivalenceMetrics() []metricstreamtest.Metric {
	ts := time.UnixMilli(1700000000000).UTC()
	return []metricstreamtest.Metric{
		{Namespace: "AWS/EC2", MetricName: "CPUUtilization", Unit: "Percent", Timestamp: ts,
			Dimensions: []metricstreamtest.Dimension{{Name: "InstanceId", Value: "i-0ABC123"}},
			Count:      5, Sum: 42.5, Min: 1.5, Max: 20.5,
			Percentiles: []metricstreamtest.Percentile{{Stat: "p99", Value: 20.25}, {Stat: "p99.9", Value: 20.4}, {Stat: "p50", Value: 8}}},
		{Namespace: "AWS/ApplicationELB", MetricName: "HTTPCode_Target_5XX_Count", Unit: "Count", Timestamp: ts,
			Dimensions: []metricstreamtest.Dimension{{Name: "TargetGroup", Value: "targetgroup/my-tg/0123"}, {Name: "LoadBalancer", Value: "app/my-alb/50dc"}},
			Count:      12, Sum: 3, Min: 0, Max: 1},
		{Namespace: "AWS/Lambda", MetricName: "ConcurrentExecutions", Unit: "Count", Timestamp: ts, Count: 4, Sum: 9, Min: 1, Max: 4},
		{Namespace: "AWS/CloudFront", MetricName: "Requests", Unit: "None", Timestamp: ts,
			Dimensions: []metricstreamtest.Dimension{{Name: "DistributionId", Value: "E1ABC"}, {Name: "Region", Value: "Global"}},
			Count:      60, Sum: 42, Max: 7},
		{Namespace: "AWS/ECS/ManagedScaling", MetricName: "CapacityProviderReservation", Unit: "Bytes/Second", Timestamp: ts.Add(time.Minute),
			Dimensions: []metricstreamtest.Dimension{{Name: "ClusterName", Value: "prod"}, {Name: "CapacityProviderName", Value: "cp-1"}},
			Count:      1, Sum: 100, Min: 100, Max: 100},
	}
}

// TestFormatsAreEquivalent checks docs/metric-streams.md#format-equivalence: the same CloudWatch data gives the same
// metrics in every format and both namings.
func TestFormatsAreEquivalent(t *testing.T) {
	metrics := equivalenceMetrics()
	records := map[string][]byte{
		"json":             metricstreamtest.JSONRecord(testResource, metrics),
		"opentelemetry0.7": metricstreamtest.OTel07Record(testResource, metrics),
		"opentelemetry1.0": metricstreamtest.OTel10Record(testResource, metrics),
	}
	for _, naming := range []Naming{NamingLogzio, NamingOTel} {
		t.Run(string(naming), func(t *testing.T) {
			render := promSeries
			if naming == NamingOTel {
				render = otelSummaries
			}
			outputs := map[string][]string{}
			for format, rec := range records {
				md, stats := decodeRecords(t, Options{Naming: naming}, rec)
				assert.Equal(t, Stats{Records: 1, DataPoints: len(metrics)}, stats, format)
				outputs[format] = render(md)
			}
			assert.Equal(t, outputs["json"], outputs["opentelemetry1.0"])
			assert.Equal(t, outputs["json"], outputs["opentelemetry0.7"])
			assert.NotEmpty(t, outputs["json"])
		})
	}
}

// TestLogzioWorkedExample is the worked example of docs/metric-streams.md#labels.
func TestLogzioWorkedExample(t *testing.T) {
	m := equivalenceMetrics()[0]
	m.Percentiles = m.Percentiles[:1]
	d, err := NewDecoder(Options{})
	require.NoError(t, err)
	b := d.NewBatch(map[string]string{"P8S_LOGZIO_NAME": "prod"})
	require.NoError(t, b.AddRecord(metricstreamtest.OTel10Record(testResource, []metricstreamtest.Metric{m})))
	l := `account="123456789012",cloud_provider="aws",instanceid="i-0abc123",metricname="cpuutilization",namespace="aws/ec2",p8s_logzio_name="prod",region="eu-west-1"`
	assert.Equal(t, []string{
		"aws_ec2_cpuutilization_count{" + l + "} 5 @1700000060000",
		"aws_ec2_cpuutilization_max{" + l + "} 20.5 @1700000000000",
		"aws_ec2_cpuutilization_min{" + l + "} 1.5 @1700000000000",
		"aws_ec2_cpuutilization_sum{" + l + "} 42.5 @1700000060000",
		"aws_ec2_cpuutilization{" + withQuantile(l, "0.99") + "} 20.25 @1700000060000",
	}, promSeries(b.Metrics()))
}

// TestLogzioGroupsSeriesByName checks that data points of one series name share one gauge per resource, that every
// series of a CloudWatch metric shares one resource holding its namespace and metricname labels, and that different
// accounts get different resources.
func TestLogzioGroupsSeriesByName(t *testing.T) {
	metrics := metricstreamtest.Generate(metricstreamtest.Options{Metrics: 24, Dimensions: 2})
	other := testResource
	other.AccountID = "210987654321"
	md, stats := decodeRecords(t, Options{}, metricstreamtest.OTel10Record(testResource, metrics), metricstreamtest.JSONRecord(other, metrics))
	assert.Equal(t, 48, stats.DataPoints)
	require.Equal(t, 2*12, md.ResourceMetrics().Len(), "2 accounts × 12 metric names")
	perAccount := map[string]int{}
	for _, rm := range md.ResourceMetrics().All() {
		attrs := rm.Resource().Attributes()
		account, _ := attrs.Get("account")
		metricName, _ := attrs.Get("metricname")
		perAccount[account.Str()]++
		ms := rm.ScopeMetrics().At(0).Metrics()
		require.Equal(t, 4, ms.Len(), "sum, count, min, max")
		for _, m := range ms.All() {
			assert.Contains(t, m.Name(), "_"+metricName.Str()+"_")
			assert.Equal(t, 2, m.Gauge().DataPoints().Len(), m.Name())
			for _, dp := range m.Gauge().DataPoints().All() {
				assert.Equal(t, 2, dp.Attributes().Len(), "dimensions only")
			}
		}
	}
	assert.Equal(t, map[string]int{testResource.AccountID: 12, other.AccountID: 12}, perAccount)
}

// TestOTel10MatchesPdataUnmarshaler cross-checks the hand-written decoder against pdata's own protobuf decoder.
func TestOTel10MatchesPdataUnmarshaler(t *testing.T) {
	records := [][]byte{sampleRecords(t, "otel1.0-request.json")[0],
		metricstreamtest.OTel10Record(testResource, metricstreamtest.Generate(metricstreamtest.Options{Metrics: 50, Dimensions: 3, Percentiles: []string{"p90", "p99"}}))}
	for i, rec := range records {
		md, _ := decodeRecords(t, Options{Naming: NamingOTel}, rec)
		// Strip the length prefix of the single message and flatten Dimensions like the decoder does.
		size, n := consumeVarint(rec)
		require.Equal(t, len(rec), n+int(size), "record %d holds one message", i)
		want, err := (&pmetric.ProtoUnmarshaler{}).UnmarshalMetrics(rec[n:])
		require.NoError(t, err)
		for _, rm := range want.ResourceMetrics().All() {
			for _, sm := range rm.ScopeMetrics().All() {
				for _, m := range sm.Metrics().All() {
					for _, dp := range m.Summary().DataPoints().All() {
						dims, ok := dp.Attributes().Get("Dimensions")
						require.True(t, ok)
						flat := dims.Map()
						dp.Attributes().Remove("Dimensions")
						for k, v := range flat.All() {
							dp.Attributes().PutStr(k, v.Str())
						}
					}
				}
			}
		}
		assert.Equal(t, otelSummaries(want), otelSummaries(md), "record %d", i)
	}
}

func consumeVarint(b []byte) (uint64, int) {
	var v uint64
	for i, c := range b {
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			return v, i + 1
		}
	}
	return 0, -1
}

// decodeRecords decodes records into one batch without common attributes, failing on any error.
func decodeRecords(t testing.TB, opts Options, records ...[]byte) (pmetric.Metrics, Stats) {
	t.Helper()
	d, err := NewDecoder(opts)
	require.NoError(t, err)
	b := d.NewBatch(nil)
	for i, rec := range records {
		require.NoError(t, b.AddRecord(rec), "record %d", i)
	}
	return b.Metrics(), b.Stats()
}
