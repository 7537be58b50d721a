// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package jsonlex // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/jsonlex"

// Number is what ScanNumber found: the literal is b[start:End].
type Number struct {
	// End is the index just past the literal; when OK is false, the index of the byte that broke the grammar (len(b)
	// when b ended too early).
	End int
	// Exp is the index of the exponent's 'e' or 'E', or End when there is none: b[start:Exp] is the sign, the
	// integer digits and the fraction.
	Exp int
	// Int says the literal has neither fraction nor exponent.
	Int bool
	// OK says b[start:End] is a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
	OK bool
}

// ScanNumber reads the longest JSON number that starts at b[i]. What follows it is not looked at: after a leading 0
// a digit ends the literal ("01" is the number 0, then a 1 the caller must refuse), as encoding/json's scanner does.
func ScanNumber(b []byte, i int) Number {
	j := i
	if j < len(b) && b[j] == '-' {
		j++
	}
	switch {
	case j < len(b) && b[j] == '0':
		j++
	case j < len(b) && b[j] >= '1' && b[j] <= '9':
		j = digitsEnd(b, j+1)
	default:
		return Number{End: j, Exp: j}
	}
	n := Number{Int: true}
	if j < len(b) && b[j] == '.' {
		n.Int = false
		k := digitsEnd(b, j+1)
		if k == j+1 {
			return Number{End: k, Exp: k}
		}
		j = k
	}
	n.Exp = j
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		n.Int = false
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		k := digitsEnd(b, j)
		if k == j {
			return Number{End: k, Exp: n.Exp}
		}
		j = k
	}
	n.End, n.OK = j, true
	return n
}

// ValidNumber reports whether lit is exactly one JSON number, and whether it is an integer (no fraction, no
// exponent).
func ValidNumber(lit []byte) (isInt, ok bool) {
	n := ScanNumber(lit, 0)
	if !n.OK || n.End != len(lit) {
		return false, false
	}
	return n.Int, true
}

func digitsEnd(b []byte, j int) int {
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	return j
}
