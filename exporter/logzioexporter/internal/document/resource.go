// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"math"
	"unsafe"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// Resource holds the attribute fields that the records of one resource share, worked out once for all of them: the
// resource's attributes (PrepareResource), and the attributes of the last record written when they hold only
// scalars, for the next records that have the same ones (a CloudTrail record's aws.s3.bucket and aws.s3.key are
// those of its whole log file). Planning and writing those fields again for every record cost about as much as
// copying the record's own members.
//
// AppendRecord writes prepared fields as they stand when none of their names is already taken by a field planned
// before them (@timestamp, type, the body's members, the record's attributes for the resource's): resolving their
// keys against those fields, which is what AppendLine does, then changes nothing. Otherwise, and when a document goes
// past a limit (whose rules work on the values), the record is planned as AppendLine plans it. The document is the
// same either way.
//
// A Resource is reused from one resource to the next (PrepareResource overwrites it) and used by one goroutine at a
// time; it must not outlive a change to the attributes it was prepared from.
type Resource struct {
	res      pcommon.Resource
	resource preparedFields
	record   preparedFields
}

// preparedFields are the fields of one attribute map, ready to be written.
type preparedFields struct {
	docType string // the first non-empty string "logzio.type" attribute, "" when there is none
	// usable says the fields can stand for the map: false when two attributes rewrite to one name (the second then
	// takes a suffix, and which suffix is free depends on the record's other fields).
	usable bool
	fields []preparedField
	buf    []byte // the fields' keys and members; fields' strings point into it
	spans  []preparedSpan
	// scalar says attrs holds the record attributes the fields were prepared from, all scalars, to tell whether the
	// next record has the same ones (see same); a resource's are never compared.
	scalar bool
	attrs  []preparedAttr
}

// preparedField is one field: its key as written and its member (`"key":value`) as written; keys counts the keys
// inside the value, as writeDoc counts them.
type preparedField struct {
	key, member string
	keys        int32
}

// preparedAttr is one scalar attribute of the map prepared, to tell whether another map is the same.
type preparedAttr struct {
	key string
	v   pcommon.Value
}

// preparedSpan locates a field in preparedFields.buf while it is written (the buffer may move as it grows).
type preparedSpan struct {
	keyStart, memberStart, end int
	keys                       int32
}

// PrepareResource works out the fields of res's attributes into r, for AppendRecord (see Resource).
func (b *Builder) PrepareResource(r *Resource, res pcommon.Resource) {
	r.res = res
	b.prepare(&r.resource, res.Attributes())
	r.record.reset()
}

// recordFields returns the prepared fields of attrs, the attributes of the record about to be written: those of the
// previous record when they are the same, else attrs prepared anew when they hold only scalars, else nil.
func (b *Builder) recordFields(r *Resource, attrs pcommon.Map) *preparedFields {
	if r.record.same(attrs) {
		return &r.record
	}
	for _, v := range attrs.All() {
		if !isScalar(v) {
			return nil
		}
	}
	b.prepare(&r.record, attrs)
	for k, v := range attrs.All() {
		r.record.attrs = append(r.record.attrs, preparedAttr{key: k, v: v})
	}
	r.record.scalar = true
	return &r.record
}

func isScalar(v pcommon.Value) bool {
	switch v.Type() {
	case pcommon.ValueTypeMap, pcommon.ValueTypeSlice, pcommon.ValueTypeBytes:
		return false
	}
	return true
}

func (p *preparedFields) reset() {
	clear(p.attrs)
	p.docType, p.usable, p.scalar = "", false, false
	p.fields, p.attrs, p.spans, p.buf = p.fields[:0], p.attrs[:0], p.spans[:0], p.buf[:0]
}

// same reports whether attrs holds the same attributes, in the same order, as the scalar map p was prepared from.
// Strings usually compare by their pointers: a receiver sets the same string on every record of one file.
func (p *preparedFields) same(attrs pcommon.Map) bool {
	if !p.scalar || attrs.Len() != len(p.attrs) {
		return false
	}
	i := 0
	for k, v := range attrs.All() {
		a := &p.attrs[i]
		if k != a.key || !sameScalar(v, a.v) {
			return false
		}
		i++
	}
	return true
}

