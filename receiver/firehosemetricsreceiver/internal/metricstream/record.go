// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

// This file holds the normalised model every format decodes to (docs/metric-streams.md#normalised-data-point). A record
// is decoded completely into these buffers before anything is added to the batch, so that a malformed record leaves the
// batch unchanged. Byte slices point into the record (or into the batch's scratch buffer for unescaped JSON strings);
// they are turned into strings only when the record is emitted.

// kv is one dimension: name and value as received.
type kv struct {
	key, value []byte
}

// quantileValue is one percentile of a data point (never 0.0 or 1.0: those are min and max).
type quantileValue struct {
	q, v float64
}

// resourceInfo is what identifies where a data point comes from.
type resourceInfo struct {
	provider, account, region []byte
	// arn is the metric stream ARN (aws.exporter.arn); JSON records carry the stream name instead.
	arn, streamName []byte
	fromJSON        bool
	// slot caches the batch resource this resource resolved to while emitting (-1: not resolved yet).
	slot int
}

// point is one CloudWatch data point: one metric, one period.
type point struct {
	res int // index into record.resources
	// name and unit as the OpenTelemetry formats send them; empty for JSON (built from namespace and metricName).
	name, unit []byte
	// cwUnit is the CloudWatch unit name of JSON records (e.g. "Seconds").
	cwUnit                []byte
	namespace, metricName []byte
	dimStart, dimEnd      int // range of record.dims
	qStart, qEnd          int // range of record.quantiles
	start, end            uint64
	countU                uint64
	countF, sum           float64
	min, max              float64
	hasMin, hasMax        bool
}

// record is the decoded content of one Firehose record. Records are pooled by the Decoder: their buffers are reused
// from one Firehose record to the next, so decoding a record allocates nothing once the buffers have grown.
type record struct {
	resources []resourceInfo
	points    []point
	dims      []kv
	quantiles []quantileValue
	// scratch holds unescaped JSON strings and formatted attribute values.
	scratch []byte

	// lineHashes are the hashes of the JSON lines this record added to the batch's seen set (see Batch.firstLine).
	lineHashes []uint64

	skippedLines       int
	duplicateLines     int
	droppedStatistics  int
	unsupportedMetrics int
	// otelVersion is the version of the first OpenTelemetry message of the record that told it (versionUnknown in
	// a JSON record, or before).
	otelVersion otelVersion
}

// reset empties the record, clearing the references into the previous data so that a pooled record does not keep
// it alive.
func (r *record) reset() {
	clear(r.resources)
	clear(r.points)
	clear(r.dims)
	r.scratch = r.scratch[:0]
	r.resources = r.resources[:0]
	r.points = r.points[:0]
	r.dims = r.dims[:0]
	r.quantiles = r.quantiles[:0]
	r.lineHashes = r.lineHashes[:0]
	r.skippedLines, r.duplicateLines, r.droppedStatistics, r.unsupportedMetrics = 0, 0, 0, 0
	r.otelVersion = versionUnknown
}

func (r *record) addResource(ri resourceInfo) int {
	ri.slot = -1
	r.resources = append(r.resources, ri)
	return len(r.resources) - 1
}

func (r *record) pointDims(p *point) []kv { return r.dims[p.dimStart:p.dimEnd] }

func (r *record) pointQuantiles(p *point) []quantileValue { return r.quantiles[p.qStart:p.qEnd] }

// sortDims orders the dimensions of a point by name (insertion sort: points have few dimensions) so that every format
// produces the same attribute order.
func sortDims(d []kv) {
	for i := 1; i < len(d); i++ {
		for j := i; j > 0 && string(d[j].key) < string(d[j-1].key); j-- {
			d[j], d[j-1] = d[j-1], d[j]
		}
	}
}

// sortQuantiles orders percentiles by quantile, keeping the received order of equal ones.
func sortQuantiles(q []quantileValue) {
	for i := 1; i < len(q); i++ {
		for j := i; j > 0 && q[j].q < q[j-1].q; j-- {
			q[j], q[j-1] = q[j-1], q[j]
		}
	}
}
