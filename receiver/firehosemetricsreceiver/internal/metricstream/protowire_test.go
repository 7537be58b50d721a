// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"
)

// generalField decodes a field with protowire only, as field.read does outside its fast paths.
func generalField(t *testing.T, buf []byte) (field, []byte) {
	t.Helper()
	num, typ, n := protowire.ConsumeTag(buf)
	require.Positive(t, n)
	buf = buf[n:]
	f := field{num: num, typ: typ}
	switch typ {
	case protowire.Fixed64Type:
		f.u64, n = protowire.ConsumeFixed64(buf)
	case protowire.BytesType:
		f.bytes, n = protowire.ConsumeBytes(buf)
	case protowire.VarintType:
		f.u64, n = protowire.ConsumeVarint(buf)
	}
	require.Positive(t, n)
	return f, buf[n:]
}

// TestNextFieldFastPaths checks the one- and two-byte length and fixed64 fast paths against protowire, including
// lengths at the varint boundaries and truncated input.
func TestNextFieldFastPaths(t *testing.T) {
	trailer := []byte{0x08, 0x01}
	for _, size := range []int{0, 1, 127, 128, 129, 300, 16383, 16384} {
		payload := []byte(strings.Repeat("x", size))
		for _, num := range []protowire.Number{1, 7, 15, 16} {
			buf := protowire.AppendTag(nil, num, protowire.BytesType)
			buf = protowire.AppendBytes(buf, payload)
			buf = append(buf, trailer...)
			want, wantRest := generalField(t, buf)
			var got field
			rest, err := got.read(buf)
			require.NoError(t, err)
			assert.Equal(t, want, got, "size %d field %d", size, num)
			assert.Equal(t, wantRest, rest)
			_, err = new(field).read(buf[:len(buf)-len(trailer)-1])
			if size > 0 {
				assert.ErrorIs(t, err, errTruncated, "size %d field %d truncated", size, num)
			}
		}
	}
	for _, num := range []protowire.Number{2, 3, 15, 16} {
		buf := protowire.AppendTag(nil, num, protowire.Fixed64Type)
		buf = protowire.AppendFixed64(buf, math.Float64bits(-42.25))
		buf = append(buf, trailer...)
		want, wantRest := generalField(t, buf)
		var got field
		rest, err := got.read(buf)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		assert.Equal(t, wantRest, rest)
		_, err = new(field).read(buf[:8])
		assert.ErrorIs(t, err, errTruncated)
	}
}

func appendStringKeyValue(key, value string) []byte {
	anyValue := protowire.AppendTag(nil, 1, protowire.BytesType)
	anyValue = protowire.AppendString(anyValue, value)
	kv := protowire.AppendTag(nil, 1, protowire.BytesType)
	kv = protowire.AppendString(kv, key)
	kv = protowire.AppendTag(kv, 2, protowire.BytesType)
	return protowire.AppendBytes(kv, anyValue)
}

// TestShortStringKeyValue checks that the KeyValue fast path either declines or decodes exactly what the general
// decoder does.
func TestShortStringKeyValue(t *testing.T) {
	m := &otelMessage{b: &Batch{rec: &record{}}}
	general := func(buf []byte) (key, value []byte) {
		k, anyValue, err := m.rawKeyValue(buf)
		require.NoError(t, err)
		v, err := m.scalar(anyValue)
		require.NoError(t, err)
		return k, v
	}
	for _, key := range []string{"", "k", "InstanceId", strings.Repeat("k", 125), strings.Repeat("k", 126), strings.Repeat("k", 200)} {
		for _, value := range []string{"", "v", "i-0abc", strings.Repeat("v", 125), strings.Repeat("v", 126), strings.Repeat("v", 300)} {
			buf := appendStringKeyValue(key, value)
			wantKey, wantValue := general(buf)
			if k, v, ok := shortStringKeyValue(buf); ok {
				assert.Equal(t, string(wantKey), string(k))
				assert.Equal(t, string(wantValue), string(v))
			}
			k, v, err := m.keyValue(buf)
			require.NoError(t, err)
			assert.Equal(t, string(wantKey), string(k), "key of %d, value of %d bytes", len(key), len(value))
			assert.Equal(t, string(wantValue), string(v), "key of %d, value of %d bytes", len(key), len(value))
		}
	}
	_, _, ok := shortStringKeyValue(appendStringKeyValue("InstanceId", "i-0abc"))
	assert.True(t, ok, "the usual short KeyValue takes the fast path")
	// A repeated field, an extra field or an integer value take the general path.
	repeated := append(appendStringKeyValue("a", "b"), appendStringKeyValue("c", "d")...)
	_, _, ok = shortStringKeyValue(repeated)
	assert.False(t, ok)
	integer := protowire.AppendTag(nil, 1, protowire.BytesType)
	integer = protowire.AppendString(integer, "k")
	integer = protowire.AppendTag(integer, 2, protowire.BytesType)
	integer = protowire.AppendBytes(integer, protowire.AppendVarint(protowire.AppendTag(nil, 3, protowire.VarintType), 7))
	_, _, ok = shortStringKeyValue(integer)
	assert.False(t, ok)
	k, v, err := m.keyValue(integer)
	require.NoError(t, err)
	assert.Equal(t, "k", string(k))
	assert.Equal(t, "7", string(v))
}

