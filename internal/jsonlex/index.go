// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package jsonlex // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/jsonlex"

import (
	"math/bits"
	"unicode/utf8"
)

// The searches below run the masks of swar.go over a slice, eight bytes a step, and finish the last few bytes one
// at a time.

// IndexSpecial returns the index of the first '"', '\\' or non-ASCII byte of b, or len(b) when there is none.
func IndexSpecial(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if m := Special(Load64(b, i)); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c == '"' || c == '\\' || c >= utf8.RuneSelf {
			return i
		}
	}
	return len(b)
}

// IndexQuoteOrBackslash returns the index of the first '"' or '\\' of b, or -1 when there is none.
func IndexQuoteOrBackslash(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if m := QuoteOrBackslash(Load64(b, i)); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c == '"' || c == '\\' {
			return i
		}
	}
	return -1
}

// IndexStringEnd returns the index of the first '"', '\\' or control character of b, the bytes a string scanner
// must look at (invalid UTF-8 is not looked for), or len(b) when there is none.
func IndexStringEnd(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := Load64(b, i)
		// QuoteOrBackslash(w) | Control(w), with one mask of the high bits for the three (the hottest loop of the
		// metric-stream decoder, whose strings are short).
		q, e := w^'"'*Ones, w^'\\'*Ones
		if m := ((q-Ones)&^q | (e-Ones)&^e | (w-' '*Ones)&^w) & Highs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c == '"' || c == '\\' || c < ' ' {
			return i
		}
	}
	return len(b)
}
