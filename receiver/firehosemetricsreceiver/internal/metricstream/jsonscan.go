// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"fmt"
	"math"
	"strconv"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/jsonlex"
)

// jsonScanner is a small allocation-free JSON tokenizer for metric-stream lines. Strings without escapes are returned
// as slices of the input; strings with escapes are unescaped into the batch's scratch buffer.
type jsonScanner struct {
	data    []byte
	pos     int
	scratch *[]byte
}

// maxJSONDepth bounds the nesting of values skipped in unknown fields (containers open at once).
const maxJSONDepth = 32

type jsonError struct {
	pos int
	msg string
}

func (e *jsonError) Error() string { return fmt.Sprintf("byte %d: %s", e.pos, e.msg) }

func (s *jsonScanner) fail(msg string) error { return &jsonError{pos: s.pos, msg: msg} }

func (s *jsonScanner) ws() {
	for s.pos < len(s.data) {
		// Metric-stream lines are compact: one comparison settles the usual case of a byte above the space.
		if c := s.data[s.pos]; c > ' ' || (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
			return
		}
		s.pos++
	}
}

// expect consumes c after optional whitespace.
func (s *jsonScanner) expect(c byte) error {
	s.ws()
	if s.pos >= len(s.data) {
		return s.fail("unexpected end of record, expected '" + string(c) + "'")
	}
	if s.data[s.pos] != c {
		return s.fail("expected '" + string(c) + "', found '" + string(s.data[s.pos]) + "'")
	}
	s.pos++
	return nil
}

