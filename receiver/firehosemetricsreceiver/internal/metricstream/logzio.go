// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// logzioState holds the per-batch caches of the logzio naming.
type logzioState struct {
	lowered        stringCache[string]       // raw → lower-cased
	labelNames     stringCache[labelName]    // raw dimension name → label name
	names          stringCache[*seriesNames] // OpenTelemetry metric name → series names
	slots          map[slotKey]*seriesSlots
	quantileLabels map[float64]string
	labels         []label
	nameBuf        []byte
}

// seriesNames are the series names of one CloudWatch metric, with the namespace and metric name they were first
// seen with and their label values.
type seriesNames struct {
	base, sum, count, min, max  string
	namespace, metricName       string         // raw
	namespaceLabel, metricLabel string         // lower-cased
	slots                       []*seriesSlots // by stream, for points whose labels are namespaceLabel and metricLabel
}

// labelName is the label of a dimension name: sanitised, and the lower-cased name that orders merged values.
type labelName struct {
	name, orig string
}

// slotKey identifies the gauges of one CloudWatch metric in one resource.
type slotKey struct {
	stream int
	names  *seriesNames
	// namespace and metricName are the label values, normally names.namespaceLabel and names.metricLabel.
	namespace, metricName string
}

// seriesSlots are the gauges of one CloudWatch metric in one resource; min, max and quantile are created on demand.
type seriesSlots struct {
	res                            *batchResource
	sum, count, min, max, quantile pmetric.NumberDataPointSlice
	hasMin, hasMax, hasQuantile    bool
}

type label struct {
	name, value string
	orig        string // lower-cased dimension name, orders values merged into one label
}

// emitLogzio adds one data point as the Logz.io series (docs/metric-streams.md#series-per-data-point): _sum and _count
// at the period end, _min and _max at the period start, one quantile series per percentile at the period end; all
// gauges with the same labels. The labels shared by every series of the metric (namespace, metricname, and the
// stream's) are resource attributes; the dimensions are data-point attributes.
func (b *Batch) emitLogzio(p *point) {
	names := b.logzioNames(p)
	slots := b.logzioSlots(b.resolveStream(&b.rec.resources[p.res]), names, p)
	labels := b.logzioLabels(p)
	start, end := pcommon.Timestamp(p.start), pcommon.Timestamp(p.end)

	first := slots.sum.AppendEmpty()
	first.SetTimestamp(end)
	first.SetDoubleValue(p.sum)
	attrs := first.Attributes()
	if len(labels) > 0 {
		attrs.EnsureCapacity(len(labels))
		for _, l := range labels {
			attrs.PutStr(l.name, l.value)
		}
	}
	logzioPoint(slots.count, end, p.countF, attrs)
	if p.hasMin {
		logzioPoint(gauge(slots.res, names.min, &slots.min, &slots.hasMin), start, p.min, attrs)
	}
	if p.hasMax {
		logzioPoint(gauge(slots.res, names.max, &slots.max, &slots.hasMax), start, p.max, attrs)
	}
	if names.base == "" {
		return
	}
	for _, q := range b.rec.pointQuantiles(p) {
		dp := gauge(slots.res, names.base, &slots.quantile, &slots.hasQuantile).AppendEmpty()
		dp.SetTimestamp(end)
		dp.SetDoubleValue(q.v)
		qAttrs := dp.Attributes()
		qAttrs.EnsureCapacity(len(labels) + 1)
		attrs.CopyTo(qAttrs)
		qAttrs.PutStr(labelQuantile, b.quantileLabel(q.q))
	}
}

func logzioPoint(dps pmetric.NumberDataPointSlice, ts pcommon.Timestamp, v float64, attrs pcommon.Map) {
	dp := dps.AppendEmpty()
	dp.SetTimestamp(ts)
	dp.SetDoubleValue(v)
	if attrs.Len() > 0 {
		attrs.CopyTo(dp.Attributes())
	}
}

// gauge returns the data points of a lazily created gauge.
func gauge(res *batchResource, name string, dps *pmetric.NumberDataPointSlice, created *bool) pmetric.NumberDataPointSlice {
	if !*created {
		*dps = newGauge(res, name)
		*created = true
	}
	return *dps
}

func newGauge(res *batchResource, name string) pmetric.NumberDataPointSlice {
	m := res.metrics.AppendEmpty()
	m.SetName(name)
	return m.SetEmptyGauge().DataPoints()
}

