// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package jsonlex // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/jsonlex"

import "errors"

// MaxSkipDepth is the deepest nesting a Skipper can follow.
const MaxSkipDepth = 1024

// A Skipper reads past one JSON value without keeping it, checking it as encoding/json's scanner does (invalid UTF-8
// is let through, as there). It takes the value in as many pieces as the reader has it: Feed it the bytes that follow,
// and at the end of the input call End. The zero value is ready; Reset makes a used one ready again.
type Skipper struct {
	// MaxDepth bounds the containers open at once; 0 or more than MaxSkipDepth means MaxSkipDepth.
	MaxDepth int
	// AllowControl lets raw control characters stand in strings, as the CloudTrail record parser lets them.
	AllowControl bool

	state  skipState
	inKey  bool   // the string being read is a member name
	hex    int8   // \u digits still to read
	lit    string // the rest of the literal being read
	depth  int
	object [MaxSkipDepth / 64]uint64 // bit d: the container at depth d is an object (else an array)
}

// ErrTooDeep is the error of a value that nests deeper than the Skipper's MaxDepth.
var ErrTooDeep = errors.New("value nested too deeply")

// SyntaxError is the message of a value Skipper refuses; Feed returns it with the index of the byte at fault.
type SyntaxError struct{ Msg string }

func (e *SyntaxError) Error() string { return e.Msg }

type skipState uint8

const (
	skipValue     skipState = iota // before a value
	skipFirstElem                  // after '[': a value or ']'
	skipFirstKey                   // after '{': a member name or '}'
	skipKey                        // after ',' in an object: a member name
	skipColon                      // after a member name
	skipAfter                      // after a value in a container: ',' or the closing bracket
	skipString
	skipEscape
	skipHex
	skipLiteral
	skipMinus // after '-'
	skipZero  // after a leading 0 (a number may end here, as in every state with "may end")
	skipInt   // integer digits (may end)
	skipDot   // after '.'
	skipFrac  // fraction digits (may end)
	skipE     // after 'e' or 'E'
	skipESign // after the exponent's sign
	skipExp   // exponent digits (may end)
	skipDone
)

// Reset makes k ready for another value, keeping MaxDepth and AllowControl.
func (k *Skipper) Reset() { *k = Skipper{MaxDepth: k.MaxDepth, AllowControl: k.AllowControl} }

// Skip returns the index just past the value that starts at b[i] (after optional whitespace); b holds all of the
// input. On error, end is the index of the byte at fault (len(b) when b ends inside the value).
func (k *Skipper) Skip(b []byte, i int) (end int, err error) {
	k.Reset()
	n, done, err := k.Feed(b[i:])
	if err != nil || done {
		return i + n, err
	}
	return len(b), k.End()
}

// Feed reads the next bytes of the value. It returns how many of b belong to it and whether the value is complete:
// then the rest of b is what follows the value. A number is complete only once the byte after it is seen (or at
// End). On error, n is the index in b of the byte at fault.
func (k *Skipper) Feed(b []byte) (n int, done bool, err error) {
	i := 0
	for i < len(b) {
		c := b[i]
		switch k.state {
		case skipValue, skipFirstElem:
			if isSpace(c) {
				i++
				continue
			}
			if k.state == skipFirstElem && c == ']' {
				k.depth--
				k.valueDone()
				i++
				break
			}
			if err := k.startValue(c); err != nil {
				return i, false, err
			}
			i++
		case skipFirstKey, skipKey:
			switch {
			case isSpace(c):
			case c == '"':
				k.state, k.inKey = skipString, true
			case c == '}' && k.state == skipFirstKey:
				k.depth--
				k.valueDone()
			default:
				return i, false, syntaxError("expected a member name, found " + quote(c))
			}
			i++
		case skipColon:
			switch {
			case isSpace(c):
			case c == ':':
				k.state = skipValue
			default:
				return i, false, syntaxError("expected ':' after a member name, found " + quote(c))
			}
			i++
		case skipAfter:
			inObject := k.object[(k.depth-1)/64]&(1<<((k.depth-1)%64)) != 0
			switch {
			case isSpace(c):
			case c == ',' && inObject:
				k.state = skipKey
			case c == ',':
				k.state = skipValue
			case c == '}' && inObject, c == ']' && !inObject:
				k.depth--
				k.valueDone()
			default:
				return i, false, syntaxError("expected ',' or a closing bracket, found " + quote(c))
			}
			i++
		case skipString:
			var j int
			if k.AllowControl {
				if j = IndexQuoteOrBackslash(b[i:]); j < 0 {
					j = len(b) - i
				}
			} else {
				j = IndexStringEnd(b[i:])
			}
			if i += j; i == len(b) {
				break
			}
			switch b[i] {
			case '"':
				if k.inKey {
					k.state, k.inKey = skipColon, false
				} else {
					k.valueDone()
				}
			case '\\':
				k.state = skipEscape
			default:
				return i, false, syntaxError("control character " + quote(b[i]) + " in a string")
			}
			i++
		case skipEscape:
			if c == 'u' {
				k.state, k.hex = skipHex, 4
			} else if _, ok := SimpleEscape(c); ok {
				k.state = skipString
			} else {
				return i, false, syntaxError("invalid escape \\" + string(rune(c)) + " in a string")
			}
			i++
		case skipHex:
			if hexValues[c] > 15 {
				return i, false, syntaxError("invalid \\u escape: " + quote(c) + " is not a hex digit")
			}
			if k.hex--; k.hex == 0 {
				k.state = skipString
			}
			i++
		case skipLiteral:
			if c != k.lit[0] {
				return i, false, syntaxError("invalid literal: " + quote(c) + " where " + quote(k.lit[0]) + " belongs")
			}
			if k.lit = k.lit[1:]; k.lit == "" {
				k.valueDone()
			}
			i++
		default:
			var err error
			if i, err = k.number(b, i); err != nil {
				return i, false, err
			}
		}
		if k.state == skipDone {
			return i, true, nil
		}
	}
	return i, false, nil
}

