// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"fmt"
	"io"
	"unsafe"
)

// scanner is a pull tokenizer over a decompressed byte stream. It keeps one fixed-size buffer and copies out
// only what it returns (strings, number literals), so memory does not grow with the size of the stream.
type scanner struct {
	src io.Reader
	// chunks, when set instead of src, hands out the decompressed stream in its own buffers: buf is then each chunk
	// in turn, not a copy (see chunkSource).
	chunks  chunkSource
	buf     []byte
	own     []byte // the scanner's read buffer for src; buf is own, a chunk, or a Firehose message
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

	// lendable says buf is the scanner's own read buffer (a log file's, not a message's), so the bodies of
	// pass-through records may point into it instead of being copied; lent says some do: fill then reads into a
	// fresh buffer instead of overwriting this one, and release leaves it to those records instead of pooling it.
	lendable, lent bool
}

const scanBufferSize = 64 << 10

// chunkSource is a decompressor that hands out its output in place (inflate.Reader): Next returns the next bytes,
// valid until the next call unless Keep is called first, which leaves every byte returned so far to the caller.
type chunkSource interface {
	Next() ([]byte, error)
	Keep()
}

// reset starts a stream read from src, or from chunks when it is not nil.
func (s *scanner) reset(src io.Reader, chunks chunkSource, limit int64, srcErr func(error) error) {
	s.src, s.chunks, s.buf = src, chunks, nil
	if chunks == nil {
		if s.own == nil {
			s.own = make([]byte, scanBufferSize)
		}
		s.buf = s.own
	}
	s.lendable, s.lent = true, false
	s.pos, s.end = 0, 0
	s.readErr = nil
	s.consumed = 0
	s.limit = limit
	s.srcErr = srcErr
}

// giveUpLent leaves the buffer that pass-through bodies point into to their records: the scanner reads into a new
// one, or the chunk source writes its next bytes elsewhere.
func (s *scanner) giveUpLent() {
	if !s.lent {
		return
	}
	s.lent = false
	if s.chunks != nil {
		s.chunks.Keep()
		return
	}
	s.own = nil
}

// offset is the position of the next unread byte in the decompressed stream, for error messages.
func (s *scanner) offset() int64 { return s.consumed - int64(s.end-s.pos) }

// fill replaces the (fully consumed) buffer with the next chunk of the stream, read until the buffer is full or the
// stream ends (a decompressor returns less than asked for, and a buffer lent to records should not be half empty).
// It returns io.EOF at the end of the stream, or the classified read error.
func (s *scanner) fill() error {
	if s.readErr != nil {
		return s.readErr
	}
	s.pos, s.end = 0, 0
	s.giveUpLent()
	if s.chunks != nil {
		return s.fillChunk()
	}
	if s.own == nil {
		s.own = make([]byte, scanBufferSize)
	}
	s.buf = s.own
	for s.end < len(s.buf) {
		n, err := s.src.Read(s.buf[s.end:])
		s.end += n
		if limitErr := s.count(n); limitErr != nil {
			return limitErr
		}
		if err != nil {
			s.readErr = s.classify(err)
			if s.end == 0 {
				return s.readErr
			}
			break
		}
	}
	return nil
}

// fillChunk makes the chunk source's next bytes the buffer, where the decompressor wrote them.
func (s *scanner) fillChunk() error {
	b, err := s.chunks.Next()
	if err != nil {
		s.buf, s.readErr = nil, s.classify(err)
		return s.readErr
	}
	s.buf, s.end = b, len(b)
	return s.count(len(b))
}

// count adds n bytes read to the stream's size; past the object size limit it drops the buffer and returns (and
// keeps) ErrTooLarge.
func (s *scanner) count(n int) error {
	s.consumed += int64(n)
	if s.limit > 0 && s.consumed > s.limit {
		s.end = 0
		s.readErr = fmt.Errorf("%w: more than %d decompressed bytes; raise the object size limit to read it", ErrTooLarge, s.limit)
		return s.readErr
	}
	return nil
}

// classify is the error a read of the stream ended with: io.EOF as it is, any other as srcErr classifies it.
func (s *scanner) classify(err error) error {
	if err == io.EOF {
		return err
	}
	return s.srcErr(err)
}

func (s *scanner) syntaxError(format string, args ...any) error {
	return fmt.Errorf("%w: invalid JSON at decompressed byte %d: %s", ErrCorrupt, s.offset(), fmt.Sprintf(format, args...))
}

// eofError turns the end of the stream inside a JSON value into a corrupt-object error (errTruncated); other errors
// pass through.
func (s *scanner) eofError(err error) error {
	if err == io.EOF {
		return fmt.Errorf("%w: %w: stream ended at decompressed byte %d inside the document", ErrCorrupt, errTruncated, s.consumed)
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

// lend returns b, bytes of a record the scanner returned, as a string without copying when they lie in the scanner's
// own read buffer (which is then lent: see scanner.lent), else ok is false and the caller copies them.
func (s *scanner) lend(b []byte) (str string, ok bool) {
	if !s.lendable || len(b) == 0 || !within(b, s.buf) {
		return "", false
	}
	s.lent = true
	return bytesView(b), true
}

// within reports whether b lies in buf's backing array.
func within(b, buf []byte) bool {
	start := uintptr(unsafe.Pointer(unsafe.SliceData(buf[:cap(buf)])))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return p >= start && p+uintptr(len(b)) <= start+uintptr(cap(buf))
}