// sameScalar reports whether v and w are scalars that are written alike (doubles by their bits: -0 is not 0).
func sameScalar(v, w pcommon.Value) bool {
	if v.Type() != w.Type() {
		return false
	}
	switch v.Type() {
	case pcommon.ValueTypeStr:
		return v.Str() == w.Str()
	case pcommon.ValueTypeInt:
		return v.Int() == w.Int()
	case pcommon.ValueTypeBool:
		return v.Bool() == w.Bool()
	case pcommon.ValueTypeDouble:
		return math.Float64bits(v.Double()) == math.Float64bits(w.Double())
	case pcommon.ValueTypeEmpty:
		return true
	}
	return false
}

// prepare works out the fields of attrs into p.
func (b *Builder) prepare(p *preparedFields, attrs pcommon.Map) {
	p.reset()
	if attrs.Len() == 0 {
		p.usable = true
		return
	}
	e := b.encoders.Get().(*encoder)
	defer b.release(e)
	for k, v := range attrs.All() {
		if k == TypeAttribute {
			if p.docType == "" && v.Type() == pcommon.ValueTypeStr {
				p.docType = v.Str()
			}
			continue
		}
		e.slots = append(e.slots, newSlot(k))
		e.top = append(e.top, topField{val: v, rawStart: -1})
	}
	e.slotsHigh, e.topHigh = len(e.slots), len(e.top)
	// Resolved on their own, keys only take a suffix by colliding with each other: then a key is not its rewritten
	// form (which a key needing no rewriting already is), as resolveKeys works it out (keyArena.rewrite).
	rewritten := make([]string, len(e.slots))
	for i := range e.slots {
		rewritten[i] = e.arena.rewrite(e.slots[i].key)
	}
	resolveKeys(e.slots, 0, 0, len(e.slots), &e.arena, nil)
	for i := range e.slots {
		if e.slots[i].key != rewritten[i] {
			return
		}
	}
	e.buf, e.strCap = p.buf, maxFieldBytes
	for i := range e.slots {
		span := preparedSpan{keyStart: len(e.buf)}
		e.buf = append(e.buf, e.slots[i].key...)
		span.memberStart = len(e.buf)
		e.buf = appendKey(e.buf, e.slots[i].key)
		e.buf = append(e.buf, ':')
		e.fields = 0
		e.value(e.top[i].val, 1)
		span.end, span.keys = len(e.buf), int32(e.fields)
		p.spans = append(p.spans, span)
	}
	p.buf, e.buf = e.buf, nil
	for _, s := range p.spans {
		p.fields = append(p.fields, preparedField{
			key:    bufView(p.buf, s.keyStart, s.memberStart),
			member: bufView(p.buf, s.memberStart, s.end),
			keys:   s.keys,
		})
	}
	p.usable = true
}

// bufView returns buf[start:end] as a string without copying; buf is not written again while the string is used.
func bufView(buf []byte, start, end int) string {
	if start == end {
		return ""
	}
	return unsafe.String(&buf[start], end-start)
}

// fits reports whether p's fields can be planned as they stand after the slots planned so far: none of their names
// is already held by those slots or by the JSON body written whole (e.outer).
func (p *preparedFields) fits(e *encoder) bool {
	if p == nil || !p.usable {
		return false
	}
	for i := range p.fields {
		k := p.fields[i].key
		if e.outer.has(k) || slotsHold(e.slots, k) {
			return false
		}
	}
	return true
}

// plan plans p's fields, whose members are written as they stand.
func (p *preparedFields) plan(e *encoder) {
	for i := range p.fields {
		f := &p.fields[i]
		e.slots = append(e.slots, keySlot{key: f.key, state: slotClean})
		e.top = append(e.top, topField{rawStart: -1, json: f.member, jsonKeys: f.keys})
	}
}
