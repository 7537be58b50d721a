// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"fmt"
	"strconv"

	"google.golang.org/protobuf/encoding/protowire"
)

// The attributes of OpenTelemetry data points and resources: 0.7 string labels, 1.0 key-values and the Dimensions
// key-value list, scalars formatted as text.

// useVersion checks that a data point's attribute field matches the message's version, detecting it if needed.
func (m *otelMessage) useVersion(num protowire.Number) error {
	v := version10
	if num == 1 {
		v = version07
	}
	if m.seen == versionUnknown {
		m.seen = v
	}
	switch {
	case m.version == versionUnknown:
		m.version = v
	case m.version != v && m.forced != versionUnknown:
		return fmt.Errorf("data-point attributes are encoded as in %s but format is %s: set format to %q or %q",
			v, m.forced, FormatAuto, Format(v.String()))
	case m.version != v:
		return fmt.Errorf("message mixes %s and %s data-point attributes", m.version, v)
	}
	return nil
}

// label decodes a 0.7 StringKeyValue{1: key, 2: value}: Namespace, MetricName, or a dimension.
func (m *otelMessage) label(buf []byte, p *point) error {
	if key, value, ok := shortStringPair(buf); ok {
		m.setAttribute(p, key, value)
		return nil
	}
	var key, value []byte
	it := fieldsOf(buf)
	for it.next() {
		f := &it.field
		if f.num == 1 || f.num == 2 {
			if err := f.want(protowire.BytesType, "StringKeyValue"); err != nil {
				return err
			}
			if f.num == 1 {
				key = f.bytes
			} else {
				value = f.bytes
			}
		}
	}
	if err := it.err; err != nil {
		return err
	}
	m.setAttribute(p, key, value)
	return nil
}

func (m *otelMessage) setAttribute(p *point, key, value []byte) {
	switch string(key) {
	case "Namespace":
		p.namespace = value
	case "MetricName":
		p.metricName = value
	default:
		m.b.rec.dims = append(m.b.rec.dims, kv{key: key, value: value})
	}
}

// attribute decodes a 1.0 KeyValue: Namespace, MetricName (strings) or Dimensions (kvlist of strings). Other
// attributes are ignored.
func (m *otelMessage) attribute(buf []byte, p *point) error {
	if key, value, ok := shortStringKeyValue(buf); ok && (string(key) == "Namespace" || string(key) == "MetricName") {
		m.setAttribute(p, key, value)
		return nil
	}
	key, value, err := m.rawKeyValue(buf)
	if err != nil {
		return err
	}
	switch string(key) {
	case "Namespace", "MetricName":
		s, err := m.scalar(value)
		if err != nil {
			return fmt.Errorf("attribute %s: %w", key, err)
		}
		m.setAttribute(p, key, s)
	case "Dimensions":
		return m.dimensions(value)
	}
	return nil
}

// dimensions decodes the AnyValue{6: KeyValueList{1: repeated KeyValue}} of the Dimensions attribute.
func (m *otelMessage) dimensions(anyValue []byte) error {
	it := fieldsOf(anyValue)
	for it.next() {
		f := &it.field
		if f.num != 6 {
			if f.num >= 1 && f.num <= 7 {
				return fmt.Errorf("attribute Dimensions is not a key-value list (AnyValue field %d)", f.num)
			}
			continue
		}
		if err := f.want(protowire.BytesType, "AnyValue"); err != nil {
			return err
		}
		items := fieldsOf(f.bytes)
		for items.next() {
			g := &items.field
			if g.num != 1 {
				continue
			}
			if err := g.want(protowire.BytesType, "KeyValueList"); err != nil {
				return err
			}
			key, value, err := m.keyValue(g.bytes)
			if err != nil {
				return fmt.Errorf("dimension: %w", err)
			}
			m.b.rec.dims = append(m.b.rec.dims, kv{key: key, value: value})
		}
		if err := items.err; err != nil {
			return err
		}
	}
	return it.err
}

// keyValue decodes KeyValue{1: key, 2: AnyValue} whose value must be a scalar.
func (m *otelMessage) keyValue(buf []byte) (key, value []byte, err error) {
	if key, value, ok := shortStringKeyValue(buf); ok {
		return key, value, nil
	}
	key, anyValue, err := m.rawKeyValue(buf)
	if err != nil {
		return nil, nil, err
	}
	value, err = m.scalar(anyValue)
	if err != nil {
		return nil, nil, fmt.Errorf("%q: %w", key, err)
	}
	return key, value, nil
}

func (m *otelMessage) rawKeyValue(buf []byte) (key, anyValue []byte, err error) {
	it := fieldsOf(buf)
	for it.next() {
		f := &it.field
		if f.num == 1 || f.num == 2 {
			if err := f.want(protowire.BytesType, "KeyValue"); err != nil {
				return nil, nil, err
			}
			if f.num == 1 {
				key = f.bytes
			} else {
				anyValue = f.bytes
			}
		}
	}
	if err := it.err; err != nil {
		return nil, nil, err
	}
	return key, anyValue, nil
}

// scalar returns the text of an AnyValue: strings as they are, booleans, integers and doubles formatted. Arrays,
// key-value lists and bytes are errors.
func (m *otelMessage) scalar(buf []byte) ([]byte, error) {
	var out []byte
	it := fieldsOf(buf)
	for it.next() {
		f := &it.field
		switch f.num {
		case 1:
			if err := f.want(protowire.BytesType, "AnyValue"); err != nil {
				return nil, err
			}
			out = f.bytes
		case 2, 3:
			if err := f.want(protowire.VarintType, "AnyValue"); err != nil {
				return nil, err
			}
			out = m.appendScratch(*f)
		case 4:
			if err := f.want(protowire.Fixed64Type, "AnyValue"); err != nil {
				return nil, err
			}
			out = m.appendScratch(*f)
		case 5, 6, 7:
			return nil, fmt.Errorf("value is not a string (AnyValue field %d)", f.num)
		}
	}
	if err := it.err; err != nil {
		return nil, err
	}
	return out, nil
}

// appendScratch formats a bool, int or double AnyValue into the batch scratch buffer.
func (m *otelMessage) appendScratch(f field) []byte {
	buf := m.b.rec.scratch
	start := len(buf)
	switch f.num {
	case 2:
		buf = strconv.AppendBool(buf, f.u64 != 0)
	case 3:
		buf = strconv.AppendInt(buf, int64(f.u64), 10)
	default:
		buf = strconv.AppendFloat(buf, f.double(), 'f', -1, 64)
	}
	m.b.rec.scratch = buf
	return buf[start:len(buf):len(buf)]
}
