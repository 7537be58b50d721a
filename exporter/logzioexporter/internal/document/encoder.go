// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"encoding/base64"
	"strconv"
	"unsafe"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

const (
	// maxDepth is the deepest level a value may be at; a map or slice found at this
	// level is written as a JSON string.
	maxDepth = 10
	// maxFields is the largest number of distinct key paths in one document.
	maxFields = 1000
	// maxScratchBytes and maxPooledSlots bound the scratch buffers kept in the pool
	// between calls.
	maxScratchBytes = 1 << 20
	maxPooledSlots  = 4096
)

// encoder holds the state and scratch buffers of one AppendLine call. Encoders are
// pooled by the Builder; one encoder is used by one goroutine at a time.
type encoder struct {
	buf   []byte // the caller's buffer, the line is appended to it
	start int    // where the line starts in buf

	// Top-level fields: slots[:len(top)] and top hold the planned fields (see plan.go);
	// slots above len(top) are a stack used for objects whose keys need rewriting.
	slots     []keySlot
	slotsHigh int // highest length slots reached during this call
	top       []topField
	topHigh   int    // highest length top reached during this call
	rawVals   []byte // pre-encoded JSON values of the top-level fields
	arena     keyArena

	// body is the record's body as planned (for a JSON body taking the slow path, the map decoded from it).
	body pcommon.Value
	// jsonBody says the body is planned from the top-level members of a JSON body (see jsonbody.go); objects is
	// jsonscan.go's stack of the objects being checked and keys their keys.
	jsonBody bool
	objects  []scanObject
	keys     []scanKey
	// jsonText is the JSON body and jsonKeys its number of keys; with splice its members are written whole, and
	// bodyKeys (its top-level keys) is outer, a higher source for the sources after the body.
	jsonText string
	jsonKeys int32
	splice   bool
	bodyKeys keySet
	outer    *keySet
	// prepared are the record's attributes and its resource's, prepared (see Resource); nil: plan them.
	prepared [2]*preparedFields

	raw       bool  // writing a subtree that becomes a JSON string: no rules apply inside
	strCap    int   // current limit for string values
	fields    int   // key occurrences written (an upper bound of distinct key paths)
	recording bool  // record the length of every string value into strLens
	strLens   []int // sanitized lengths of the string values written, when recording

	subtree []byte // scratch for the JSON of a subtree written as a string
	b64     []byte // scratch for base64 of bytes values
}

// reset drops references into the caller's data and oversized scratch buffers
// before the encoder goes back to the pool.
func (e *encoder) reset() {
	e.buf = nil
	e.body = pcommon.Value{}
	e.jsonBody, e.splice, e.jsonText, e.outer, e.prepared = false, false, "", nil, [2]*preparedFields{}
	e.bodyKeys = keySet{}
	if cap(e.keys) > maxPooledSlots {
		e.keys = nil
	}
	e.keys = e.keys[:0]
	e.objects = e.objects[:0]
	// Forget the keys and values of the record (they belong to the caller's data).
	clear(e.slots[:e.slotsHigh])
	e.slots, e.slotsHigh = e.slots[:0], 0
	clear(e.top[:e.topHigh])
	e.top, e.topHigh = e.top[:0], 0
	if cap(e.slots) > maxPooledSlots {
		e.slots = nil
	}
	if cap(e.top) > maxPooledSlots {
		e.top = nil
	}
	e.arena.reset()
	if cap(e.arena.buf) > maxScratchBytes {
		e.arena.buf = nil
	}
	if cap(e.subtree) > maxScratchBytes {
		e.subtree = nil
	}
	if cap(e.b64) > maxScratchBytes {
		e.b64 = nil
	}
	if cap(e.rawVals) > maxScratchBytes {
		e.rawVals = nil
	}
	e.strLens = e.strLens[:0]
	e.raw, e.recording = false, false
}

// value writes v, which sits at the given level (a top-level field's value is at
// level 1).
func (e *encoder) value(v pcommon.Value, level int) {
	switch v.Type() {
	case pcommon.ValueTypeStr:
		e.str(v.Str())
	case pcommon.ValueTypeInt:
		e.buf = strconv.AppendInt(e.buf, v.Int(), 10)
	case pcommon.ValueTypeDouble:
		e.buf = appendFloat(e.buf, v.Double())
	case pcommon.ValueTypeBool:
		e.buf = strconv.AppendBool(e.buf, v.Bool())
	case pcommon.ValueTypeBytes:
		e.bytes(v.Bytes())
	case pcommon.ValueTypeMap:
		if !e.raw && level >= maxDepth {
			e.stringified(v)
			return
		}
		e.object(v.Map(), level+1)
	case pcommon.ValueTypeSlice:
		if !e.raw && level >= maxDepth {
			e.stringified(v)
			return
		}
		e.array(v.Slice(), level+1)
	default:
		e.buf = append(e.buf, "null"...)
	}
}

