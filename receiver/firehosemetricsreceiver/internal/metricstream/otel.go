// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// otelVersion is the OpenTelemetry stream format of a message; it decides how data-point attributes are read
// (docs/metric-streams.md#attributes-by-version): 0.7 sends flat labels (field 1, StringKeyValue), 1.0 sends attributes
// (field 7, KeyValue) with the dimensions in one kvlist attribute "Dimensions". Everything else decoded here is the
// same in both.
type otelVersion uint8

const (
	versionUnknown otelVersion = iota
	version07
	version10
)

func versionOf(f Format) otelVersion {
	switch f {
	case FormatOTel07:
		return version07
	case FormatOTel10:
		return version10
	}
	return versionUnknown
}

func (v otelVersion) String() string {
	switch v {
	case version07:
		return string(FormatOTel07)
	case version10:
		return string(FormatOTel10)
	}
	return "unknown"
}

// otelMessage is the decoding state of one ExportMetricsServiceRequest.
type otelMessage struct {
	b *Batch
	// forced is the configured version (versionUnknown with format auto); version is the one in use, detected from
	// the first data point that carries attributes.
	forced, version otelVersion
	// seen is the version the first data point with attributes is encoded in, whatever forced says.
	seen otelVersion
}

// decodeOTel decodes an OpenTelemetry record (docs/metric-streams.md#opentelemetry-framing): one or more messages, each
// prefixed by its varint length.
func (b *Batch) decodeOTel(data []byte, forced otelVersion) error {
	for off, i := 0, 0; off < len(data); i++ {
		size, n := protowire.ConsumeVarint(data[off:])
		if n < 0 {
			return fmt.Errorf("%w: OpenTelemetry record: message %d at byte %d: truncated length prefix", ErrMalformed, i, off)
		}
		if size > math.MaxUint32 {
			return fmt.Errorf("%w: OpenTelemetry record: message %d at byte %d: length prefix %d is over 32 bits", ErrMalformed, i, off, size)
		}
		if size > uint64(len(data)-off-n) {
			return fmt.Errorf("%w: OpenTelemetry record: message %d at byte %d: length %d is beyond the %d remaining bytes",
				ErrMalformed, i, off, size, len(data)-off-n)
		}
		msg := data[off+n : off+n+int(size)]
		m := otelMessage{b: b, forced: forced, version: forced}
		err := m.request(msg)
		if b.rec.otelVersion == versionUnknown {
			b.rec.otelVersion = m.seen
		}
		if b.rec.otelVersion == versionUnknown {
			b.rec.otelVersion = m.version
		}
		if err != nil {
			return fmt.Errorf("%w: OpenTelemetry record: message %d at byte %d: %w", ErrMalformed, i, off, err)
		}
		off += n + int(size)
	}
	return nil
}

// request decodes ExportMetricsServiceRequest{1: repeated ResourceMetrics}.
func (m *otelMessage) request(buf []byte) error {
	it := fieldsOf(buf)
	for it.next() {
		f := &it.field
		if f.num == 1 {
			if err := f.want(protowire.BytesType, "ExportMetricsServiceRequest"); err != nil {
				return err
			}
			if err := m.resourceMetrics(f.bytes); err != nil {
				return err
			}
		}
	}
	return it.err
}

// resourceMetrics decodes ResourceMetrics{1: Resource, 2: repeated ScopeMetrics / InstrumentationLibraryMetrics}.
// The resource is read first whatever its position.
func (m *otelMessage) resourceMetrics(buf []byte) error {
	var ri resourceInfo
	resourceFields := fieldsOf(buf)
	for resourceFields.next() {
		f := &resourceFields.field
		if f.num == 1 {
			if err := f.want(protowire.BytesType, "ResourceMetrics"); err != nil {
				return err
			}
			if err := m.resource(f.bytes, &ri); err != nil {
				return err
			}
		}
	}
	if err := resourceFields.err; err != nil {
		return err
	}
	res := -1
	it := fieldsOf(buf)
	for it.next() {
		f := &it.field
		if f.num != 2 {
			continue
		}
		if err := f.want(protowire.BytesType, "ResourceMetrics"); err != nil {
			return err
		}
		if res < 0 {
			res = m.b.rec.addResource(ri)
		}
		if err := m.scopeMetrics(f.bytes, res); err != nil {
			return err
		}
	}
	return it.err
}

// resource decodes Resource{1: repeated KeyValue} and keeps the attributes metric streams send.
func (m *otelMessage) resource(buf []byte, ri *resourceInfo) error {
	it := fieldsOf(buf)
	for it.next() {
		f := &it.field
		if f.num != 1 {
			continue
		}
		if err := f.want(protowire.BytesType, "Resource"); err != nil {
			return err
		}
		key, value, err := m.keyValue(f.bytes)
		if err != nil {
			return err
		}
		switch string(key) {
		case "cloud.provider":
			ri.provider = value
		case "cloud.account.id":
			ri.account = value
		case "cloud.region":
			ri.region = value
		case "aws.exporter.arn":
			ri.arn = value
		}
	}
	return it.err
}

