// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// scanner is a pull tokenizer over a decompressed byte stream. It keeps one fixed-size buffer and copies out
// only what it returns (strings, number literals), so memory does not grow with the size of the stream.
type scanner struct {
	src     io.Reader
	buf     []byte
	pos     int
	end     int
	readErr error // error to return once buf is drained (io.EOF at end of stream)

	consumed int64 // bytes moved into buf so far
	limit    int64 // 0 = unlimited
	srcErr   func(error) error

	scratch []byte // strings that cross a buffer boundary or contain escapes; number literals crossing one
	// maxString, when positive, caps the bytes of a string value or member name: a longer one is cut while it is
	// scanned, so memory never holds more of it (see truncateString).
	maxString int
	raw       []byte // a record that crosses a buffer boundary, captured whole for event selection
	intern    *internTable
}

const scanBufferSize = 64 << 10

func (s *scanner) reset(src io.Reader, limit int64, srcErr func(error) error) {
	if s.buf == nil {
		s.buf = make([]byte, scanBufferSize)
	}
	s.src = src
	s.pos, s.end = 0, 0
	s.readErr = nil
	s.consumed = 0
	s.limit = limit
	s.srcErr = srcErr
}

// offset is the position of the next unread byte in the decompressed stream, for error messages.
func (s *scanner) offset() int64 { return s.consumed - int64(s.end-s.pos) }

// fill replaces the (fully consumed) buffer with the next chunk of the stream. It returns io.EOF at the end
// of the stream, or the classified read error.
func (s *scanner) fill() error {
	if s.readErr != nil {
		return s.readErr
	}
	s.pos, s.end = 0, 0
	for s.end == 0 {
		n, err := s.src.Read(s.buf)
		s.end = n
		s.consumed += int64(n)
		if s.limit > 0 && s.consumed > s.limit {
			s.end = 0
			s.readErr = fmt.Errorf("%w: more than %d decompressed bytes; raise the object size limit to read it", ErrTooLarge, s.limit)
			return s.readErr
		}
		if err != nil {
			if err != io.EOF {
				err = s.srcErr(err)
			}
			s.readErr = err
			if n == 0 {
				return err
			}
		}
	}
	return nil
}

func (s *scanner) syntaxError(format string, args ...any) error {
	return fmt.Errorf("%w: invalid JSON at decompressed byte %d: %s", ErrCorrupt, s.offset(), fmt.Sprintf(format, args...))
}

// eofError turns the end of the stream inside a JSON value into a corrupt-object error; other errors pass through.
func (s *scanner) eofError(err error) error {
	if err == io.EOF {
		return fmt.Errorf("%w: truncated JSON: stream ended at decompressed byte %d inside the document", ErrCorrupt, s.consumed)
	}
	return err
}

