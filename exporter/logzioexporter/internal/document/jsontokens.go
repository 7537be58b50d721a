// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"math/bits"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/jsonlex"
)

// The tokens scanJSON checks: keys, string values and numbers, each accepted only when it is written exactly as the
// document writer writes the value it stands for.

// keyPlain[c] is true for the bytes a key is written with as they are: printable ASCII other than '"', '\\' and '.'.
var keyPlain = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '.'
	}
	return t
}()

// scanKeyString checks the key string at b[i] and returns the index after its closing quote (-1 when it must be
// rewritten or is not canonical) and whether it holds no escape.
func scanKeyString(b string, i int) (int, bool) {
	if i+1 >= len(b) || b[i] != '"' {
		return -1, false
	}
	// A key that starts with printable ASCII other than a space is not blank.
	first := b[i+1]
	visible := first > ' ' && first < utf8.RuneSelf && first != '\\' && first != '"'
	plain := true
	j := i + 1
	for j < len(b) {
		for j < len(b) && keyPlain[b[j]] {
			j++
		}
		if j >= len(b) {
			break
		}
		c := b[j]
		switch {
		case c == '"':
			n := j - i - 1
			if n == 0 || n > maxFieldBytes {
				return -1, false
			}
			if !visible && (!plain || isBlank(b[i+1:j])) {
				return -1, false // blank, or possibly blank behind escapes
			}
			return j + 1, plain
		case c == '.' || c < ' ':
			return -1, false
		case c == '\\':
			w := escapeWidth(b, j)
			if w == 0 {
				return -1, false
			}
			plain = false
			j += w
		case c < utf8.RuneSelf:
			j++
		default:
			r, size := utf8.DecodeRuneInString(b[j:])
			if r == utf8.RuneError && size == 1 {
				return -1, false
			}
			j += size
		}
	}
	return -1, false
}

// scanValueString checks the string value at b[i] and returns the index after its closing quote, or -1.
func scanValueString(b string, i int) int {
	j := i + 1
	shrink := 0 // bytes the escapes lose once decoded
	for {
		for j+8 <= len(b) {
			m := jsonlex.Unplain(load64(b, j)) // '"', '\\', a control character or a non-ASCII byte; the lowest is exact
			if m != 0 {
				j += bits.TrailingZeros64(m) / 8
				break
			}
			j += 8
		}
		if j >= len(b) {
			return -1
		}
		c := b[j]
		switch {
		case c == '"':
			if j-i-1-shrink > maxFieldBytes {
				return -1
			}
			return j + 1
		case c == '\\':
			w := escapeWidth(b, j)
			if w == 0 {
				return -1
			}
			shrink += w - 1
			j += w
		case c < ' ':
			return -1
		case c < utf8.RuneSelf:
			j++
		default:
			r, size := utf8.DecodeRuneInString(b[j:])
			if r == utf8.RuneError && size == 1 {
				return -1
			}
			j += size
		}
	}
}

// escapeWidth returns the length of the escape at b[j] ('\\') when appendEscaped writes it so, else 0.
func escapeWidth(b string, j int) int {
	if j+1 >= len(b) {
		return 0
	}
	switch b[j+1] {
	case '"', '\\', 'n', 'r', 't':
		return 2
	case 'u':
		// \u00xx for a control character other than \n, \r and \t, lower-case hex.
		if j+5 >= len(b) || b[j+2] != '0' || b[j+3] != '0' || (b[j+4] != '0' && b[j+4] != '1') {
			return 0
		}
		lo := b[j+5]
		if (lo < '0' || lo > '9') && (lo < 'a' || lo > 'f') {
			return 0
		}
		if b[j+4] == '0' && (lo == '9' || lo == 'a' || lo == 'd') {
			return 0
		}
		return 6
	}
	return 0
}

// scanNumber checks the number at b[i] and returns the index after it, or -1 when it is not JSON or not written so.
func scanNumber(b string, i int) int {
	n := jsonlex.ScanNumber(unsafe.Slice(unsafe.StringData(b), len(b)), i) // read only
	if !n.OK {
		return -1
	}
	j := n.End
	lit := b[i:j]
	if n.Int {
		if lit == "-0" {
			return -1
		}
		intDigits := len(lit)
		if lit[0] == '-' {
			intDigits--
		}
		if intDigits > 18 {
			if _, err := strconv.ParseInt(lit, 10, 64); err != nil {
				return -1 // a string of its literal in the map
			}
		}
		return j
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		return -1
	}
	var buf [40]byte
	if string(appendFloat(buf[:0], f)) != lit {
		return -1
	}
	return j
}
