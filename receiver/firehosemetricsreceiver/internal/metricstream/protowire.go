package metricstream

import (
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

// nextField decodes the field at the start of buf and returns the rest.
func nextField(buf []byte) (field, []byte, error) {
	// Fast path: one-byte tag of a length-delimited field with a one-byte length, the most common shape in
	// metric-stream messages (keys, values, small sub-messages).
	if len(buf) >= 2 && buf[0] < 0x80 && buf[0]&7 == byte(protowire.BytesType) && buf[0] >= 8 && buf[1] < 0x80 {
		end := 2 + int(buf[1])
		if end <= len(buf) {
			return field{num: protowire.Number(buf[0] >> 3), typ: protowire.BytesType, bytes: buf[2:end]}, buf[end:], nil
		}
	}
	num, typ, n := protowire.ConsumeTag(buf)
	if n < 0 {
		return field{}, nil, errTruncated
	}
	buf = buf[n:]
	f := field{num: num, typ: typ}
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
		return field{}, nil, errGroup
	}
	if n < 0 {
		return field{}, nil, errTruncated
	}
	return f, buf[n:], nil
}

// want checks the wire type of a known field.
func (f *field) want(typ protowire.Type, msg string) error {
	if f.typ == typ {
		return nil
	}
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
