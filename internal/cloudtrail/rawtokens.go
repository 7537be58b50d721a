// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"math/bits"
	"unicode/utf8"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/jsonlex"
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
	n := jsonlex.ScanNumber(b, i)
	if n.End >= len(b) {
		return 0, errIncomplete
	}
	if !n.OK {
		return 0, errUnclean
	}
	// An integer of 19 digits or more may leave int64 (the parser keeps its literal as a string); a double with a long
	// mantissa or an exponent of three digits may leave the float64 range (digits counts the sign and point too).
	digits, exponent := n.Exp-i, 0
	if n.Exp < n.End {
		exponent = n.End - n.Exp - 1
		if c := b[n.Exp+1]; c == '+' || c == '-' {
			exponent--
		}
	}
	if (n.Int && digits > 18) || digits > 40 || exponent > 2 {
		return 0, errUnclean
	}
	return n.End, nil
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
	w.escaped = false
	j := i + 1
	for {
		// Eight bytes a step (jsonlex.Unplain), inline: this is the pass-through path's inner loop.
		for j+8 <= len(b) {
			if m := jsonlex.Unplain(jsonlex.Load64(b, j)); m != 0 {
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
			w.escaped = true
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
	if c := b[j+1]; c != 'u' {
		if _, ok := jsonlex.SimpleEscape(c); !ok {
			return 0, errUnclean
		}
		return 2, nil
	}
	if j+6 > len(b) {
		return 0, errIncomplete
	}
	if r, ok := jsonlex.Hex4(b[j+2:]); !ok || (r >= 0xD800 && r <= 0xDFFF) {
		return 0, errUnclean
	}
	return 6, nil
}
