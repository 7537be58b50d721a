// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"fmt"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// BenchmarkPdataFloor builds only the pdata the logzio naming produces for the benchmark request (12 resources of
// 4 gauges; per CloudWatch data point 4 gauge points with 3 dimension attributes, strings prepared in advance), with
// no decoding, lookup or naming: the allocation floor of that shape, to compare with BenchmarkDecode.
func BenchmarkPdataFloor(b *testing.B) {
	const names = 12
	points := benchRecords * benchPointsPerRecord
	keys := []string{"autoscalinggroupname", "imageid", "instanceid"}
	values := floorDimensionValues(points, names)
	meter := startPerPointMeter(b)
	for b.Loop() {
		md := pmetric.NewMetrics()
		var gauges [names][4]pmetric.NumberDataPointSlice
		for n := range names {
			rm := md.ResourceMetrics().AppendEmpty()
			for _, k := range []string{"account", "region", "cloud_provider", "p8s_logzio_name", "namespace", "metricname"} {
				rm.Resource().Attributes().PutStr(k, "value")
			}
			ms := rm.ScopeMetrics().AppendEmpty().Metrics()
			for s := range 4 {
				m := ms.AppendEmpty()
				m.SetName(fmt.Sprintf("aws_ns_metric%d_%d", n, s))
				gauges[n][s] = m.SetEmptyGauge().DataPoints()
			}
		}
		for i := range points {
			g := &gauges[i%names]
			var first pcommon.Map
			for s := range 4 {
				dp := g[s].AppendEmpty()
				dp.SetTimestamp(1)
				dp.SetDoubleValue(float64(i))
				if s == 0 {
					first = dp.Attributes()
					first.EnsureCapacity(3)
					for d, k := range keys {
						first.PutStr(k, values[i][d])
					}
					continue
				}
				first.CopyTo(dp.Attributes())
			}
		}
	}
	meter.report(b, points)
}

// BenchmarkPdataFloorOTel is BenchmarkPdataFloor for the otel naming of the same request (per stream one summary
// per metric; per CloudWatch data point one summary point with count, sum, min and max quantiles, and Namespace,
// MetricName and 3 dimension attributes, strings prepared in advance), with no decoding, lookup or naming.
func BenchmarkPdataFloorOTel(b *testing.B) {
	const names = 12
	points := benchRecords * benchPointsPerRecord
	keys := []string{"AutoScalingGroupName", "ImageId", "InstanceId"}
	values := floorDimensionValues(points, names)
	meter := startPerPointMeter(b)
	for b.Loop() {
		md := pmetric.NewMetrics()
		rm := md.ResourceMetrics().AppendEmpty()
		rm.Resource().Attributes().PutStr("cloud.provider", "aws")
		ms := rm.ScopeMetrics().AppendEmpty().Metrics()
		var summaries [names]pmetric.SummaryDataPointSlice
		for n := range names {
			m := ms.AppendEmpty()
			m.SetName(fmt.Sprintf("amazonaws.com/AWS/NS/Metric%d", n))
			summaries[n] = m.SetEmptySummary().DataPoints()
		}
		for i := range points {
			dp := summaries[i%names].AppendEmpty()
			dp.SetStartTimestamp(1)
			dp.SetTimestamp(2)
			dp.SetCount(5)
			dp.SetSum(float64(i))
			attrs := dp.Attributes()
			attrs.EnsureCapacity(5)
			attrs.PutStr("Namespace", "AWS/EC2")
			attrs.PutStr("MetricName", "CPUUtilization")
			for d, k := range keys {
				attrs.PutStr(k, values[i][d])
			}
			qvs := dp.QuantileValues()
			qvs.EnsureCapacity(2)
			for _, q := range [2]float64{0, 1} {
				qv := qvs.AppendEmpty()
				qv.SetQuantile(q)
				qv.SetValue(float64(i))
			}
		}
	}
	meter.report(b, points)
}

// floorDimensionValues returns the 3 dimension values of each data point of the floor benchmarks: one resource per
// names consecutive points, as in the benchmark request.
func floorDimensionValues(points, names int) [][3]string {
	values := make([][3]string, points)
	for i := range values {
		for d := range values[i] {
			values[i][d] = fmt.Sprintf("i-%012x%d", i/names, d)
		}
	}
	return values
}
