// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package jsonlex // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/jsonlex"

import (
	"unicode/utf16"
	"unicode/utf8"
)

// simpleEscapes maps the byte after '\\' of a two-byte escape to the byte it stands for (0: not one).
var simpleEscapes = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// SimpleEscape returns the byte the escape \c stands for, for the two-byte escapes (every escape but \u).
func SimpleEscape(c byte) (byte, bool) {
	v := simpleEscapes[c]
	return v, v != 0
}

// hexValues maps a hex digit of either case to its value; every other byte to 0xff.
var hexValues = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c - '0'
	}
	for c := byte('a'); c <= 'f'; c++ {
		t[c] = c - 'a' + 10
		t[c-'a'+'A'] = c - 'a' + 10
	}
	return t
}()

// Hex4 decodes the four hex digits (either case) that b starts with, the digits of a \u escape. ok is false when b
// is shorter or one of them is not a hex digit.
func Hex4(b []byte) (r rune, ok bool) {
	if len(b) < 4 {
		return 0, false
	}
	d0, d1, d2, d3 := hexValues[b[0]], hexValues[b[1]], hexValues[b[2]], hexValues[b[3]]
	if (d0|d1|d2|d3)&0xf0 != 0 {
		return 0, false
	}
	return rune(d0)<<12 | rune(d1)<<8 | rune(d2)<<4 | rune(d3), true
}

// Surrogates writes the characters of \u escapes, pairing UTF-16 surrogates as encoding/json does: a high surrogate
// directly followed by a \u escape of a low one is one character; every other surrogate is U+FFFD. It carries a high
// surrogate from one escape to the next, so a streaming reader may refill its buffer between them. The zero value is
// ready; call Flush before anything that is not a \u escape is appended, and at the end of the string.
type Surrogates struct {
	high rune // a high surrogate waiting for its low half, or 0
}

// AppendU appends the character of the \u escape with the value r (from Hex4) to dst, or holds r when it is a high
// surrogate.
func (s *Surrogates) AppendU(dst []byte, r rune) []byte {
	if s.high != 0 {
		high := s.high
		s.high = 0
		if r >= 0xDC00 && r <= 0xDFFF {
			return utf8.AppendRune(dst, utf16.DecodeRune(high, r))
		}
		dst = append(dst, "\uFFFD"...)
	}
	if r >= 0xD800 && r <= 0xDBFF {
		s.high = r
		return dst
	}
	return utf8.AppendRune(dst, r) // a lone low surrogate is not a valid rune: AppendRune writes U+FFFD
}

// Flush appends U+FFFD for a high surrogate still waiting for its low half (the escape after it was not one).
func (s *Surrogates) Flush(dst []byte) []byte {
	if s.high == 0 {
		return dst
	}
	s.high = 0
	return append(dst, "\uFFFD"...)
}
