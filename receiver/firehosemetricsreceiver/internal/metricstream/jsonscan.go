// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonScanner is a small allocation-free JSON tokenizer for metric-stream lines. Strings without escapes are returned
// as slices of the input; strings with escapes are unescaped into the batch's scratch buffer.
type jsonScanner struct {
	data    []byte
	pos     int
	scratch *[]byte
}

// maxJSONDepth bounds the nesting of values skipped in unknown fields.
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

// str reads a string value.
func (s *jsonScanner) str() ([]byte, error) {
	if s.peek() != '"' {
		return nil, s.fail("expected a string")
	}
	s.pos++
	start := s.pos
	// Fast path: no escape before the closing quote. Raw control characters are tolerated there.
	end := indexQuoteOrBackslash(s.data[start:])
	if end < 0 {
		s.pos = len(s.data)
		return nil, s.fail("unterminated string")
	}
	if s.data[start+end] == '\\' {
		return s.strEscaped(start, start+end)
	}
	s.pos = start + end + 1
	return s.data[start : start+end], nil
}

// indexQuoteOrBackslash returns the index of the first '"' or '\\' in b, or -1. Metric-stream strings are short, so
// one pass over 8 bytes at a time (SWAR) beats two bytes.IndexByte calls, whose set-up dominates on short input.
func indexQuoteOrBackslash(b []byte) int {
	const (
		ones        = 0x0101010101010101
		highs       = 0x8080808080808080
		quotes      = ones * '"'
		backslashes = ones * '\\'
	)
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		q, e := w^quotes, w^backslashes // zero bytes where w holds '"' or '\\'
		// The lowest high bit set marks the first zero byte exactly (false positives only come after a true one).
		if found := ((q-ones)&^q | (e-ones)&^e) & highs; found != 0 {
			return i + bits.TrailingZeros64(found)/8
		}
	}
	for ; i < len(b); i++ {
		if b[i] == '"' || b[i] == '\\' {
			return i
		}
	}
	return -1
}

func (s *jsonScanner) strEscaped(start, i int) ([]byte, error) {
	buf := *s.scratch
	outStart := len(buf)
	buf = append(buf, s.data[start:i]...)
	for i < len(s.data) {
		c := s.data[i]
		switch {
		case c == '"':
			s.pos = i + 1
			*s.scratch = buf
			return buf[outStart:len(buf):len(buf)], nil
		case c < 0x20:
			s.pos = i
			return nil, s.fail("control character in a string")
		case c != '\\':
			buf = append(buf, c)
			i++
			continue
		}
		if i+1 >= len(s.data) {
			break
		}
		i++
		switch s.data[i] {
		case '"', '\\', '/':
			buf = append(buf, s.data[i])
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, n, ok := hex4(s.data[i+1:])
			if !ok {
				s.pos = i
				return nil, s.fail("invalid \\u escape")
			}
			i += n
			if utf16.IsSurrogate(r) {
				r2, n2, ok2 := rune(0), 0, false
				if i+2 < len(s.data) && s.data[i+1] == '\\' && s.data[i+2] == 'u' {
					r2, n2, ok2 = hex4(s.data[i+3:])
				}
				if dec := utf16.DecodeRune(r, r2); ok2 && dec != utf8.RuneError {
					r = dec
					i += 2 + n2
				} else {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			s.pos = i
			return nil, s.fail("invalid escape in a string")
		}
		i++
	}
	s.pos = len(s.data)
	return nil, s.fail("unterminated string")
}

func hex4(b []byte) (rune, int, bool) {
	if len(b) < 4 {
		return 0, 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, 4, true
}

// numberText consumes a JSON number and returns its text and whether it is an integer (no fraction or exponent).
func (s *jsonScanner) numberText() ([]byte, bool, error) {
	s.ws()
	start, i, d := s.pos, s.pos, s.data
	if i < len(d) && d[i] == '-' {
		i++
	}
	digits := i
	for i < len(d) && '0' <= d[i] && d[i] <= '9' {
		i++
	}
	if i == digits || (d[digits] == '0' && i-digits > 1) {
		return nil, false, s.fail("expected a number")
	}
	integer := true
	if i < len(d) && d[i] == '.' {
		integer = false
		i++
		frac := i
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
		if i == frac {
			s.pos = i
			return nil, false, s.fail("invalid number")
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		integer = false
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		exp := i
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
		if i == exp {
			s.pos = i
			return nil, false, s.fail("invalid number")
		}
	}
	s.pos = i
	return d[start:i], integer, nil
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

// skip consumes any value.
func (s *jsonScanner) skip(depth int) error {
	if depth > maxJSONDepth {
		return s.fail("value nested too deeply")
	}
	switch c := s.peek(); c {
	case '"':
		_, err := s.str()
		return err
	case '{':
		empty, err := s.objectStart()
		if err != nil || empty {
			return err
		}
		for {
			if _, err := s.key(); err != nil {
				return err
			}
			if err := s.skip(depth + 1); err != nil {
				return err
			}
			more, err := s.next()
			if err != nil || !more {
				return err
			}
		}
	case '[':
		s.pos++
		if s.peek() == ']' {
			s.pos++
			return nil
		}
		for {
			if err := s.skip(depth + 1); err != nil {
				return err
			}
			switch s.peek() {
			case ',':
				s.pos++
			case ']':
				s.pos++
				return nil
			default:
				return s.fail("expected ',' or ']'")
			}
		}
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case 'n':
		return s.literal("null")
	default:
		_, _, err := s.numberText()
		return err
	}
}

func (s *jsonScanner) literal(word string) error {
	if len(s.data)-s.pos < len(word) || string(s.data[s.pos:s.pos+len(word)]) != word {
		return s.fail("invalid literal")
	}
	s.pos += len(word)
	return nil
}