// TestShortQuantile checks the ValueAtQuantile fast path against the general decoding.
func TestShortQuantile(t *testing.T) {
	buf := protowire.AppendTag(nil, 1, protowire.Fixed64Type)
	buf = protowire.AppendFixed64(buf, math.Float64bits(0.99))
	buf = protowire.AppendTag(buf, 2, protowire.Fixed64Type)
	buf = protowire.AppendFixed64(buf, math.Float64bits(17.5))
	q, v, ok := shortQuantile(buf)
	require.True(t, ok)
	assert.Equal(t, 0.99, q)
	assert.Equal(t, 17.5, v)
	reversed := append(append([]byte{}, buf[9:]...), buf[:9]...)
	_, _, ok = shortQuantile(reversed)
	assert.False(t, ok, "fields in another order take the general path")
	for _, enc := range [][]byte{buf, reversed} {
		p := &point{}
		m := &otelMessage{b: &Batch{rec: &record{}}}
		require.NoError(t, m.quantile(enc, p))
		assert.Equal(t, []quantileValue{{q: 0.99, v: 17.5}}, m.b.rec.quantiles)
	}
}

// TestShortStringPair checks that the 0.7 label fast path either declines or decodes exactly what the general
// decoder does.
func TestShortStringPair(t *testing.T) {
	encode := func(key, value string) []byte {
		buf := protowire.AppendTag(nil, 1, protowire.BytesType)
		buf = protowire.AppendString(buf, key)
		buf = protowire.AppendTag(buf, 2, protowire.BytesType)
		return protowire.AppendString(buf, value)
	}
	for _, key := range []string{"", "k", "InstanceId", strings.Repeat("k", 127), strings.Repeat("k", 128)} {
		for _, value := range []string{"", "v", strings.Repeat("v", 127), strings.Repeat("v", 128)} {
			buf := encode(key, value)
			k, v, ok := shortStringPair(buf)
			if ok {
				assert.Equal(t, key, string(k))
				assert.Equal(t, value, string(v))
			}
			assert.Equal(t, len(key) < 128 && len(value) < 128, ok, "key of %d, value of %d bytes", len(key), len(value))
			p := &point{}
			m := &otelMessage{b: &Batch{rec: &record{}}}
			require.NoError(t, m.label(buf, p))
			if key == "Namespace" {
				assert.Equal(t, value, string(p.namespace))
			} else {
				require.Len(t, m.b.rec.dims, 1)
				assert.Equal(t, key, string(m.b.rec.dims[0].key))
				assert.Equal(t, value, string(m.b.rec.dims[0].value))
			}
		}
	}
	_, _, ok := shortStringPair(append(encode("a", "b"), encode("c", "d")...))
	assert.False(t, ok, "repeated fields take the general path")
	swapped := protowire.AppendString(protowire.AppendTag(nil, 2, protowire.BytesType), "v")
	swapped = protowire.AppendString(protowire.AppendTag(swapped, 1, protowire.BytesType), "k")
	_, _, ok = shortStringPair(swapped)
	assert.False(t, ok, "fields in another order take the general path")
}
