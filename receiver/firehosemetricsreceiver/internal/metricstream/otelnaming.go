package metricstream

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// otelState holds the per-batch caches of the otel naming.
type otelState struct {
	summaries map[summaryKey]pmetric.SummaryDataPointSlice
	nameBuf   []byte
}

type summaryKey struct {
	res        int
	name, unit string
}

// emitOTel adds one data point as the stream's own OpenTelemetry shape (spec §5.7): a summary named
// amazonaws.com/<Namespace>/<MetricName> with count, sum and quantiles (0 = min, percentiles, 1 = max), data-point
// attributes Namespace, MetricName and one per dimension.
func (b *Batch) emitOTel(p *point) {
	res := b.resolveResource(&b.rec.resources[p.res])
	dps := b.summary(res, p)
	dp := dps.AppendEmpty()
	dp.SetStartTimestamp(pcommon.Timestamp(p.start))
	dp.SetTimestamp(pcommon.Timestamp(p.end))
	dp.SetCount(p.countU)
	dp.SetSum(p.sum)

	dims := b.rec.pointDims(p)
	attrs := dp.Attributes()
	attrs.EnsureCapacity(2 + len(dims))
	putNonEmpty(attrs, "Namespace", b.str(p.namespace))
	putNonEmpty(attrs, "MetricName", b.str(p.metricName))
	for _, d := range dims {
		if k := b.str(d.key); k != "" && k != "Namespace" && k != "MetricName" {
			attrs.PutStr(k, b.str(d.value))
		}
	}

	percentiles := b.rec.pointQuantiles(p)
	qvs := dp.QuantileValues()
	qvs.EnsureCapacity(2 + len(percentiles))
	if p.hasMin {
		addQuantile(qvs, 0, p.min)
	}
	for _, q := range percentiles {
		addQuantile(qvs, q.q, q.v)
	}
	if p.hasMax {
		addQuantile(qvs, 1, p.max)
	}
}

func addQuantile(qvs pmetric.SummaryDataPointValueAtQuantileSlice, q, v float64) {
	qv := qvs.AppendEmpty()
	qv.SetQuantile(q)
	qv.SetValue(v)
}

func (b *Batch) summary(res *batchResource, p *point) pmetric.SummaryDataPointSlice {
	st := &b.otel
	var name, unit string
	if len(p.name) > 0 {
		name, unit = b.str(p.name), b.str(p.unit)
	} else {
		st.nameBuf = appendOTelName(st.nameBuf[:0], p)
		name, unit = b.str(st.nameBuf), otelUnit(b.str(p.cwUnit))
	}
	key := summaryKey{res: res.id, name: name, unit: unit}
	if dps, ok := st.summaries[key]; ok {
		return dps
	}
	m := res.metrics.AppendEmpty()
	m.SetName(name)
	m.SetUnit(unit)
	dps := m.SetEmptySummary().DataPoints()
	if st.summaries == nil {
		st.summaries = make(map[summaryKey]pmetric.SummaryDataPointSlice)
	}
	st.summaries[key] = dps
	return dps
}
