// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// The tokens rawScan checks: literals, numbers and strings, each exactly as JSON writes it and as the parser keeps it
// unchanged; anything else is errUnclean (or errIncomplete at the end of the bytes).

func literal(b []byte, i int, lit string) (int, error) {
	if len(b)-i < len(lit) {
		return 0, errIncomplete
	}
	if string(b[i:i+len(lit)]) != lit {
		return 0, errUnclean
	}
	return i + len(lit), nil
}

// number checks a JSON number at b[i] that the parser keeps as Int (at most 18 digits) or Double (within range).
func number(b []byte, i int) (int, error) {
	j := i
	if j < len(b) && b[j] == '-' {
		j++
	}
	switch {
	case j >= len(b):
		return 0, errIncomplete
	case b[j] == '0':
		j++
	case b[j] >= '1' && b[j] <= '9':
		j = digitsEnd(b, j)
	default:
		return 0, errUnclean
	}
	digits := j - i
	isInt := true
	if j < len(b) && b[j] == '.' {
		k := digitsEnd(b, j+1)
		if k == j+1 {
			return 0, errUnclean
		}
		isInt, digits, j = false, digits+k-j, k
	}
	exponent := 0
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		k := digitsEnd(b, j)
		if k == j {
			return 0, errUnclean
		}
		isInt, exponent, j = false, k-j, k
	}
	if j >= len(b) {
		return 0, errIncomplete
	}
	// An integer of 19 digits or more may leave int64 (the parser keeps its literal as a string); a double with a long
	// mantissa or an exponent of three digits may leave the float64 range (digits counts the sign and point too).
	if (isInt && digits > 18) || digits > 40 || exponent > 2 {
		return 0, errUnclean
	}
	return j, nil
}

func digitsEnd(b []byte, j int) int {
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	return j
}

// str checks the string at b[i] ('"') and returns the index after its closing quote.
func (w *rawScan) str(i int) (int, error) {
	b := w.b
	if i >= len(b) {
		return 0, errIncomplete
	}
	if b[i] != '"' {
		return 0, errUnclean
	}
	j := i + 1
	for {
		for j+8 <= len(b) {
			if m := unplainBytes(binary.LittleEndian.Uint64(b[j:])); m != 0 {
				j += bits.TrailingZeros64(m) / 8
				break
			}
			j += 8
		}
		if j >= len(b) {
			return 0, errIncomplete
		}
		switch c := b[j]; {
		case c == '"':
			if w.maxString > 0 && j-i-1 > w.maxString {
				return 0, errUnclean
			}
			return j + 1, nil
		case c == '\\':
			n, err := escapeLen(b, j)
			if err != nil {
				return 0, err
			}
			j += n
		case c < ' ':
			return 0, errUnclean
		case c < utf8.RuneSelf:
			j++
		default:
			r, size := utf8.DecodeRune(b[j:])
			if r == utf8.RuneError && size == 1 {
				if !utf8.FullRune(b[j:]) {
					return 0, errIncomplete
				}
				return 0, errUnclean
			}
			j += size
		}
	}
}

// escapeLen returns the length of the escape at b[j] ('\\'); \u escapes of UTF-16 surrogates are unclean.
func escapeLen(b []byte, j int) (int, error) {
	if j+1 >= len(b) {
		return 0, errIncomplete
	}
	switch b[j+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, nil
	case 'u':
		if j+6 > len(b) {
			return 0, errIncomplete
		}
		r, ok := parseHex4(b[j+2 : j+6])
		if !ok || (r >= 0xD800 && r <= 0xDFFF) {
			return 0, errUnclean
		}
		return 6, nil
	}
	return 0, errUnclean
}

// unplainBytes flags (high bit) each byte of w that is not plain printable ASCII in a string: '"', '\\', a control
// character or a non-ASCII byte. The lowest flag is exact, which is all str uses.
func unplainBytes(w uint64) uint64 {
	q := w ^ ('"' * swarOnes)
	e := w ^ ('\\' * swarOnes)
	return (w | (w - ' '*swarOnes) | (q-swarOnes)&^q | (e-swarOnes)&^e) & swarHighs
}
