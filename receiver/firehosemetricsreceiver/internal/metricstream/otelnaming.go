// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// otelState holds the per-batch caches of the otel naming.
type otelState struct {
	metrics stringCache[*otelMetric] // name, 0, unit (raw) → metric
	// byName holds every metric by its name and unit strings: raw names that differ only in invalid UTF-8 share one
	// metric, and the metric is found again once the raw cache is full.
	byName map[[2]string]*otelMetric
	keyBuf []byte
}

// otelMetric is one metric name and unit of the batch: its strings, and its summary in each stream (resource).
type otelMetric struct {
	name, unit string
	// rawNamespace and rawMetricName are the attributes the metric was first seen with, namespace and metricName
	// their strings (nearly every point of the metric carries the same).
	rawNamespace, rawMetricName string
	namespace, metricName       string
	summaries                   []streamSummary // by stream
}

type streamSummary struct {
	dps     pmetric.SummaryDataPointSlice
	created bool
}

// emitOTel adds one data point as the stream's own OpenTelemetry shape (docs/metric-streams.md#otel-naming): a summary
// named amazonaws.com/<Namespace>/<MetricName> with count, sum and quantiles (0 = min, percentiles, 1 = max),
// data-point attributes Namespace, MetricName and one per dimension.
func (b *Batch) emitOTel(p *point) {
	m := b.otelMetric(p)
	dp := b.summary(m, b.resolveStream(&b.rec.resources[p.res])).AppendEmpty()
	dp.SetStartTimestamp(pcommon.Timestamp(p.start))
	dp.SetTimestamp(pcommon.Timestamp(p.end))
	dp.SetCount(p.countU)
	dp.SetSum(p.sum)

	dims := b.rec.pointDims(p)
	attrs := dp.Attributes()
	attrs.EnsureCapacity(2 + len(dims))
	namespace, metricName := m.namespace, m.metricName
	if string(p.namespace) != m.rawNamespace || string(p.metricName) != m.rawMetricName {
		namespace, metricName = b.str(p.namespace), b.str(p.metricName)
	}
	putNonEmpty(attrs, "Namespace", namespace)
	putNonEmpty(attrs, "MetricName", metricName)
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

// otelMetric returns the metric of a point: named as sent by the OpenTelemetry formats, and for JSON
// amazonaws.com/<namespace>/<metric_name> with the CloudWatch unit mapped.
func (b *Batch) otelMetric(p *point) *otelMetric {
	st := &b.otel
	key := st.keyBuf[:0]
	if len(p.name) > 0 {
		key = append(append(append(key, p.name...), 0), p.unit...)
	} else {
		key = append(append(appendOTelName(key, p), 0), p.cwUnit...)
	}
	st.keyBuf = key
	if m, ok := st.metrics.get(key); ok {
		return m
	}
	var name, unit string
	if len(p.name) > 0 {
		name, unit = b.str(p.name), b.str(p.unit)
	} else {
		name, unit = b.str(key[:len(key)-len(p.cwUnit)-1]), otelUnit(b.str(p.cwUnit))
	}
	m, ok := st.byName[[2]string{name, unit}]
	if !ok {
		m = &otelMetric{name: name, unit: unit, rawNamespace: string(p.namespace), rawMetricName: string(p.metricName),
			namespace: b.str(p.namespace), metricName: b.str(p.metricName)}
		if st.byName == nil {
			st.byName = make(map[[2]string]*otelMetric)
		}
		st.byName[[2]string{name, unit}] = m
	}
	return st.metrics.put(string(key), m)
}

// summary returns the data points of the metric's summary in a stream's resource, creating it on first use.
func (b *Batch) summary(m *otelMetric, stream int) pmetric.SummaryDataPointSlice {
	for len(m.summaries) <= stream {
		m.summaries = append(m.summaries, streamSummary{})
	}
	if s := &m.summaries[stream]; s.created {
		return s.dps
	}
	metric := b.resource(resourceKey{stream: stream}).metrics.AppendEmpty()
	metric.SetName(m.name)
	metric.SetUnit(m.unit)
	dps := metric.SetEmptySummary().DataPoints()
	m.summaries[stream] = streamSummary{dps: dps, created: true}
	return dps
}
