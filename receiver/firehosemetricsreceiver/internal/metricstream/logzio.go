package metricstream

import (
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// logzioState holds the per-batch caches of the logzio naming.
type logzioState struct {
	lowered        map[string]string       // raw → lower-cased
	labelNames     map[string]labelName    // raw dimension name → label name
	names          map[string]*seriesNames // OpenTelemetry metric name → series names
	slots          map[slotKey]*seriesSlots
	quantileLabels map[float64]string
	labels         []label
	nameBuf        []byte
}

// seriesNames are the series names of one CloudWatch metric, with the namespace and metric name they were first
// seen with and their label values.
type seriesNames struct {
	base, sum, count, min, max  string
	namespace, metricName       string // raw
	namespaceLabel, metricLabel string // lower-cased
}

// labelName is the label of a dimension name: sanitised, and the lower-cased name that orders merged values.
type labelName struct {
	name, orig string
}

type slotKey struct {
	res   int
	names *seriesNames
}

// seriesSlots are the gauges of one CloudWatch metric in one resource; min, max and quantile are created on demand.
type seriesSlots struct {
	sum, count, min, max, quantile pmetric.NumberDataPointSlice
	hasMin, hasMax, hasQuantile    bool
}

type label struct {
	name, value string
	orig        string // lower-cased dimension name, orders values merged into one label
}

// emitLogzio adds one data point as the Logz.io series (spec §5): _sum and _count at the period end, _min and _max at
// the period start, one quantile series per percentile at the period end; all gauges with the same labels.
func (b *Batch) emitLogzio(p *point) {
	res := b.resolveResource(&b.rec.resources[p.res])
	names := b.logzioNames(p)
	slots := b.logzioSlots(res, names)
	labels := b.logzioLabels(p, names)
	start, end := pcommon.Timestamp(p.start), pcommon.Timestamp(p.end)

	first := slots.sum.AppendEmpty()
	first.SetTimestamp(end)
	first.SetDoubleValue(p.sum)
	attrs := first.Attributes()
	attrs.EnsureCapacity(len(labels))
	for _, l := range labels {
		attrs.PutStr(l.name, l.value)
	}
	b.logzioPoint(slots.count, end, p.countF, attrs)
	if p.hasMin {
		b.logzioPoint(b.gauge(res, names.min, &slots.min, &slots.hasMin), start, p.min, attrs)
	}
	if p.hasMax {
		b.logzioPoint(b.gauge(res, names.max, &slots.max, &slots.hasMax), start, p.max, attrs)
	}
	if names.base == "" {
		return
	}
	for _, q := range b.rec.pointQuantiles(p) {
		dp := b.gauge(res, names.base, &slots.quantile, &slots.hasQuantile).AppendEmpty()
		dp.SetTimestamp(end)
		dp.SetDoubleValue(q.v)
		qAttrs := dp.Attributes()
		qAttrs.EnsureCapacity(len(labels) + 1)
		attrs.CopyTo(qAttrs)
		qAttrs.PutStr(labelQuantile, b.quantileLabel(q.q))
	}
}

func (b *Batch) logzioPoint(dps pmetric.NumberDataPointSlice, ts pcommon.Timestamp, v float64, attrs pcommon.Map) {
	dp := dps.AppendEmpty()
	dp.SetTimestamp(ts)
	dp.SetDoubleValue(v)
	attrs.CopyTo(dp.Attributes())
}

// gauge returns the data points of a lazily created gauge.
func (b *Batch) gauge(res *batchResource, name string, dps *pmetric.NumberDataPointSlice, created *bool) pmetric.NumberDataPointSlice {
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

func (b *Batch) logzioSlots(res *batchResource, names *seriesNames) *seriesSlots {
	st := &b.logzio
	key := slotKey{res: res.id, names: names}
	if s, ok := st.slots[key]; ok {
		return s
	}
	if st.slots == nil {
		st.slots = make(map[slotKey]*seriesSlots)
	}
	s := &seriesSlots{sum: newGauge(res, names.sum), count: newGauge(res, names.count)}
	st.slots[key] = s
	return s
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
	if n, ok := st.names[string(name)]; ok {
		return n
	}
	base := logzioBaseName(string(name))
	n := &seriesNames{base: base, sum: base + "_sum", count: base + "_count", min: base + "_min", max: base + "_max",
		namespace: string(p.namespace), metricName: string(p.metricName),
		namespaceLabel: b.lower(p.namespace), metricLabel: b.lower(p.metricName)}
	if st.names == nil {
		st.names = make(map[string]*seriesNames)
	}
	if len(st.names) < maxInterned {
		st.names[string(name)] = n
	}
	return n
}

// appendOTelName appends the OpenTelemetry metric name of a JSON point.
func appendOTelName(dst []byte, p *point) []byte {
	dst = append(dst, "amazonaws.com/"...)
	dst = append(append(dst, p.namespace...), '/')
	return append(dst, p.metricName...)
}

// logzioLabels builds the data-point labels (spec §5.3, without the resource labels): namespace, metricname and one
// per dimension (lower-cased, sanitised, merged with ';' when two names sanitise alike, dropped when they collide
// with a decoder label), ordered by name.
func (b *Batch) logzioLabels(p *point, names *seriesNames) []label {
	st := &b.logzio
	labels := st.labels[:0]
	ns, mn := names.namespaceLabel, names.metricLabel
	if string(p.namespace) != names.namespace || string(p.metricName) != names.metricName {
		// An OpenTelemetry metric whose Namespace or MetricName attribute does not match its name.
		ns, mn = b.lower(p.namespace), b.lower(p.metricName)
	}
	if ns != "" {
		labels = append(labels, label{name: labelNamespace, value: ns})
	}
	if mn != "" {
		labels = append(labels, label{name: labelMetricName, value: mn})
	}
	fixed := len(labels)
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
	dims := labels[fixed:]
	for i := 1; i < len(dims); i++ {
		for j := i; j > 0 && labelLess(&dims[j], &dims[j-1]); j-- {
			dims[j], dims[j-1] = dims[j-1], dims[j]
		}
	}
	// The same dimension name twice: the last one wins.
	out := fixed
	for i := fixed; i < len(labels); i++ {
		if out > fixed && labels[out-1].name == labels[i].name && labels[out-1].orig == labels[i].orig {
			labels[out-1].value = labels[i].value
			continue
		}
		labels[out] = labels[i]
		out++
	}
	labels = labels[:out]
	// Different dimension names with the same label name: one label, values joined with ';' in name order.
	out = fixed
	for i := fixed; i < len(labels); i++ {
		if out > fixed && labels[out-1].name == labels[i].name {
			labels[out-1].value += ";" + labels[i].value
			continue
		}
		labels[out] = labels[i]
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
	if n, ok := st.labelNames[string(raw)]; ok {
		return n
	}
	orig := strings.ToLower(strings.ToValidUTF8(string(raw), "\uFFFD"))
	n := labelName{name: logzioLabelName(orig), orig: orig}
	if _, reserved := reservedLabels[n.name]; reserved {
		n.name = ""
	}
	if st.labelNames == nil {
		st.labelNames = make(map[string]labelName)
	}
	if len(st.labelNames) < maxInterned {
		st.labelNames[string(raw)] = n
	}
	return n
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