// End ends the input: it returns nil when the value is complete (a number at the top level completes here).
func (k *Skipper) End() error {
	switch k.state {
	case skipDone:
		return nil
	case skipZero, skipInt, skipFrac, skipExp:
		if k.depth == 0 {
			k.state = skipDone
			return nil
		}
	}
	return syntaxError("unexpected end of JSON input")
}

func (k *Skipper) startValue(c byte) error {
	switch {
	case c == '"':
		k.state = skipString
	case c == '{' || c == '[':
		limit := k.MaxDepth
		if limit <= 0 || limit > MaxSkipDepth {
			limit = MaxSkipDepth
		}
		if k.depth >= limit {
			return ErrTooDeep
		}
		word, bit := k.depth/64, uint64(1)<<(k.depth%64)
		if c == '{' {
			k.object[word] |= bit
			k.state = skipFirstKey
		} else {
			k.object[word] &^= bit
			k.state = skipFirstElem
		}
		k.depth++
	case c == 't':
		k.state, k.lit = skipLiteral, "rue"
	case c == 'f':
		k.state, k.lit = skipLiteral, "alse"
	case c == 'n':
		k.state, k.lit = skipLiteral, "ull"
	case c == '-':
		k.state = skipMinus
	case c == '0':
		k.state = skipZero
	case c >= '1' && c <= '9':
		k.state = skipInt
	default:
		return syntaxError("expected a value, found " + quote(c))
	}
	return nil
}

// number reads number bytes from b[i] on, in the number states, and returns where it stopped.
func (k *Skipper) number(b []byte, i int) (int, error) {
	for ; i < len(b); i++ {
		c := b[i]
		digit := c >= '0' && c <= '9'
		switch k.state {
		case skipMinus:
			switch {
			case c == '0':
				k.state = skipZero
			case digit:
				k.state = skipInt
			default:
				return i, syntaxError("expected a digit after '-', found " + quote(c))
			}
		case skipZero, skipInt, skipFrac:
			switch {
			case digit && k.state != skipZero:
			case c == '.' && k.state != skipFrac:
				k.state = skipDot
			case c == 'e' || c == 'E':
				k.state = skipE
			default:
				k.valueDone() // c follows the number
				return i, nil
			}
		case skipDot:
			if !digit {
				return i, syntaxError("expected a digit after '.', found " + quote(c))
			}
			k.state = skipFrac
		case skipE:
			switch {
			case c == '+' || c == '-':
				k.state = skipESign
			case digit:
				k.state = skipExp
			default:
				return i, syntaxError("expected a digit in the exponent, found " + quote(c))
			}
		case skipESign:
			if !digit {
				return i, syntaxError("expected a digit in the exponent, found " + quote(c))
			}
			k.state = skipExp
		case skipExp:
			if !digit {
				k.valueDone()
				return i, nil
			}
		}
	}
	return i, nil
}

// valueDone moves on after a complete value: to the end, or to what follows it in its container.
func (k *Skipper) valueDone() {
	if k.depth == 0 {
		k.state = skipDone
	} else {
		k.state = skipAfter
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

func syntaxError(msg string) error { return &SyntaxError{Msg: msg} }

func quote(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	const hex = "0123456789abcdef"
	return "byte 0x" + string([]byte{hex[c>>4], hex[c&0xf]})
}