// peek skips whitespace and returns the next byte without consuming it. At the end of the stream it returns
// io.EOF unchanged (callers decide whether that is legal).
func (s *scanner) peek() (byte, error) {
	for {
		for s.pos < s.end {
			c := s.buf[s.pos]
			if c > ' ' || (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
				return c, nil
			}
			s.pos++
		}
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
}

// next is peek that treats the end of the stream as truncation. It first tries the common case of compact JSON
// such as CloudTrail's: the next byte is buffered and not whitespace.
func (s *scanner) next() (byte, error) {
	if s.pos < s.end {
		if c := s.buf[s.pos]; c > ' ' {
			return c, nil
		}
	}
	return s.nextSlow()
}

func (s *scanner) nextSlow() (byte, error) {
	c, err := s.peek()
	if err != nil {
		return 0, s.eofError(err)
	}
	return c, nil
}

// expect consumes the byte c after optional whitespace.
func (s *scanner) expect(c byte, what string) error {
	got, err := s.next()
	if err != nil {
		return err
	}
	if got != c {
		return s.syntaxError("expected %s, found %s", what, quoteByte(got))
	}
	s.pos++
	return nil
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// readStringBytes reads a JSON string whose opening quote is the next byte and returns its unescaped bytes.
// The result aliases the scanner's buffer or scratch space and is valid only until the next call.
// Invalid UTF-8 is replaced by U+FFFD, as encoding/json does.
func (s *scanner) readStringBytes() ([]byte, error) {
	s.pos++ // opening quote
	rest := s.buf[s.pos:s.end]
	// Fastest path, most CloudTrail strings: ASCII without escapes, found in one pass that also proves the bytes
	// are valid UTF-8.
	if i := specialByteIndex(rest); i < len(rest) && rest[i] == '"' {
		s.pos += i + 1
		if s.maxString > 0 && i > s.maxString {
			return s.capString(rest[:i]), nil
		}
		return rest[:i], nil
	}
	// Fast path: the whole string is in the buffer and has no escapes.
	if q := bytes.IndexByte(rest, '"'); q >= 0 {
		raw := rest[:q]
		if bytes.IndexByte(raw, '\\') < 0 {
			s.pos += q + 1
			if !utf8.Valid(raw) {
				raw = []byte(strings.ToValidUTF8(string(raw), "\uFFFD"))
			}
			if s.maxString > 0 && len(raw) > s.maxString {
				return s.capString(raw), nil
			}
			return raw, nil
		}
	}
	return s.readStringSlow()
}

const (
	swarOnes  = 0x0101010101010101
	swarHighs = 0x8080808080808080
)

// specialByteIndex returns the index of the first '"', '\\' or non-ASCII byte of b, or len(b). It tests eight
// bytes per step (SWAR): a byte equal to c is a zero byte of x^(c*swarOnes), and (v-swarOnes)&^v&swarHighs flags
// zero bytes exactly up to the first one (borrows only create false flags above a true zero), so the lowest
// flag found is the answer.
func specialByteIndex(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		q := x ^ ('"' * swarOnes)
		e := x ^ ('\\' * swarOnes)
		if m := ((q-swarOnes)&^q | (e-swarOnes)&^e | x) & swarHighs; m != 0 {
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

// consumeQuoted consumes the JSON string "lit" when it is next in the buffer, written without escapes, and
// reports whether it did. lit must contain neither '"' nor '\\'; anything else (another string, the same one
// written with escapes, or one crossing the end of the buffer) is left for readStringBytes.
func (s *scanner) consumeQuoted(lit string) bool {
	closing := s.pos + 1 + len(lit)
	if closing >= s.end || s.buf[closing] != '"' || string(s.buf[s.pos+1:closing]) != lit {
		return false
	}
	s.pos = closing + 1
	return true
}

// truncatedMarker ends a string value cut at the scanner's maxString (the same marker the logzio exporter uses).
const truncatedMarker = "...truncated"

// capString cuts b, longer than maxString, to maxString bytes at a character boundary, ending with truncatedMarker.
func (s *scanner) capString(b []byte) []byte {
	keep := max(s.maxString-len(truncatedMarker), 0)
	for keep > 0 && !utf8.RuneStart(b[keep]) {
		keep--
	}
	out := append(append(s.scratch[:0], b[:keep]...), truncatedMarker...)
	s.scratch = out[:0]
	return out
}

// cutSlow is capString for readStringSlow's result out, which may end inside a character.
func (s *scanner) cutSlow(out []byte) []byte {
	keep := max(s.maxString-len(truncatedMarker), 0)
	for keep > 0 && !utf8.RuneStart(out[keep]) {
		keep--
	}
	kept := out[:keep]
	if !utf8.Valid(kept) {
		kept = []byte(strings.ToValidUTF8(string(kept), "\uFFFD"))
	}
	return append(kept, truncatedMarker...)
}

func (s *scanner) readStringSlow() ([]byte, error) {
	out := s.scratch[:0]
	defer func() { s.scratch = out[:0] }()
	// Past maxString (plus one character, to find where to cut) nothing more is kept: the rest of the string is only
	// consumed, so a string of any length costs a bounded amount of memory.
	limit := -1
	if s.maxString > 0 {
		limit = s.maxString + utf8.UTFMax
	}
	room := func(n int) int {
		if limit < 0 {
			return n
		}
		return max(min(n, limit-len(out)), 0)
	}
	// pendingHigh is a UTF-16 high surrogate waiting for its low half (the next \u escape, maybe after a refill).
	var pendingHigh rune
	flushPending := func() {
		if pendingHigh != 0 {
			out = utf8.AppendRune(out, utf8.RuneError)
			pendingHigh = 0
		}
	}
	for {
		if limit >= 0 && len(out) > limit {
			out = out[:limit] // escapes append a few bytes each: keep the bound
		}
		if s.pos >= s.end {
			if err := s.fill(); err != nil {
				return nil, s.eofError(err)
			}
		}
		chunk := s.buf[s.pos:s.end]
		i := 0
		for i < len(chunk) && chunk[i] != '"' && chunk[i] != '\\' {
			i++
		}
		if i > 0 {
			flushPending()
			out = append(out, chunk[:room(i)]...)
			s.pos += i
		}
		if i == len(chunk) {
			continue
		}
		c := chunk[i]
		s.pos++
		if c == '"' {
			flushPending()
			if limit >= 0 && len(out) > s.maxString {
				return s.cutSlow(out), nil
			}
			if !utf8.Valid(out) {
				out = []byte(strings.ToValidUTF8(string(out), "\uFFFD"))
			}
			return out, nil
		}
		esc, err := s.readByte()
		if err != nil {
			return nil, err
		}
		if esc != 'u' {
			flushPending()
		}
		switch esc {
		case '"', '\\', '/':
			out = append(out, esc)
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
			r, err := s.readHex4()
			if err != nil {
				return nil, err
			}
			if pendingHigh != 0 && r >= 0xDC00 && r <= 0xDFFF {
				out = utf8.AppendRune(out, utf16.DecodeRune(pendingHigh, r))
				pendingHigh = 0
				continue
			}
			flushPending()
			switch {
			case r >= 0xD800 && r <= 0xDBFF:
				pendingHigh = r
			case utf16.IsSurrogate(r):
				out = utf8.AppendRune(out, utf8.RuneError) // lone low surrogate
			default:
				out = utf8.AppendRune(out, r)
			}
		default:
			return nil, s.syntaxError("invalid escape %s in string", quoteByte(esc))
		}
	}
}

func (s *scanner) readByte() (byte, error) {
	if s.pos >= s.end {
		if err := s.fill(); err != nil {
			return 0, s.eofError(err)
		}
	}
	c := s.buf[s.pos]
	s.pos++
	return c, nil
}

func (s *scanner) readHex4() (rune, error) {
	var b [4]byte
	for i := range b {
		c, err := s.readByte()
		if err != nil {
			return 0, err
		}
		b[i] = c
	}
	r, ok := parseHex4(b[:])
	if !ok {
		return 0, s.syntaxError("invalid \\u escape %q", b[:])
	}
	return r, nil
}

func parseHex4(b []byte) (rune, bool) {
	var r rune
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// skipString consumes a JSON string (opening quote next) without keeping its contents.
func (s *scanner) skipString() error {
	s.pos++
	for {
		if s.pos >= s.end {
			if err := s.fill(); err != nil {
				return s.eofError(err)
			}
		}
		chunk := s.buf[s.pos:s.end]
		i := 0
		for i < len(chunk) && chunk[i] != '"' && chunk[i] != '\\' {
			i++
		}
		s.pos += i
		if i == len(chunk) {
			continue
		}
		s.pos++
		if chunk[i] == '"' {
			return nil
		}
		if _, err := s.readByte(); err != nil { // escaped byte; \uXXXX digits are plain bytes
			return err
		}
	}
}

func isNumberByte(c byte) bool {
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// readNumberBytes returns the literal of a number starting at the next byte (aliasing internal memory).
func (s *scanner) readNumberBytes() ([]byte, error) {
	start := s.pos
	for s.pos < s.end && isNumberByte(s.buf[s.pos]) {
		s.pos++
	}
	if s.pos < s.end {
		return s.buf[start:s.pos], nil
	}
	// The literal reaches the end of the buffer: continue in scratch space.
	out := append(s.scratch[:0], s.buf[start:s.pos]...)
	defer func() { s.scratch = out[:0] }()
	for {
		if err := s.fill(); err != nil {
			if err == io.EOF {
				return out, nil // the caller reports the missing closing bracket
			}
			return nil, err
		}
		for s.pos < s.end && isNumberByte(s.buf[s.pos]) {
			out = append(out, s.buf[s.pos])
			s.pos++
		}
		if s.pos < s.end {
			return out, nil
		}
	}
}

// expectLiteral consumes the literal lit (true, false or null), whose first byte has only been peeked.
func (s *scanner) expectLiteral(lit string) error {
	if s.end-s.pos >= len(lit) {
		if string(s.buf[s.pos:s.pos+len(lit)]) != lit {
			return s.syntaxError("invalid literal, expected %s", lit)
		}
		s.pos += len(lit)
		return nil
	}
	for i := 0; i < len(lit); i++ {
		c, err := s.readByte()
		if err != nil {
			return err
		}
		if c != lit[i] {
			return s.syntaxError("invalid literal, expected %s", lit)
		}
	}
	return nil
}

var errNumberSyntax = errors.New("invalid number")

// validNumber checks the JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
// and reports whether the literal is an integer (no fraction, no exponent).
func validNumber(b []byte) (isInt bool, err error) {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return false, errNumberSyntax
	}
	isInt = true
	if i < len(b) && b[i] == '.' {
		isInt = false
		i++
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false, errNumberSyntax
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		isInt = false
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false, errNumberSyntax
		}
	}
	if i != len(b) {
		return false, errNumberSyntax
	}
	return isInt, nil
}