// logzioSlots returns the gauges of the point's metric, creating them (and the resource) on first use.
func (b *Batch) logzioSlots(stream int, names *seriesNames, p *point) *seriesSlots {
	if string(p.namespace) == names.namespace && string(p.metricName) == names.metricName {
		// The usual case: the labels are the ones of the metric name; the gauges are kept per stream on the names.
		for len(names.slots) <= stream {
			names.slots = append(names.slots, nil)
		}
		if names.slots[stream] == nil {
			names.slots[stream] = b.newLogzioSlots(stream, names, names.namespaceLabel, names.metricLabel)
		}
		return names.slots[stream]
	}
	// An OpenTelemetry metric whose Namespace or MetricName attribute does not match its name.
	st := &b.logzio
	key := slotKey{stream: stream, names: names, namespace: b.lower(p.namespace), metricName: b.lower(p.metricName)}
	if s, ok := st.slots[key]; ok {
		return s
	}
	if st.slots == nil {
		st.slots = make(map[slotKey]*seriesSlots)
	}
	s := b.newLogzioSlots(stream, names, key.namespace, key.metricName)
	st.slots[key] = s
	return s
}

func (b *Batch) newLogzioSlots(stream int, names *seriesNames, namespace, metricName string) *seriesSlots {
	res := b.resource(resourceKey{stream: stream, namespace: namespace, metricName: metricName})
	return &seriesSlots{res: res, sum: newGauge(res, names.sum), count: newGauge(res, names.count)}
}

// logzioNames returns the series names of the point's metric, from the OpenTelemetry name as sent or, for JSON,
// from amazonaws.com/<namespace>/<metric_name>.
func (b *Batch) logzioNames(p *point) *seriesNames {
	st := &b.logzio
	name := p.name
	if len(name) == 0 {
		st.nameBuf = appendOTelName(st.nameBuf[:0], p)
		name = st.nameBuf
	}
	if n, ok := st.names.get(name); ok {
		return n
	}
	base := logzioBaseName(string(name))
	n := &seriesNames{base: base, sum: base + "_sum", count: base + "_count", min: base + "_min", max: base + "_max",
		namespace: string(p.namespace), metricName: string(p.metricName),
		namespaceLabel: b.lower(p.namespace), metricLabel: b.lower(p.metricName)}
	return st.names.put(string(name), n)
}

// appendOTelName appends the OpenTelemetry metric name of a JSON point.
func appendOTelName(dst []byte, p *point) []byte {
	dst = append(dst, "amazonaws.com/"...)
	dst = append(append(dst, p.namespace...), '/')
	return append(dst, p.metricName...)
}

// logzioLabels builds the data-point labels (docs/metric-streams.md#labels, without the resource labels): one per
// dimension (lower-cased, sanitised, merged with ';' when two names sanitise alike, dropped when they collide with a
// decoder label), ordered by name.
func (b *Batch) logzioLabels(p *point) []label {
	st := &b.logzio
	labels := st.labels[:0]
	for _, d := range b.rec.pointDims(p) {
		ln := b.labelName(d.key)
		if ln.name == "" {
			continue
		}
		value := b.lower(d.value)
		if value == "" {
			continue
		}
		labels = append(labels, label{name: ln.name, value: value, orig: ln.orig})
	}
	for i := 1; i < len(labels); i++ {
		for j := i; j > 0 && labelLess(&labels[j], &labels[j-1]); j-- {
			labels[j], labels[j-1] = labels[j-1], labels[j]
		}
	}
	// The same dimension name twice: the last one wins.
	out := 0
	for i := range labels {
		if out > 0 && labels[out-1].name == labels[i].name && labels[out-1].orig == labels[i].orig {
			labels[out-1].value = labels[i].value
			continue
		}
		if out != i {
			labels[out] = labels[i]
		}
		out++
	}
	labels = labels[:out]
	// Different dimension names with the same label name: one label, values joined with ';' in name order.
	out = 0
	for i := range labels {
		if out > 0 && labels[out-1].name == labels[i].name {
			labels[out-1].value += ";" + labels[i].value
			continue
		}
		if out != i {
			labels[out] = labels[i]
		}
		out++
	}
	labels = labels[:out]
	st.labels = labels
	return labels
}

func labelLess(a, b *label) bool {
	if a.name != b.name {
		return a.name < b.name
	}
	return a.orig < b.orig
}

// labelName returns the label of a dimension name; the name is empty when the dimension has no label (empty, or
// colliding with a decoder label).
func (b *Batch) labelName(raw []byte) labelName {
	st := &b.logzio
	if n, ok := st.labelNames.get(raw); ok {
		return n
	}
	orig := strings.ToLower(strings.ToValidUTF8(string(raw), "\uFFFD"))
	n := labelName{name: logzioLabelName(orig), orig: orig}
	if _, reserved := reservedLabels[n.name]; reserved {
		n.name = ""
	}
	return st.labelNames.put(string(raw), n)
}

// quantileLabel formats a quantile as the shortest decimal ("0.99", "0.999").
func (b *Batch) quantileLabel(q float64) string {
	st := &b.logzio
	if s, ok := st.quantileLabels[q]; ok {
		return s
	}
	s := strconv.FormatFloat(q, 'f', -1, 64)
	if st.quantileLabels == nil {
		st.quantileLabels = make(map[float64]string)
	}
	if len(st.quantileLabels) < maxQuantiles {
		st.quantileLabels[q] = s
	}
	return s
}
