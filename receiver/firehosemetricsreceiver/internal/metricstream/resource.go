package metricstream

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// batchResource is one ResourceMetrics of the batch with its single ScopeMetrics.
type batchResource struct {
	id      int
	metrics pmetric.MetricSlice
}

// resolveResource returns the batch resource of a record resource, creating it on first use. The key and the
// attributes depend on the naming.
func (b *Batch) resolveResource(ri *resourceInfo) *batchResource {
	if ri.slot >= 0 {
		return b.resourceList[ri.slot]
	}
	key := b.keyBuf[:0]
	key = append(append(key, ri.provider...), 0)
	key = append(append(key, ri.account...), 0)
	key = append(key, ri.region...)
	if b.d.naming == NamingOTel {
		key = append(append(key, 0), b.streamARN(ri)...)
	}
	b.keyBuf = key
	if b.resourceIndex == nil {
		b.resourceIndex = make(map[string]int)
	}
	if slot, ok := b.resourceIndex[string(key)]; ok {
		ri.slot = slot
		return b.resourceList[slot]
	}
	rm := b.metrics.ResourceMetrics().AppendEmpty()
	attrs := rm.Resource().Attributes()
	if b.d.naming == NamingOTel {
		attrs.EnsureCapacity(4)
		putNonEmpty(attrs, "cloud.provider", b.str(ri.provider))
		putNonEmpty(attrs, "cloud.account.id", b.str(ri.account))
		putNonEmpty(attrs, "cloud.region", b.str(ri.region))
		putNonEmpty(attrs, "aws.exporter.arn", b.str(b.streamARN(ri)))
	} else {
		attrs.EnsureCapacity(4)
		putNonEmpty(attrs, labelAccount, b.str(ri.account))
		putNonEmpty(attrs, labelRegion, b.str(ri.region))
		putNonEmpty(attrs, labelCloudProvider, b.str(ri.provider))
		putNonEmpty(attrs, labelLogzioName, b.logzioName)
	}
	res := &batchResource{id: len(b.resourceList), metrics: rm.ScopeMetrics().AppendEmpty().Metrics()}
	b.resourceList = append(b.resourceList, res)
	b.resourceIndex[string(key)] = res.id
	ri.slot = res.id
	return res
}

// streamARN is the metric stream ARN: as sent by the OpenTelemetry formats, built from the stream name for JSON.
func (b *Batch) streamARN(ri *resourceInfo) []byte {
	if !ri.fromJSON || len(ri.streamName) == 0 {
		return ri.arn
	}
	if ri.arn == nil {
		arn := make([]byte, 0, 64)
		arn = append(arn, "arn:aws:cloudwatch:"...)
		arn = append(append(arn, ri.region...), ':')
		arn = append(append(arn, ri.account...), ":metric-stream/"...)
		ri.arn = append(arn, ri.streamName...)
	}
	return ri.arn
}

func putNonEmpty(attrs pcommon.Map, key, value string) {
	if value != "" {
		attrs.PutStr(key, value)
	}
}
