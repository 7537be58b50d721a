// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// A JSON body is a string body holding the JSON text of an object, in a scope that says so: the scope attribute
// JSONBodyAttribute = JSONBodyFormat. Its document is the document of a map body holding the same members in the
// same order (objects become maps, arrays slices, integers that fit 64 bits Int, other numbers Double, a number
// beyond those ranges a string of its literal, null an empty value, and a repeated name keeps its first position and
// its last value), so a source can hand over the JSON text it read instead of building a map, and the document is
// the same byte for byte. The cloudtrails3 receiver's pass_through does this.
//
// Fast path: scanJSON checks in one pass that the text is already exactly what the map would be written as (compact,
// canonical escapes and numbers, no key to rewrite, no repeated key, nothing to fold or cut); the members' JSON is then
// copied into the line as it stands, with the usual top-level precedence. Anything else takes the slow path: the text
// is decoded into a map and written as a map body is, every rule applied. A body that is not a JSON object is written
// as any string body is (`message`).
const (
	// JSONBodyAttribute is the instrumentation-scope attribute that marks the string bodies of the scope's log
	// records as JSON objects; its value must be JSONBodyFormat. It is not written (no scope field is).
	JSONBodyAttribute = "logzio.body_format"
	// JSONBodyFormat is the value of JSONBodyAttribute for a JSON object body.
	JSONBodyFormat = "json"
)

// jsonBody returns the record's body when it is a string marked as a JSON body by its scope.
func jsonBody(scope pcommon.InstrumentationScope, lr plog.LogRecord) (string, bool) {
	body := lr.Body()
	if body.Type() != pcommon.ValueTypeStr {
		return "", false
	}
	attrs := scope.Attributes()
	if attrs.Len() == 0 {
		return "", false
	}
	v, ok := attrs.Get(JSONBodyAttribute)
	if !ok || v.Type() != pcommon.ValueTypeStr || v.Str() != JSONBodyFormat {
		return "", false
	}
	return body.Str(), true
}

// encodeJSON appends the document of a record whose body is the JSON text body (see above).
func (e *encoder) encodeJSON(dst []byte, maxLine int, defaultType string, res pcommon.Resource, lr plog.LogRecord, body string) ([]byte, string, error) {
	if e.scanJSON(body) {
		// Written whole unless a member gives way to @timestamp or type.
		e.splice = !e.bodyKeys.has("@timestamp") && !e.bodyKeys.has("type")
		e.buf = dst
		e.start = len(dst)
		e.strCap = maxFieldBytes
		e.jsonBody = true
		docType := e.plan(defaultType, res, lr, false)
		e.writeDoc()
		// The line is the map path's line, so the map path would keep it as well.
		if e.fields <= maxFields && len(e.buf)-e.start <= maxLine {
			out := e.buf
			e.buf = nil
			return out, docType, nil
		}
	}
	decoded := pcommon.NewValueEmpty()
	if err := decodeJSON(body, decoded); err != nil || decoded.Type() != pcommon.ValueTypeMap {
		decoded = lr.Body()
	}
	return e.encode(dst, maxLine, defaultType, res, lr, decoded)
}
