// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// topField is the value of one planned top-level field; its key is in the slot of
// the same index.
type topField struct {
	val        pcommon.Value // the value, when rawStart < 0
	rawStart   int32         // pre-encoded JSON in encoder.rawVals[rawStart:rawEnd]
	rawEnd     int32
	fieldCount int32 // key occurrences written for this field, its own key included
	stringify  bool  // write val's JSON as a string (field-count rule)
	// json is a JSON body's member, key and value, as the body holds it and as this field is written (see
	// jsonscan.go); jsonKeys counts the keys inside its value. Used when not empty.
	json     string
	jsonKeys int32
}

// severityNames are the upper-case names used for log_level when only
// SeverityNumber is set.
var severityNames = func() (names [25]string) {
	base := [...]string{"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}
	for i := 1; i < len(names); i++ {
		group, step := (i-1)/4, (i-1)%4
		names[i] = base[group]
		if step > 0 {
			names[i] += string(rune('1' + step))
		}
	}
	return names
}()

// plan lays out the top-level fields of the record's document in precedence order
// (see the package documentation), resolves their keys and returns the document type.
// The body is e.body, or the members of a JSON body (e.bodyKeys) when e.jsonBody is set.
// With bodyAsMessage a map body is planned as one `message` string holding its JSON.
func (e *encoder) plan(defaultType string, res pcommon.Resource, lr plog.LogRecord, bodyAsMessage bool) string {
	e.slots = e.slots[:0]
	e.top = e.top[:0]
	e.rawVals = e.rawVals[:0]

	// Fields written by the builder; the type's value is set once the attributes
	// have been read.
	ts := lr.Timestamp()
	if ts == 0 {
		ts = lr.ObservedTimestamp()
	}
	if ts != 0 {
		start := len(e.rawVals)
		e.rawVals = appendTimestamp(e.rawVals, ts)
		e.addRaw("@timestamp", start)
	}
	typeField := len(e.top)
	e.addRaw("type", len(e.rawVals))

	// The body.
	src := len(e.slots)
	body := e.body
	e.outer = nil
	switch {
	case e.jsonBody && e.splice:
		// The members are written whole, as the body holds them; the sources after the body see its keys.
		if n := len(e.jsonText); n > 2 {
			e.slots = append(e.slots, keySlot{state: slotSplice})
			e.top = append(e.top, topField{rawStart: -1, json: e.jsonText[1 : n-1], jsonKeys: e.jsonKeys - 1})
		}
	case e.jsonBody:
		b := e.jsonText
		for _, k := range e.bodyKeys.keys {
			e.slots = append(e.slots, keySlot{key: b[k.start:k.end], state: slotClean})
			e.top = append(e.top, topField{rawStart: -1, json: b[k.start-1 : k.valueEnd], jsonKeys: k.keys})
		}
	case body.Type() == pcommon.ValueTypeEmpty:
	case body.Type() == pcommon.ValueTypeMap:
		if bodyAsMessage {
			e.addValue("message", body)
			e.top[len(e.top)-1].stringify = true
			break
		}
		for k, v := range body.Map().All() {
			e.addValue(k, v)
		}
	default:
		e.addValue("message", body)
	}
	e.resolveSource(src)
	if e.jsonBody && e.splice {
		e.outer = &e.bodyKeys
	}

	// Attributes of the record, then of the resource (prepared fields when they fit: see Resource). The first
	// non-empty string "logzio.type" among them is the type; it is not a field.
	docType := ""
	for i, attrs := range [...]pcommon.Map{lr.Attributes(), res.Attributes()} {
		src = len(e.slots)
		if p := e.prepared[i]; p.fits(e) {
			p.plan(e)
			if docType == "" {
				docType = p.docType
			}
			continue
		}
		for k, v := range attrs.All() {
			if k != TypeAttribute {
				e.addValue(k, v)
			} else if docType == "" && v.Type() == pcommon.ValueTypeStr {
				docType = v.Str()
			}
		}
		e.resolveSource(src)
	}
	if docType == "" {
		docType = defaultType
	} else {
		docType = sanitizeType(docType)
	}
	start := len(e.rawVals)
	e.rawVals = appendQuoted(e.rawVals, docType)
	e.top[typeField].rawStart, e.top[typeField].rawEnd = int32(start), int32(len(e.rawVals))

	// Fields derived from the record.
	src = len(e.slots)
	if level := severityText(lr); level != "" {
		start := len(e.rawVals)
		e.rawVals = appendQuoted(e.rawVals, level)
		e.addRaw("log_level", start)
	}
	if id := lr.TraceID(); !id.IsEmpty() {
		start := len(e.rawVals)
		e.rawVals = appendHex(e.rawVals, id[:])
		e.addRaw("trace_id", start)
	}
	if id := lr.SpanID(); !id.IsEmpty() {
		start := len(e.rawVals)
		e.rawVals = appendHex(e.rawVals, id[:])
		e.addRaw("span_id", start)
	}
	e.resolveSource(src)
	e.slotsHigh = max(e.slotsHigh, len(e.slots))
	e.topHigh = max(e.topHigh, len(e.top))
	return docType
}

func severityText(lr plog.LogRecord) string {
	if t := lr.SeverityText(); t != "" {
		return t
	}
	if n := int(lr.SeverityNumber()); n > 0 && n < len(severityNames) {
		return severityNames[n]
	}
	return ""
}

// addRaw plans a field whose JSON value is rawVals[start:].
func (e *encoder) addRaw(key string, start int) {
	e.slots = append(e.slots, keySlot{key: key, state: slotClean})
	e.top = append(e.top, topField{rawStart: int32(start), rawEnd: int32(len(e.rawVals))})
}

// addValue plans a field holding v.
func (e *encoder) addValue(key string, v pcommon.Value) {
	e.slots = append(e.slots, newSlot(key))
	e.top = append(e.top, topField{val: v, rawStart: -1})
}

// resolveSource resolves the keys of the source planned from slot src on, against the
// sources planned before it.
func (e *encoder) resolveSource(src int) {
	resolveKeys(e.slots, 0, src, len(e.slots), &e.arena, e.outer)
}

// writeDoc appends the planned document to buf and counts its fields.
func (e *encoder) writeDoc() {
	e.buf = append(e.buf[:e.start], '{')
	e.fields = 0
	first := true
	for i := range e.top {
		if e.slots[i].state == slotDropped {
			continue
		}
		if !first {
			e.buf = append(e.buf, ',')
		}
		first = false
		f := &e.top[i]
		if f.json != "" {
			// A JSON body's member, or all of them: keys need no rewriting and are written as the body holds them.
			e.buf = append(e.buf, f.json...)
			e.fields += 1 + int(f.jsonKeys)
			continue
		}
		e.buf = appendKey(e.buf, e.slots[i].key)
		e.buf = append(e.buf, ':')
		before := e.fields
		switch {
		case f.rawStart >= 0:
			e.buf = append(e.buf, e.rawVals[f.rawStart:f.rawEnd]...)
		case f.stringify:
			e.stringified(f.val)
		default:
			e.value(f.val, 1)
		}
		e.fields++
		f.fieldCount = int32(e.fields - before)
	}
	e.buf = append(e.buf, '}')
}
