// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// field is one decoded protobuf field. Groups are rejected: OTLP never uses them.
type field struct {
	num   protowire.Number
	typ   protowire.Type
	bytes []byte // BytesType
	u64   uint64 // VarintType, Fixed64Type, Fixed32Type
}

var (
	errTruncated = errors.New("truncated protobuf field")
	errGroup     = errors.New("protobuf group wire type is not used by OTLP")
)

// read decodes the field at the start of buf into f and returns the rest of buf.
func (f *field) read(buf []byte) ([]byte, error) {
	if len(buf) >= 2 && buf[0] < 0x80 && buf[0] >= 8 {
		switch tag := buf[0]; tag & 7 {
		case byte(protowire.BytesType):
			// Fast paths: a one-byte tag with a one-byte length, the most common shape in metric-stream messages
			// (keys, values, small sub-messages), or a two-byte length (dimensions, data points).
			if buf[1] < 0x80 {
				if end := 2 + int(buf[1]); end <= len(buf) {
					f.setBytes(tag, buf[2:end])
					return buf[end:], nil
				}
			} else if len(buf) >= 3 && buf[2] < 0x80 {
				if end := 3 + (int(buf[1]&0x7f) | int(buf[2])<<7); end <= len(buf) {
					f.setBytes(tag, buf[3:end])
					return buf[end:], nil
				}
			}
		case byte(protowire.Fixed64Type):
			// Fast path: a one-byte tag of a fixed64 field (timestamps, count, sum, doubles).
			if len(buf) >= 9 {
				f.setFixed64(tag, binary.LittleEndian.Uint64(buf[1:9]))
				return buf[9:], nil
			}
		}
	}
	num, typ, n := protowire.ConsumeTag(buf)
	if n < 0 {
		return nil, errTruncated
	}
	buf = buf[n:]
	*f = field{num: num, typ: typ}
	switch typ {
	case protowire.VarintType:
		f.u64, n = protowire.ConsumeVarint(buf)
	case protowire.Fixed64Type:
		f.u64, n = protowire.ConsumeFixed64(buf)
	case protowire.Fixed32Type:
		var v uint32
		v, n = protowire.ConsumeFixed32(buf)
		f.u64 = uint64(v)
	case protowire.BytesType:
		f.bytes, n = protowire.ConsumeBytes(buf)
	default:
		return nil, errGroup
	}
	if n < 0 {
		return nil, errTruncated
	}
	return buf[n:], nil
}

// fieldIter walks the fields of one protobuf message. The decoding functions use it as
//
//	it := fieldsOf(buf)
//	for it.next() {
//		f := &it.field
//		// switch on f.num ...
//	}
//	if err := it.err; err != nil {
//		return err
//	}
type fieldIter struct {
	field
	rest []byte
	err  error
}

func fieldsOf(buf []byte) fieldIter { return fieldIter{rest: buf} }

// next decodes the next field into it.field. It returns false at the end of the message, and on a malformed field,
// which it leaves in it.err.
func (it *fieldIter) next() bool {
	if len(it.rest) == 0 {
		return false
	}
	it.rest, it.err = it.read(it.rest) // on an error read returns no rest, so the walk ends there
	return it.err == nil
}

// setBytes and setFixed64 fill f for the fast paths of read, one field at a time: assigning a whole field literal
// through the pointer goes through a stack temporary, and copying it back stalls on store forwarding, which cost
// more than the rest of the decoding.
func (f *field) setBytes(tag byte, b []byte) {
	f.num, f.typ, f.bytes, f.u64 = protowire.Number(tag>>3), protowire.BytesType, b, 0
}

func (f *field) setFixed64(tag byte, v uint64) {
	f.num, f.typ, f.bytes, f.u64 = protowire.Number(tag>>3), protowire.Fixed64Type, nil, v
}

// want checks the wire type of a known field. It is small enough to be inlined into the decoding loops; the error is
// built out of line.
func (f *field) want(typ protowire.Type, msg string) error {
	if f.typ == typ {
		return nil
	}
	return f.wrongType(typ, msg)
}

func (f *field) wrongType(typ protowire.Type, msg string) error {
	return fmt.Errorf("%s field %d has wire type %s, want %s", msg, f.num, wireTypeName(f.typ), wireTypeName(typ))
}

func (f *field) double() float64 { return math.Float64frombits(f.u64) }

func wireTypeName(t protowire.Type) string {
	switch t {
	case protowire.VarintType:
		return "varint"
	case protowire.Fixed64Type:
		return "fixed64"
	case protowire.Fixed32Type:
		return "fixed32"
	case protowire.BytesType:
		return "length-delimited"
	}
	return fmt.Sprintf("%d", t)
}

// shortStringKeyValue decodes the usual encoding of a KeyValue{1: key, 2: AnyValue{1: string}} whose key and value
// are under 128 bytes: 0x0a len key 0x12 len 0x0a len value, and nothing else. ok is false for any other encoding,
// which the general decoder then reads (same result: each field appears exactly once here).
func shortStringKeyValue(buf []byte) (key, value []byte, ok bool) {
	if len(buf) < 6 || buf[0] != 0x0a || buf[1] >= 0x80 {
		return nil, nil, false
	}
	k := 2 + int(buf[1])
	if len(buf) < k+4 || buf[k] != 0x12 || buf[k+1] >= 0x80 || buf[k+2] != 0x0a || buf[k+3] >= 0x80 {
		return nil, nil, false
	}
	if int(buf[k+1]) != 2+int(buf[k+3]) || len(buf) != k+2+int(buf[k+1]) {
		return nil, nil, false
	}
	return buf[2:k], buf[k+4:], true
}

// shortQuantile decodes the usual encoding of a ValueAtQuantile{1: quantile, 2: value}: 0x09 8 bytes 0x11 8 bytes.
func shortQuantile(buf []byte) (q, v float64, ok bool) {
	if len(buf) != 18 || buf[0] != 0x09 || buf[9] != 0x11 {
		return 0, 0, false
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(buf[1:9])), math.Float64frombits(binary.LittleEndian.Uint64(buf[10:18])), true
}

// shortStringPair decodes the usual encoding of an OpenTelemetry 0.7 StringKeyValue{1: key, 2: value} whose key and
// value are under 128 bytes: 0x0a len key 0x12 len value, and nothing else. ok is false for any other encoding.
func shortStringPair(buf []byte) (key, value []byte, ok bool) {
	if len(buf) < 4 || buf[0] != 0x0a || buf[1] >= 0x80 {
		return nil, nil, false
	}
	k := 2 + int(buf[1])
	if len(buf) < k+2 || buf[k] != 0x12 || buf[k+1] >= 0x80 || len(buf) != k+2+int(buf[k+1]) {
		return nil, nil, false
	}
	return buf[2:k], buf[k+2:], true
}