// scopeMetrics decodes ScopeMetrics / InstrumentationLibraryMetrics{2: repeated Metric}.
func (m *otelMessage) scopeMetrics(buf []byte, res int) error {
	it := fieldsOf(buf)
	for it.next() {
		f := &it.field
		if f.num != 2 {
			continue
		}
		if err := f.want(protowire.BytesType, "ScopeMetrics"); err != nil {
			return err
		}
		if err := m.metric(f.bytes, res); err != nil {
			return err
		}
	}
	return it.err
}

// metric decodes Metric{1: name, 3: unit, 11: summary}. Other data kinds are counted and skipped.
func (m *otelMessage) metric(buf []byte, res int) error {
	var name, unit, summary []byte
	hasSummary, otherData := false, false
	it := fieldsOf(buf)
	for it.next() {
		f := &it.field
		switch f.num {
		case 1, 3, 11:
			if err := f.want(protowire.BytesType, "Metric"); err != nil {
				return err
			}
			switch f.num {
			case 1:
				name = f.bytes
			case 3:
				unit = f.bytes
			default:
				summary, hasSummary = f.bytes, true
			}
		case 4, 5, 6, 7, 8, 9, 10:
			otherData = true
		}
	}
	if err := it.err; err != nil {
		return err
	}
	if !hasSummary {
		if otherData {
			m.b.rec.unsupportedMetrics++
		}
		return nil
	}
	points := fieldsOf(summary)
	for points.next() {
		f := &points.field
		if f.num != 1 {
			continue
		}
		if err := f.want(protowire.BytesType, "Summary"); err != nil {
			return err
		}
		if err := m.dataPoint(f.bytes, name, unit, res); err != nil {
			return fmt.Errorf("metric %q: %w", name, err)
		}
	}
	return points.err
}

// dataPoint decodes a SummaryDataPoint / DoubleSummaryDataPoint. Absent numeric fields are zero.
func (m *otelMessage) dataPoint(buf []byte, name, unit []byte, res int) error {
	rec := m.b.rec
	p := point{res: res, name: name, unit: unit, dimStart: len(rec.dims), qStart: len(rec.quantiles)}
	it := fieldsOf(buf)
	for it.next() {
		f := &it.field
		switch f.num {
		case 1, 7:
			if err := f.want(protowire.BytesType, "data point"); err != nil {
				return err
			}
			if err := m.useVersion(f.num); err != nil {
				return err
			}
			var err error
			if f.num == 1 {
				err = m.label(f.bytes, &p)
			} else {
				err = m.attribute(f.bytes, &p)
			}
			if err != nil {
				return err
			}
		case 2, 3, 4, 5:
			if err := f.want(protowire.Fixed64Type, "data point"); err != nil {
				return err
			}
			switch f.num {
			case 2:
				p.start = f.u64
			case 3:
				p.end = f.u64
			case 4:
				p.countU, p.countF = f.u64, float64(f.u64)
			default:
				p.sum = f.double()
			}
		case 6:
			if err := f.want(protowire.BytesType, "data point"); err != nil {
				return err
			}
			if err := m.quantile(f.bytes, &p); err != nil {
				return err
			}
		}
	}
	if err := it.err; err != nil {
		return err
	}
	p.dimEnd, p.qEnd = len(rec.dims), len(rec.quantiles)
	if p.dimEnd-p.dimStart > maxDimensions {
		return fmt.Errorf("more than %d dimensions", maxDimensions)
	}
	sortDims(rec.dims[p.dimStart:p.dimEnd])
	sortQuantiles(rec.quantiles[p.qStart:p.qEnd])
	rec.points = append(rec.points, p)
	return nil
}

// quantile decodes ValueAtQuantile{1: quantile, 2: value}: 0.0 is the minimum, 1.0 the maximum, others percentiles.
func (m *otelMessage) quantile(buf []byte, p *point) error {
	q, v, short := shortQuantile(buf)
	it := fieldsOf(buf)
	for !short && it.next() {
		f := &it.field
		if f.num == 1 || f.num == 2 {
			if err := f.want(protowire.Fixed64Type, "ValueAtQuantile"); err != nil {
				return err
			}
			if f.num == 1 {
				q = f.double()
			} else {
				v = f.double()
			}
		}
	}
	if err := it.err; err != nil {
		return err
	}
	switch {
	case q == 0:
		p.min, p.hasMin = v, true
	case q == 1:
		p.max, p.hasMax = v, true
	case q > 0 && q < 1:
		rec := m.b.rec
		if len(rec.quantiles)-p.qStart >= maxQuantiles {
			return fmt.Errorf("more than %d quantiles", maxQuantiles)
		}
		rec.quantiles = append(rec.quantiles, quantileValue{q: q, v: v})
	default:
		return fmt.Errorf("quantile %v is outside [0, 1]", q)
	}
	return nil
}