// str writes a string value, cut to the current limit.
func (e *encoder) str(s string) {
	if e.raw {
		e.buf = appendQuoted(e.buf, s)
		return
	}
	kept, cut, n := limitString(s, e.strCap, truncatedMarker)
	e.buf = append(e.buf, '"')
	e.buf = appendEscaped(e.buf, kept)
	if cut {
		e.buf = append(e.buf, truncatedMarker...)
	}
	e.buf = append(e.buf, '"')
	if e.recording {
		e.strLens = append(e.strLens, n)
	}
}

// bytes writes a bytes value as a base64 string.
func (e *encoder) bytes(b pcommon.ByteSlice) {
	raw := e.b64[:0]
	for i := 0; i < b.Len(); i++ {
		raw = append(raw, b.At(i))
	}
	n := len(raw)
	raw = base64.StdEncoding.AppendEncode(raw, raw)
	e.b64 = raw
	e.str(bytesView(raw[n:]))
}

// object writes a map whose values sit at level. Keys are checked while they are
// written; when one needs rewriting, what was written of the map is discarded and the
// map is written again by objectRewritten.
func (e *encoder) object(m pcommon.Map, level int) {
	mark, fieldsMark, lensMark := len(e.buf), e.fields, len(e.strLens)
	e.buf = append(e.buf, '{')
	n := 0
	for k, v := range m.All() {
		if n > 0 {
			e.buf = append(e.buf, ',')
		}
		var plain bool
		if e.buf, plain = appendPlainKey(e.buf, k); !plain {
			if !e.raw && keyNeedsRewrite(k) {
				e.buf, e.fields, e.strLens = e.buf[:mark], fieldsMark, e.strLens[:lensMark]
				e.objectRewritten(m, level)
				return
			}
			e.buf = appendQuoted(e.buf, k)
		}
		e.buf = append(e.buf, ':')
		e.value(v, level)
		n++
	}
	e.buf = append(e.buf, '}')
	if !e.raw {
		e.fields += n
	}
}

// objectRewritten writes a map some of whose keys must be rewritten.
func (e *encoder) objectRewritten(m pcommon.Map, level int) {
	base := len(e.slots)
	e.pushSlots(m)
	resolveKeys(e.slots, base, base, len(e.slots), &e.arena, nil)
	e.buf = append(e.buf, '{')
	i := base
	for _, v := range m.All() {
		if i > base {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendKey(e.buf, e.slots[i].key)
		e.buf = append(e.buf, ':')
		i++
		e.value(v, level)
	}
	e.buf = append(e.buf, '}')
	e.fields += i - base
	e.slots = e.slots[:base]
}

// appendKey appends a key that needs no rewriting.
func appendKey(dst []byte, k string) []byte {
	if out, plain := appendPlainKey(dst, k); plain {
		return out
	}
	return appendQuoted(dst, k)
}

// pushSlots pushes one slot per key of m onto the slot stack.
func (e *encoder) pushSlots(m pcommon.Map) {
	for k := range m.All() {
		e.slots = append(e.slots, newSlot(k))
	}
	e.slotsHigh = max(e.slotsHigh, len(e.slots))
}

func newSlot(k string) keySlot {
	if keyNeedsRewrite(k) {
		return keySlot{key: k, state: slotRewrite}
	}
	return keySlot{key: k, state: slotClean}
}

// array writes a slice whose elements sit at level.
func (e *encoder) array(s pcommon.Slice, level int) {
	e.buf = append(e.buf, '[')
	for i := 0; i < s.Len(); i++ {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.value(s.At(i), level)
	}
	e.buf = append(e.buf, ']')
}

// stringified writes v's JSON (keys and structure unchanged) as a string value.
func (e *encoder) stringified(v pcommon.Value) {
	line := e.buf
	e.buf = e.subtree[:0]
	e.raw = true
	e.value(v, 0)
	e.raw = false
	e.subtree = e.buf
	e.buf = line
	e.str(bytesView(e.subtree))
}

// bytesView returns b as a string without copying; b must not change while the
// string is used.
func bytesView(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
