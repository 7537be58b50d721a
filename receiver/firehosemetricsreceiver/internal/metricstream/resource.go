// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// batchResource is one ResourceMetrics of the batch with its single ScopeMetrics.
type batchResource struct {
	metrics pmetric.MetricSlice
}

// stream is the identity of where records come from: cloud provider, account, region and, with the otel naming, the
// metric stream ARN. Strings are valid UTF-8.
type stream struct {
	provider, account, region, arn string
}

// resourceKey identifies a ResourceMetrics of the batch: the stream and, with the logzio naming, the namespace and
// metric name labels, which are the same on every series of a CloudWatch metric.
type resourceKey struct {
	stream                int
	namespace, metricName string
}

// resolveStream returns the index of a record resource's stream in the batch, adding it on first use.
func (b *Batch) resolveStream(ri *resourceInfo) int {
	if ri.slot >= 0 {
		return ri.slot
	}
	key := b.keyBuf[:0]
	key = append(append(key, ri.provider...), 0)
	key = append(append(key, ri.account...), 0)
	key = append(key, ri.region...)
	if b.d.naming == NamingOTel {
		key = append(append(key, 0), b.streamARN(ri)...)
	}
	b.keyBuf = key
	if slot, ok := b.streamIndex[string(key)]; ok {
		ri.slot = slot
		return slot
	}
	s := stream{provider: b.str(ri.provider), account: b.str(ri.account), region: b.str(ri.region)}
	if b.d.naming == NamingOTel {
		s.arn = b.str(b.streamARN(ri))
	}
	if b.streamIndex == nil {
		b.streamIndex = make(map[string]int)
	}
	ri.slot = len(b.streams)
	b.streams = append(b.streams, s)
	b.streamIndex[string(key)] = ri.slot
	return ri.slot
}

// resource returns the ResourceMetrics of a key, creating it on first use with the attributes of the naming.
func (b *Batch) resource(key resourceKey) *batchResource {
	if res, ok := b.resources[key]; ok {
		return res
	}
	s := &b.streams[key.stream]
	rm := b.metrics.ResourceMetrics().AppendEmpty()
	attrs := rm.Resource().Attributes()
	if b.d.naming == NamingOTel {
		attrs.EnsureCapacity(4)
		putNonEmpty(attrs, "cloud.provider", s.provider)
		putNonEmpty(attrs, "cloud.account.id", s.account)
		putNonEmpty(attrs, "cloud.region", s.region)
		putNonEmpty(attrs, "aws.exporter.arn", s.arn)
	} else {
		attrs.EnsureCapacity(6)
		putNonEmpty(attrs, labelAccount, s.account)
		putNonEmpty(attrs, labelRegion, s.region)
		putNonEmpty(attrs, labelCloudProvider, s.provider)
		putNonEmpty(attrs, labelLogzioName, b.logzioName)
		putNonEmpty(attrs, labelNamespace, key.namespace)
		putNonEmpty(attrs, labelMetricName, key.metricName)
	}
	res := &batchResource{metrics: rm.ScopeMetrics().AppendEmpty().Metrics()}
	if b.resources == nil {
		b.resources = make(map[resourceKey]*batchResource)
	}
	b.resources[key] = res
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
