// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import "go.opentelemetry.io/collector/pdata/pcommon"

// buildMap fills m with the members of the object node at index obj, keeping document order and JSON types.
func (t *tape) buildMap(m pcommon.Map, obj int32) {
	m.EnsureCapacity(int(t.nodes[obj].count))
	for i := obj + 1; i < t.nodes[obj].end; i = t.next(i) {
		n := &t.nodes[i]
		switch n.kind {
		case kindString:
			m.PutStr(n.key, n.str)
		case kindInt:
			m.PutInt(n.key, n.int())
		case kindDouble:
			m.PutDouble(n.key, n.double())
		case kindTrue:
			m.PutBool(n.key, true)
		case kindFalse:
			m.PutBool(n.key, false)
		case kindNull:
			m.PutEmpty(n.key)
		case kindObject:
			t.buildMap(m.PutEmptyMap(n.key), i)
		case kindArray:
			t.buildSlice(m.PutEmptySlice(n.key), i)
		}
	}
}

// buildSlice fills s with the elements of the array node at index arr.
func (t *tape) buildSlice(s pcommon.Slice, arr int32) {
	s.EnsureCapacity(int(t.nodes[arr].count))
	for i := arr + 1; i < t.nodes[arr].end; i = t.next(i) {
		t.setValue(s.AppendEmpty(), i)
	}
}

func (t *tape) setValue(v pcommon.Value, i int32) {
	n := &t.nodes[i]
	switch n.kind {
	case kindString:
		v.SetStr(n.str)
	case kindInt:
		v.SetInt(n.int())
	case kindDouble:
		v.SetDouble(n.double())
	case kindTrue:
		v.SetBool(true)
	case kindFalse:
		v.SetBool(false)
	case kindNull:
		// an empty Value stands for JSON null
	case kindObject:
		t.buildMap(v.SetEmptyMap(), i)
	case kindArray:
		t.buildSlice(v.SetEmptySlice(), i)
	}
}

// member returns the index of the member named key of the object node obj, or -1.
func (t *tape) member(obj int32, key string) int32 {
	if obj < 0 || t.nodes[obj].kind != kindObject {
		return -1
	}
	found := int32(-1)
	for i := obj + 1; i < t.nodes[obj].end; i = t.next(i) {
		if t.nodes[i].key == key {
			found = i // last one wins, as in the body map
		}
	}
	return found
}

// str returns the string value of node i, or "" when i is absent or not a string.
func (t *tape) str(i int32) string {
	if i < 0 || t.nodes[i].kind != kindString {
		return ""
	}
	return t.nodes[i].str
}

func (t *tape) isObject(i int32) bool { return i >= 0 && t.nodes[i].kind == kindObject }
