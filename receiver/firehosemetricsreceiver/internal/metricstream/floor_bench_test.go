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
	values := make([][3]string, points)
	for i := range values {
		for d := range values[i] {
			values[i][d] = fmt.Sprintf("i-%012x%d", i/names, d)
		}
	}
	b.ReportAllocs()
	cpuBefore := processCPU(b)
	b.ResetTimer()
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
	b.StopTimer()
	cpu := processCPU(b) - cpuBefore
	total := float64(b.N * points)
	b.ReportMetric(total/cpu.Seconds(), "datapoints/cpu-s")
	b.ReportMetric(float64(cpu.Nanoseconds())/total, "cpu-ns/datapoint")
}