// peek returns the next non-space byte without consuming it (0 at the end).
func (s *jsonScanner) peek() byte {
	s.ws()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

// objectStart consumes '{' and reports whether the object is empty (then '}' is consumed too).
func (s *jsonScanner) objectStart() (empty bool, err error) {
	if err := s.expect('{'); err != nil {
		return false, err
	}
	if s.peek() == '}' {
		s.pos++
		return true, nil
	}
	return false, nil
}

// key reads an object key and its ':'.
func (s *jsonScanner) key() ([]byte, error) {
	k, err := s.str()
	if err != nil {
		return nil, err
	}
	return k, s.expect(':')
}

// next consumes ',' (more members: true) or '}' (end of object: false).
func (s *jsonScanner) next() (bool, error) {
	switch s.peek() {
	case ',':
		s.pos++
		return true, nil
	case '}':
		s.pos++
		return false, nil
	case 0:
		return false, s.fail("unexpected end of record inside an object")
	default:
		return false, s.fail("expected ',' or '}'")
	}
}

// str reads a string value. Raw control characters are refused, as encoding/json refuses them.
func (s *jsonScanner) str() ([]byte, error) {
	if s.peek() != '"' {
		return nil, s.fail("expected a string")
	}
	s.pos++
	start := s.pos
	// Fast path: no escape before the closing quote.
	end := start + jsonlex.IndexStringEnd(s.data[start:])
	if end < len(s.data) && s.data[end] == '"' {
		s.pos = end + 1
		return s.data[start:end], nil
	}
	return s.strEscaped(start, end)
}

// indexQuoteOrBackslash returns the index of the first '"' or '\\' in b, or -1.
func indexQuoteOrBackslash(b []byte) int { return jsonlex.IndexQuoteOrBackslash(b) }

// strEscaped finishes str from data[i], the first byte of the string at start that is not plain text: it finds the
// closing quote, then unescapes the string into the batch's scratch buffer.
func (s *jsonScanner) strEscaped(start, i int) ([]byte, error) {
	for i < len(s.data) {
		switch c := s.data[i]; {
		case c == '"':
			buf, bad := jsonlex.AppendUnescaped(*s.scratch, s.data[start:i])
			if bad >= 0 {
				s.pos = start + bad + 1
				if s.data[s.pos] == 'u' {
					return nil, s.fail("invalid \\u escape")
				}
				return nil, s.fail("invalid escape in a string")
			}
			outStart := len(*s.scratch)
			*s.scratch = buf
			s.pos = i + 1
			return buf[outStart:len(buf):len(buf)], nil
		case c == '\\':
			i += 2 // the escaped byte; \uXXXX digits are plain text
		case c < ' ':
			s.pos = i
			return nil, s.fail("control character in a string")
		}
		if i < len(s.data) {
			i += jsonlex.IndexStringEnd(s.data[i:])
		}
	}
	s.pos = len(s.data)
	return nil, s.fail("unterminated string")
}

// numberText consumes a JSON number and returns its text and whether it is an integer (no fraction or exponent).
func (s *jsonScanner) numberText() ([]byte, bool, error) {
	s.ws()
	d, start := s.data, s.pos
	n := jsonlex.ScanNumber(d, start)
	digits := start
	if digits < len(d) && d[digits] == '-' {
		digits++
	}
	if digits == len(d) || d[digits] < '0' || d[digits] > '9' || n.OK && n.End < len(d) && d[n.End] >= '0' && d[n.End] <= '9' {
		return nil, false, s.fail("expected a number") // no integer digits, or a leading zero with more after it
	}
	s.pos = n.End
	if !n.OK {
		return nil, false, s.fail("invalid number")
	}
	return d[start:n.End], n.Int, nil
}

// float reads a number as float64; values out of the float64 range are errors.
func (s *jsonScanner) float() (float64, error) {
	text, integer, err := s.numberText()
	if err != nil {
		return 0, err
	}
	if integer && len(text) <= 15 {
		// Exact: every integer of at most 15 digits is representable.
		return float64(smallInt(text)), nil
	}
	if v, ok := shortDecimal(text); ok {
		return v, nil
	}
	v, err := strconv.ParseFloat(string(text), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, s.fail("number out of range")
	}
	return v, nil
}

// int reads an integral number (fractions are truncated) within the int64 range.
func (s *jsonScanner) int() (int64, error) {
	text, integer, err := s.numberText()
	if err != nil {
		return 0, err
	}
	if integer {
		if len(text) <= 18 {
			return smallInt(text), nil
		}
		if v, err := strconv.ParseInt(string(text), 10, 64); err == nil {
			return v, nil
		}
		return 0, s.fail("integer out of range")
	}
	v, err := strconv.ParseFloat(string(text), 64)
	if err != nil || v >= math.MaxInt64 || v <= math.MinInt64 || math.IsNaN(v) {
		return 0, s.fail("integer out of range")
	}
	return int64(v), nil
}

// exactPow10 are the powers of ten a float64 represents exactly.
var exactPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// shortDecimal converts a validated number without exponent and with at most 15 digits, such as "118.625", the way
// strconv.ParseFloat does on its exact path: the digits and the power of ten are exact float64 values, so one
// correctly rounded division gives the nearest float64. ok is false for other numbers.
func shortDecimal(text []byte) (v float64, ok bool) {
	neg := len(text) > 0 && text[0] == '-'
	if neg {
		text = text[1:]
	}
	var mantissa uint64
	digits, fraction := 0, -1
	for i, c := range text {
		switch {
		case c == '.' && fraction < 0:
			fraction = len(text) - i - 1
		case '0' <= c && c <= '9':
			mantissa = mantissa*10 + uint64(c-'0')
			digits++
		default:
			return 0, false
		}
	}
	if fraction < 0 || digits > 15 {
		return 0, false
	}
	v = float64(mantissa) / exactPow10[fraction]
	if neg {
		v = -v
	}
	return v, true
}

// smallInt converts a validated integer of at most 18 digits (no overflow possible).
func smallInt(text []byte) int64 {
	neg := false
	if len(text) > 0 && text[0] == '-' {
		neg, text = true, text[1:]
	}
	var v int64
	for _, c := range text {
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v
}

// skip consumes any value, checked as encoding/json checks it, at depth containers deep.
func (s *jsonScanner) skip(depth int) error {
	if depth >= maxJSONDepth {
		return s.fail("value nested too deeply")
	}
	k := jsonlex.Skipper{MaxDepth: maxJSONDepth - depth}
	end, err := k.Skip(s.data, s.pos)
	s.pos = end
	if err != nil {
		return s.fail(err.Error())
	}
	return nil
}
