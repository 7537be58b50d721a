// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

// The JSON reading primitives of requestParser: strings, numbers and values of fields the contract does not define,
// read from the buffered body without holding more than one string at a time.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/jsonlex"
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
			unescaped, bad := jsonlex.AppendUnescaped(make([]byte, 0, len(raw)), raw)
			if bad >= 0 {
				if bad+1 < len(raw) && raw[bad+1] == 'u' {
					return dst, malformed("bad \\u escape in a string")
				}
				return dst, malformed("bad escape in a string")
			}
			dst = append(dst[:start], unescaped...)
		}
		if !utf8.Valid(dst[start:]) {
			return dst, malformed("string is not valid UTF-8")
		}
		return dst, nil
	}
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
	if _, ok := jsonlex.ValidNumber(digits[:n]); perr != nil || !ok {
		return 0, malformed("timestamp must be an integer of epoch milliseconds")
	}
	return v, nil
}

// skipValue reads past one JSON value of a field the contract does not define, without storing it.
// It is not jsonlex.Skipper: the contract answers 400 for what Skipper lets through or reads differently (a string
// that is not valid UTF-8 or longer than maxUnknownStringLength, a number longer than maxKeyLength, a value
// nested more than maxSkipDepth levels deep, counted per value where Skipper counts containers), so strings go
// through readString and numbers through jsonlex.ValidNumber.
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
				if !validScalar(token) {
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

// validScalar reports whether token is one JSON number or literal, as json.Valid would.
func validScalar(token []byte) bool {
	switch string(token) {
	case "true", "false", "null":
		return true
	}
	_, ok := jsonlex.ValidNumber(token)
	return ok
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
