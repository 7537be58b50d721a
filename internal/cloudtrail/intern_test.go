// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"strconv"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInternedValuesAreShared(t *testing.T) {
	tbl := newInternTable()
	k := tbl.key([]byte("eventSource"))
	require.True(t, k.internValue)
	a := tbl.stringValue(k, []byte("s3.amazonaws.com"))
	tbl.stringValue(k, []byte("ec2.amazonaws.com"))
	b := tbl.stringValue(k, []byte("s3.amazonaws.com"))
	assert.Equal(t, "s3.amazonaws.com", b)
	assert.Equal(t, unsafe.StringData(a), unsafe.StringData(b), "equal values must share one string")
}

func TestMostlyDistinctValuesStopBeingInterned(t *testing.T) {
	tbl := newInternTable()
	repeated := tbl.key([]byte("eventName"))
	distinct := tbl.key([]byte("sourceIPAddress"))
	for i := range 2 * internSampleWindow {
		name := []byte("GetObject")
		if i%3 == 0 {
			name = []byte("PutObject")
		}
		assert.Equal(t, string(name), tbl.stringValue(repeated, name))
		ip := []byte("10.0." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256))
		assert.Equal(t, string(ip), tbl.stringValue(distinct, ip))
	}
	assert.True(t, repeated.internValue, "a key with few distinct values stays interned")
	assert.False(t, distinct.internValue, "a key whose values rarely repeat stops being interned")
	assert.Less(t, tbl.values.count, internSampleWindow+10, "the distinct values stopped filling the table")
}

func TestRecordStringsAreResolvedFromTheBlob(t *testing.T) {
	s := newDecodeState()
	rec := []byte(`{"eventID":"id-1","requestParameters":{"key":"a\"b","list":["x","","é"]},"eventSource":"s3.amazonaws.com"}`)
	parseRecord(t, s, rec)
	var got []string
	for _, n := range s.tape.nodes {
		assert.False(t, n.inBlob)
		if n.kind == kindString {
			got = append(got, n.str)
		}
	}
	assert.Equal(t, []string{"id-1", `a"b`, "x", "", "é", "s3.amazonaws.com"}, got)
}

func TestPredictedMemberNamesAreMatchedExactly(t *testing.T) {
	s := newDecodeState()
	keys := func(rec string) []string {
		parseRecord(t, s, []byte(rec))
		var out []string
		for _, n := range s.tape.nodes[1:] {
			out = append(out, n.key)
		}
		return out
	}
	// The first record teaches the parser the member order; the next ones differ from it in ways an in-place
	// match must not miss.
	assert.Equal(t, []string{"ab", "cd"}, keys(`{"ab":1,"cd":2}`))
	assert.Equal(t, []string{"ab", "cd"}, keys(`{"a\u0062":1,"cd":2}`), "escaped form of the predicted name")
	assert.Equal(t, []string{`ab"x`, "cd"}, keys(`{"ab\"x":1,"cd":2}`), "predicted name is a prefix")
	assert.Equal(t, []string{"a", "cd"}, keys(`{"a":1,"cd":2}`), "shorter than the predicted name")
	assert.Equal(t, []string{`x\`, "y"}, keys(`{"x\\":1,"y":2}`))
	assert.Equal(t, []string{`x"`, "y"}, keys(`{"x\"":1,"y":2}`), "a name with a quote is never matched in place")
	assert.Equal(t, []string{"ab", "cd"}, keys(`{"ab":1,"cd":2}`))
}
