// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstreamtest

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"google.golang.org/protobuf/encoding/protowire"
)

var res = Resource{AccountID: "123456789012", Region: "us-east-1", StreamName: "s"}

func TestGenerate(t *testing.T) {
	ms := Generate(Options{Metrics: 30, Dimensions: 12, Percentiles: []string{"p50", "p99"}, Seed: 7})
	require.Len(t, ms, 30)
	assert.Equal(t, ms, Generate(Options{Metrics: 30, Dimensions: 12, Percentiles: []string{"p50", "p99"}, Seed: 7}), "reproducible")
	for _, m := range ms {
		assert.Len(t, m.Dimensions, 12)
		seen := map[string]bool{}
		for _, d := range m.Dimensions {
			assert.False(t, seen[d.Name], "dimension names of a metric are distinct: %s", d.Name)
			seen[d.Name] = true
		}
		assert.LessOrEqual(t, m.Min, m.Percentiles[0].Value)
		assert.LessOrEqual(t, m.Percentiles[1].Value, m.Max)
		assert.Equal(t, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), m.Timestamp)
	}
}

func TestJSONRecord(t *testing.T) {
	ms := Generate(Options{Metrics: 3, Dimensions: 2, Percentiles: []string{"p99.9"}})
	rec := JSONRecord(res, ms)
	lines := bytes.Split(bytes.TrimSuffix(rec, []byte("\n")), []byte("\n"))
	require.Len(t, lines, 3)
	var line struct {
		AccountID  string             `json:"account_id"`
		Namespace  string             `json:"namespace"`
		MetricName string             `json:"metric_name"`
		Dimensions map[string]string  `json:"dimensions"`
		Timestamp  int64              `json:"timestamp"`
		Value      map[string]float64 `json:"value"`
		Unit       string             `json:"unit"`
	}
	require.NoError(t, json.Unmarshal(lines[1], &line))
	assert.Equal(t, "123456789012", line.AccountID)
	assert.Equal(t, ms[1].MetricName, line.MetricName)
	assert.Equal(t, ms[1].Timestamp.UnixMilli(), line.Timestamp)
	assert.Equal(t, map[string]float64{"count": float64(ms[1].Count), "sum": ms[1].Sum, "min": ms[1].Min,
		"max": ms[1].Max, "p99.9": ms[1].Percentiles[0].Value}, line.Value)
	assert.Contains(t, string(lines[0]), `"count":`)
	assert.Regexp(t, `"count":\d+\.\d`, string(lines[0]), "floats are written with a fraction")
}

func TestOTel10RecordParsesWithPdata(t *testing.T) {
	ms := Generate(Options{Metrics: 2, Dimensions: 1, Percentiles: []string{"p90"}})
	rec := OTel10Record(res, ms)
	size, n := protowire.ConsumeVarint(rec)
	require.Equal(t, len(rec), n+int(size))
	md, err := (&pmetric.ProtoUnmarshaler{}).UnmarshalMetrics(rec[n:])
	require.NoError(t, err)
	rm := md.ResourceMetrics().At(0)
	arn, _ := rm.Resource().Attributes().Get("aws.exporter.arn")
	assert.Equal(t, "arn:aws:cloudwatch:us-east-1:123456789012:metric-stream/s", arn.Str())
	m := rm.ScopeMetrics().At(0).Metrics().At(0)
	assert.Equal(t, "amazonaws.com/AWS/EC2/CPUUtilization", m.Name())
	assert.Equal(t, "%", m.Unit())
	dp := m.Summary().DataPoints().At(0)
	assert.Equal(t, ms[0].Count, dp.Count())
	assert.Equal(t, ms[0].Sum, dp.Sum())
	assert.Equal(t, int64(time.Minute), int64(dp.Timestamp()-dp.StartTimestamp()))
	require.Equal(t, 3, dp.QuantileValues().Len())
	assert.Equal(t, 0.9, dp.QuantileValues().At(1).Quantile())
	dims, ok := dp.Attributes().Get("Dimensions")
	require.True(t, ok)
	v, _ := dims.Map().Get("InstanceId")
	assert.Equal(t, ms[0].Dimensions[0].Value, v.Str())
}

func TestPercentileQuantile(t *testing.T) {
	for in, want := range map[string]float64{"p99": 0.99, "p99.9": 0.999, "p5": 0.05, "p100": 1} {
		assert.Equal(t, want, PercentileQuantile(in), in)
	}
	assert.True(t, math.IsNaN(PercentileQuantile("TM(25%:75%)")))
	assert.True(t, math.IsNaN(PercentileQuantile("p1000")))
}
