// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

// The JSON reading primitives of requestParser: strings, numbers and values of fields the contract does not define,
// read from the buffered body without holding more than one string at a time.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

var errStringTooLong = errors.New("string too long")

// readKey reads the rest of an object key; the bytes are valid until the next read.
func (p *requestParser) readKey() ([]byte, error) {
	s, err := p.readString(p.scratch[:0], maxKeyLength)
	p.scratch = s[:0]
	if errors.Is(err, errStringTooLong) {
		return nil, malformed("field name longer than %d bytes", maxKeyLength)
	}
	return s, err
}

// readSmallString reads the rest of a JSON string (after its opening quote) of at most maxLen bytes.
func (p *requestParser) readSmallString(maxLen int) (string, error) {
	s, err := p.readString(p.scratch[:0], maxLen)
	p.scratch = s[:0]
	if errors.Is(err, errStringTooLong) {
		return "", malformed("string longer than %d bytes", maxLen)
	}
	if err != nil {
		return "", err
	}
	return string(s), nil
}

// readUnknownString reads the rest of a string of a field the contract does not define (bounded, then dropped).
func (p *requestParser) readUnknownString() (string, error) {
	s, err := p.readString(p.scratch[:0], maxUnknownStringLength)
	p.scratch = s[:0]
	if errors.Is(err, errStringTooLong) {
		return "", malformed("unknown field with a string longer than %d bytes", maxUnknownStringLength)
	}
	return "", err
}

// readString appends the unescaped content of a JSON string (after its opening quote) to dst. It reads the input in
// chunks up to the next quote and stops with errStringTooLong as soon as the raw text exceeds maxLen bytes.
func (p *requestParser) readString(dst []byte, maxLen int) ([]byte, error) {
	start := len(dst)
	for {
		chunk, err := p.br.ReadSlice('"')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return dst, eofIsUnexpected(err)
		}
		if len(dst)-start+len(chunk) > maxLen+1 { // +1: the closing quote
			return dst, errStringTooLong
		}
		dst = append(dst, chunk...)
		if err != nil { // buffer full: no quote yet
			continue
		}
		// The quote closes the string unless it is escaped by an odd number of backslashes.
		backslashes := 0
		for i := len(dst) - 2; i >= start && dst[i] == '\\'; i-- {
			backslashes++
		}
		if backslashes%2 == 1 {
			continue
		}
		dst = dst[:len(dst)-1]
		raw := dst[start:]
		for _, b := range raw {
			if b < 0x20 {
				return dst, malformed("control character in a string")
			}
		}
		if bytes.IndexByte(raw, '\\') >= 0 {
			unescaped, err := unescapeJSON(raw)
			if err != nil {
				return dst, err
			}
			dst = append(dst[:start], unescaped...)
		}
		if !utf8.Valid(dst[start:]) {
			return dst, malformed("string is not valid UTF-8")
		}
		return dst, nil
	}
}

// unescapeJSON resolves the escapes of a JSON string's content.
func unescapeJSON(raw []byte) ([]byte, error) {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		b := raw[i]
		if b != '\\' {
			out = append(out, b)
			continue
		}
		i++
		if i >= len(raw) {
			return nil, malformed("bad escape in a string")
		}
		switch raw[i] {
		case '"', '\\', '/':
			out = append(out, raw[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(raw, i+1)
			if !ok {
				return nil, malformed("bad \\u escape in a string")
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if r2, ok2 := hex4(raw, i+3); ok2 && i+2 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
						i += 6
					}
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, malformed("bad escape in a string")
		}
	}
	return out, nil
}

func hex4(b []byte, at int) (rune, bool) {
	if at+4 > len(b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[at:at+4]), 16, 32)
	return rune(v), err == nil
}

// readInteger reads a JSON number that must be an integer (the epoch-milliseconds timestamp).
func (p *requestParser) readInteger() (int64, error) {
	c, err := p.nextNonSpace()
	if err != nil {
		return 0, err
	}
	var digits [24]byte
	n := 0
	for {
		if c != '-' && (c < '0' || c > '9') {
			if err := p.br.UnreadByte(); err != nil {
				return 0, err
			}
			break
		}
		if n == len(digits) {
			return 0, malformed("timestamp is too long")
		}
		digits[n] = c
		n++
		if c, err = p.br.ReadByte(); err != nil {
			return 0, eofIsUnexpected(err)
		}
	}
	v, perr := strconv.ParseInt(string(digits[:n]), 10, 64)
	if perr != nil || !json.Valid(digits[:n]) {
		return 0, malformed("timestamp must be an integer of epoch milliseconds")
	}
	return v, nil
}

// skipValue reads past one JSON value of a field the contract does not define, without storing it.
func (p *requestParser) skipValue(depth int) error {
	if depth > maxSkipDepth {
		return malformed("unknown field nested too deeply")
	}
	c, err := p.nextNonSpace()
	if err != nil {
		return err
	}
	switch {
	case c == '"':
		_, err := p.readUnknownString()
		return err
	case c == '{' || c == '[':
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		first := true
		for {
			c, err := p.nextNonSpace()
			if err != nil {
				return err
			}
			if c == closing {
				return nil
			}
			if !first {
				if c != ',' {
					return malformed("bad separator in an unknown field")
				}
			} else if err = p.br.UnreadByte(); err != nil {
				return err
			}
			first = false
			if closing == '}' {
				if err = p.expect('"'); err != nil {
					return err
				}
				if _, err = p.readUnknownString(); err != nil {
					return err
				}
				if err = p.expect(':'); err != nil {
					return err
				}
			}
			if err = p.skipValue(depth + 1); err != nil {
				return err
			}
		}
	case c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n':
		// number or literal: read while the bytes can belong to one, then check it
		token := append(p.scratch[:0], c)
		for {
			b, err := p.br.ReadByte()
			if err != nil {
				return eofIsUnexpected(err)
			}
			if !isScalarByte(b) {
				p.scratch = token[:0]
				if !json.Valid(token) {
					return malformed("invalid value %q in an unknown field", token)
				}
				return p.br.UnreadByte()
			}
			if len(token) == maxKeyLength {
				return malformed("number in an unknown field is too long")
			}
			token = append(token, b)
		}
	default:
		return malformed("unexpected %q", c)
	}
}

func isScalarByte(b byte) bool {
	return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || b == '.' || b == '-' || b == '+' || b == 'E'
}

// expect reads the next non-space byte and checks it.
func (p *requestParser) expect(want byte) error {
	c, err := p.nextNonSpace()
	if err != nil {
		return err
	}
	if c != want {
		return malformed("expected %q, found %q", want, c)
	}
	return nil
}

// nextNonSpace returns the next byte that is not JSON whitespace. The end of the input is io.ErrUnexpectedEOF.
func (p *requestParser) nextNonSpace() (byte, error) {
	for {
		c, err := p.br.ReadByte()
		if err != nil {
			return 0, eofIsUnexpected(err)
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c, nil
	}
}

func eofIsUnexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errMalformedRequest, fmt.Sprintf(format, args...))
}
