// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

// nestedMap puts a chain of maps l1 → l2 → … → l<levels> holding "leaf" into m.
func nestedMap(m pcommon.Map, levels int) {
	for i := 1; i < levels; i++ {
		m = m.PutEmptyMap("l" + itoa(i))
	}
	m.PutStr("l"+itoa(levels), "leaf")
}

func TestAppendLineDepth(t *testing.T) {
	b := NewBuilder(Options{DefaultType: "t"})

	// Values down to level 10 are kept as they are.
	res, scope, lr := newLog()
	nestedMap(lr.Body().SetEmptyMap(), 10)
	line, _, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"t","l1":{"l2":{"l3":{"l4":{"l5":{"l6":{"l7":{"l8":{"l9":{"l10":"leaf"}}}}}}}}}}`, string(line))

	// A map at level 10 (with a value at level 11) becomes a string.
	res, scope, lr = newLog()
	nestedMap(lr.Body().SetEmptyMap(), 11)
	lr.Body().Map().PutStr("after", "kept")
	line, _, err = b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"t","l1":{"l2":{"l3":{"l4":{"l5":{"l6":{"l7":{"l8":{"l9":{"l10":"{\"l11\":\"leaf\"}"}}}}}}}}},"after":"kept"}`,
		string(line))
	st, err := checkLine(line, DefaultMaxLineBytes)
	require.NoError(t, err)
	assert.Equal(t, 10, st.depth)

	// Arrays count as a level too, and the string keeps the original keys.
	res, scope, lr = newLog()
	s := lr.Body().SetEmptyMap().PutEmptySlice("a")
	for range 8 {
		s = s.AppendEmpty().SetEmptySlice()
	}
	s.AppendEmpty().SetEmptyMap().PutStr("k.k", "v")
	line, _, err = b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"t","a":[[[[[[[[["{\"k.k\":\"v\"}"]]]]]]]]]}`, string(line))
	st, err = checkLine(line, DefaultMaxLineBytes)
	require.NoError(t, err)
	assert.Equal(t, 10, st.depth)
}

func TestAppendLineTooManyFields(t *testing.T) {
	b := NewBuilder(Options{})
	records := sampleRecords(t, "aws-docs-startlogging.json")
	res, scope, lr := cloudTrailLog(t, records[0])
	body := lr.Body().Map()
	resp := body.PutEmptyMap("responseElements")
	for i := range 600 {
		resp.PutEmptyMap("item"+itoa(i)).PutInt("n", int64(i))
	}
	extra := body.PutEmptyMap("eventContext")
	for i := range 300 {
		extra.PutInt("k"+itoa(i), int64(i))
	}

	line, _, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	st, err := checkLine(line, DefaultMaxLineBytes)
	require.NoError(t, err)
	doc := decodeLine(t, line)

	respStr, ok := doc["responseElements"].(string)
	require.True(t, ok, "responseElements is written as a string")
	var respBack map[string]any
	require.NoError(t, json.Unmarshal([]byte(respStr), &respBack))
	assert.Len(t, respBack, 600)
	assert.IsType(t, map[string]any{}, doc["requestParameters"], "a small priority subtree stays an object when the rest fits")
	assert.IsType(t, map[string]any{}, doc["eventContext"], "other subtrees stay objects when the priority ones suffice")
	assert.Equal(t, "StartLogging", doc["eventName"])
	assert.Less(t, st.fields, maxFields)
}

func TestAppendLineManyArrayElementsAreNotFields(t *testing.T) {
	b := NewBuilder(Options{DefaultType: "t"})
	res, scope, lr := newLog()
	items := lr.Body().SetEmptyMap().PutEmptyMap("responseElements").PutEmptySlice("instancesSet")
	for i := range 2000 {
		item := items.AppendEmpty().SetEmptyMap()
		item.PutStr("instanceId", "i-"+itoa(i))
		item.PutEmptyMap("state").PutInt("code", 16)
	}
	line, _, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	st, err := checkLine(line, DefaultMaxLineBytes)
	require.NoError(t, err)
	assert.Equal(t, 6, st.fields) // type, responseElements, .instancesSet, .instanceId, .state, .state.code
	assert.IsType(t, map[string]any{}, decodeLine(t, line)["responseElements"])
}

func TestAppendLineTooManyTopLevelFields(t *testing.T) {
	b := NewBuilder(Options{DefaultType: "t"})
	res, scope, lr := newLog()
	res.Attributes().PutStr("cloud.region", "us-east-1")
	m := lr.Body().SetEmptyMap()
	for i := range 1500 {
		m.PutInt("f"+itoa(i), int64(i))
	}
	line, _, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	_, err = checkLine(line, DefaultMaxLineBytes)
	require.NoError(t, err)
	doc := decodeLine(t, line)
	assert.Len(t, doc, 3)
	assert.Equal(t, "us-east-1", doc["cloud_region"])
	var back map[string]any
	require.NoError(t, json.Unmarshal([]byte(doc["message"].(string)), &back), "the body is kept as JSON in message")
	assert.Len(t, back, 1500)

	// Attributes alone too many for one document: dropped.
	res, scope, lr = newLog()
	for i := range 1200 {
		lr.Attributes().PutInt("a"+itoa(i), int64(i))
	}
	out, _, err := b.AppendLine([]byte("keep"), res, scope, lr)
	require.ErrorIs(t, err, ErrDropped)
	assert.Equal(t, "keep", string(out))
}

func TestAppendLineLongStrings(t *testing.T) {
	b := NewBuilder(Options{DefaultType: "t"})
	res, scope, lr := newLog()
	m := lr.Body().SetEmptyMap()
	m.PutStr("ascii", strings.Repeat("a", 40000))
	m.PutStr("twobyte", strings.Repeat("é", 20000)) // 40,000 bytes
	m.PutStr("exact", strings.Repeat("b", maxFieldBytes))
	m.PutStr(strings.Repeat("k", 40000), "long key")
	nested := m.PutEmptySlice("nested").AppendEmpty().SetEmptyMap()
	nested.PutStr(strings.Repeat("n", 33000), "nested long key")
	nested.PutStr(strings.Repeat("n", 33001), "same prefix")
	line, _, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	st, err := checkLine(line, DefaultMaxLineBytes)
	require.NoError(t, err)
	assert.Equal(t, maxFieldBytes, st.maxString)

	doc := decodeLine(t, line)
	assert.Equal(t, strings.Repeat("a", maxFieldBytes-len(truncatedMarker))+truncatedMarker, doc["ascii"])
	// 32,688 bytes left for the text: 16,344 two-byte characters.
	assert.Equal(t, strings.Repeat("é", (maxFieldBytes-len(truncatedMarker))/2)+truncatedMarker, doc["twobyte"])
	assert.Equal(t, strings.Repeat("b", maxFieldBytes), doc["exact"], "a string at the limit is kept whole")
	assert.Equal(t, "long key", doc[strings.Repeat("k", maxFieldBytes-len(keyTruncatedMarker))+keyTruncatedMarker])
	cutKey := strings.Repeat("n", maxFieldBytes-len(keyTruncatedMarker)) + keyTruncatedMarker
	// Keys cut to the same text stay distinct: the suffix replaces the end of the key.
	suffixedKey := cutKey[:maxFieldBytes-2] + "_1"
	nestedDoc := doc["nested"].([]any)[0].(map[string]any)
	assert.Len(t, nestedDoc, 2)
	assert.Equal(t, "nested long key", nestedDoc[cutKey])
	assert.Equal(t, "same prefix", nestedDoc[suffixedKey])
}

func TestAppendLineShrinksLongLine(t *testing.T) {
	b := NewBuilder(Options{DefaultType: "t"})
	res, scope, lr := newLog()
	m := lr.Body().SetEmptyMap()
	for i := range 10 {
		m.PutStr("big"+itoa(i), strings.Repeat("x", 32000))
	}
	for i := range 10 {
		m.PutStr("mid"+itoa(i), strings.Repeat("y", 26000))
	}
	m.PutStr("small", strings.Repeat("z", 300))
	m.PutInt("n", 7)
	// 20 strings of 26-32 KB: a line of about 580,000 bytes.

	line, _, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.LessOrEqual(t, len(line), DefaultMaxLineBytes)
	assert.Greater(t, len(line), DefaultMaxLineBytes-1000, "strings are cut no more than needed")
	_, err = checkLine(line, DefaultMaxLineBytes)
	require.NoError(t, err)

	doc := decodeLine(t, line)
	big := doc["big0"].(string)
	mid := doc["mid0"].(string)
	assert.True(t, strings.HasSuffix(big, truncatedMarker))
	assert.Len(t, mid, len(big), "the longest strings are all cut to one common length")
	assert.Equal(t, strings.Repeat("z", 300), doc["small"], "short strings are not touched")
	assert.Equal(t, json.Number("7"), doc["n"])
}

func TestAppendLineShrinkHonoursMaxLineBytes(t *testing.T) {
	b := NewBuilder(Options{DefaultType: "t", MaxLineBytes: 2500})
	res, scope, lr := newLog()
	m := lr.Body().SetEmptyMap()
	m.PutStr("a", strings.Repeat("\n", 1500)) // escaped: 3,000 bytes
	m.PutStr("b", strings.Repeat("€", 200))
	line, _, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	_, err = checkLine(line, 2500)
	require.NoError(t, err)
}

func TestAppendLineUnshrinkableIsDropped(t *testing.T) {
	b := NewBuilder(Options{})
	res, scope, lr := newLog()
	s := lr.Body().SetEmptySlice()
	for i := range 100000 {
		s.AppendEmpty().SetInt(int64(1000000 + i)) // about 800 KB of numbers
	}
	dst := []byte("earlier\n")
	out, docType, err := b.AppendLine(dst, res, scope, lr)
	require.ErrorIs(t, err, ErrDropped)
	assert.Contains(t, err.Error(), "cannot be shrunk")
	assert.Equal(t, "cloudtrail", docType)
	assert.Equal(t, "earlier\n", string(out))

	// Strings that would have to be cut below 256 bytes: dropped too.
	b = NewBuilder(Options{DefaultType: "t", MaxLineBytes: 1000})
	res, scope, lr = newLog()
	m := lr.Body().SetEmptyMap()
	for i := range 20 {
		m.PutStr("s"+itoa(i), strings.Repeat("v", 300))
	}
	_, _, err = b.AppendLine(nil, res, scope, lr)
	require.ErrorIs(t, err, ErrDropped)
}
