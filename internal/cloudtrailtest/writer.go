// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrailtest // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// writer appends minified JSON with members in the order they are written.
type writer struct {
	buf []byte
	// needComma is set after a complete value: the next member or element needs a separator.
	needComma bool
}

func (w *writer) beginValue() {
	if w.needComma {
		w.buf = append(w.buf, ',')
	}
	w.needComma = false
}

func (w *writer) endValue() { w.needComma = true }

func (w *writer) open()       { w.beginValue(); w.buf = append(w.buf, '{') }
func (w *writer) close()      { w.buf = append(w.buf, '}'); w.endValue() }
func (w *writer) openArray()  { w.beginValue(); w.buf = append(w.buf, '[') }
func (w *writer) closeArray() { w.buf = append(w.buf, ']'); w.endValue() }

// key writes a member name; the value written next belongs to it.
func (w *writer) key(k string) {
	w.beginValue()
	w.buf = appendJSONString(w.buf, k)
	w.buf = append(w.buf, ':')
}

func (w *writer) null() { w.beginValue(); w.buf = append(w.buf, "null"...); w.endValue() }

func (w *writer) strValue(v string) { w.beginValue(); w.buf = appendJSONString(w.buf, v); w.endValue() }

func (w *writer) str(k, v string) { w.key(k); w.strValue(v) }

func (w *writer) integer(k string, v int64) {
	w.key(k)
	w.buf = strconv.AppendInt(w.buf, v, 10)
	w.endValue()
}

func (w *writer) double(k string, v float64) {
	w.key(k)
	if v == math.Trunc(v) {
		w.buf = strconv.AppendFloat(w.buf, v, 'f', 1, 64) // keep a fraction so it stays a JSON double
	} else {
		w.buf = strconv.AppendFloat(w.buf, v, 'g', -1, 64)
	}
	w.endValue()
}

func (w *writer) boolean(k string, v bool) {
	w.key(k)
	w.buf = strconv.AppendBool(w.buf, v)
	w.endValue()
}

// appendJSONString quotes s as JSON does: escapes quotes, backslashes and control characters, keeps UTF-8.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			_, size := utf8.DecodeRuneInString(s[i:])
			dst = append(dst, s[i:i+size]...)
			i += size
			continue
		}
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			dst = append(dst, c)
		}
		i++
	}
	return append(dst, '"')
}
