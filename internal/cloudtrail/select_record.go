// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"errors"
	"io"
	"unicode/utf8"
)

// selectRecord decides on the next element of Records before anything is built for it. A kept record is parsed
// onto the tape (kept = true); a dropped one is only walked by scanEventFields and counted.
//
// The record is first walked where it lies in the scan buffer. Only a record that crosses the end of the buffer
// is copied out (captureValue) and walked there; either way a kept record is then parsed from those bytes, so the
// stream is read once.
//
// A record that nests deeper than maxDepth is consumed and reported as errTooDeep, for the caller to skip, exactly
// when the decoder without selection would skip it: its bytes up to the point too deep are parsed as that decoder
// parses them (a syntax error there still makes the object corrupt), and the rest is only followed by skim.
func (s *decodeState) selectRecord(sel *Selector, stats *Stats) (kept bool, err error) {
	c, err := s.next()
	if err != nil {
		return false, err
	}
	if c != '{' {
		// Not an object: parsed as before, and appendRecord counts it as skipped.
		return true, s.parseRecord()
	}
	start := s.offset()
	raw := s.buf[s.pos:s.end]
	n, err := scanEventFields(raw, &s.selected)
	switch {
	case err == nil:
		raw = raw[:n]
		s.pos += n
	case errors.Is(err, errIncomplete):
		raw, err = s.captureRecord(start)
		if errors.Is(err, errTooDeep) {
			return false, s.skipTooDeepCaptured(raw, start)
		}
		if err != nil {
			return false, err
		}
		if n, err = scanEventFields(raw, &s.selected); err != nil || n != len(raw) {
			return false, s.fieldScanError(start, err)
		}
	case errors.Is(err, errTooDeep):
		// Nothing consumed yet: the parser reads the record from the stream, and consumes it without building the
		// part too deep (errTooDeep), as without selection.
		if err = s.parseRecord(); err == nil {
			return true, nil // not reached: the parser finds the same depth
		}
		return false, err
	default:
		return false, s.fieldScanError(start, err)
	}
	if !sel.keep(&s.selected) {
		stats.DroppedRecords++
		return false, nil
	}
	return true, s.parseCaptured(raw, start)
}

func (s *decodeState) fieldScanError(start int64, err error) error {
	switch {
	case err == nil:
		return s.syntaxError("record at decompressed byte %d is not one JSON object", start)
	default:
		return s.syntaxError("%v in the record at decompressed byte %d", err, start)
	}
}

// errPrefixEnd marks the end of a captured prefix of a record, see skipTooDeepCaptured.
var errPrefixEnd = errors.New("end of the captured prefix")

// skipTooDeepCaptured finishes a record, started at decompressed offset start, that captureValue found too deep:
// prefix holds its bytes up to and including the bracket that nests maxDepth levels deep, and the stream continues
// just after that bracket. The prefix is parsed as the decoder without selection parses the record: a syntax error
// in it is returned as such; otherwise the parser reaches that bracket and asks for more (errPrefixEnd), the rest
// of the record is consumed by skim, and errTooDeep returned.
func (s *decodeState) skipTooDeepCaptured(prefix []byte, start int64) error {
	err := s.parseRecordFrom(prefix, start, errPrefixEnd)
	switch {
	case err == errPrefixEnd:
	case err == nil || errors.Is(err, errTooDeep): // not reached: the prefix ends inside the record
		return s.fieldScanError(start, errTooDeep)
	default:
		return err
	}
	k := skim{depth: maxDepth, unbounded: true}
	if err := s.skimRest(&k); err != nil {
		return err
	}
	return errTooDeep
}

// parseCaptured parses the complete record raw, which started at decompressed offset start, onto the tape. The
// scanner reads raw in place of its buffer for that time, so a syntax error still names its offset in the object.
func (s *decodeState) parseCaptured(raw []byte, start int64) error {
	return s.parseRecordFrom(raw, start, io.EOF)
}

// parseRecordFrom parses the record in raw with the scanner reading raw in place of its buffer; past the end of raw
// the scanner reports endErr.
func (s *decodeState) parseRecordFrom(raw []byte, start int64, endErr error) error {
	buf, pos, end, readErr, consumed := s.buf, s.pos, s.end, s.readErr, s.consumed
	s.buf, s.pos, s.end, s.readErr = raw, 0, len(raw), endErr
	s.consumed = start + int64(len(raw))
	err := s.parseRecord()
	s.buf, s.pos, s.end, s.readErr, s.consumed = buf, pos, end, readErr, consumed
	return err
}

// captureValue consumes the object or array that starts at the next byte and returns its bytes, copied into
// s.raw (valid until the next call). It follows only the structure (strings, escapes, brackets), across as many
// buffer refills as the value needs. At a bracket that nests maxDepth levels deep it stops with errTooDeep: the
// bytes returned then end with that bracket, and the stream continues after it. When the stream ends inside the
// value, it returns the bytes captured so far with the truncation error (see decodeState.captureRecord).
//
// With maxString set, string contents are copied only up to a little past it (never splitting an escape): the
// parser cuts them to maxString anyway, and a record holding one huge string costs no more memory than without
// event selection.
func (s *scanner) captureValue() ([]byte, error) {
	var k skim
	var capper stringCapper
	out := s.raw[:0]
	for {
		n, done, err := k.advance(s.buf[s.pos:s.end])
		if s.maxString > 0 {
			out = capper.append(out, s.buf[s.pos:s.pos+n], s.maxString+2*utf8.UTFMax)
		} else {
			out = append(out, s.buf[s.pos:s.pos+n]...)
		}
		s.pos += n
		if err != nil {
			out = append(out, s.buf[s.pos])
			s.pos++
			s.raw = out
			return out, errTooDeep
		}
		if done {
			s.raw = out
			return out, nil
		}
		if err := s.fill(); err != nil {
			s.raw = out
			return out, s.eofError(err)
		}
	}
}

// captureRecord captures the record that starts at decompressed offset start (captureValue). When the stream ends
// inside it, the error is the one the decoder without selection or pass-through gives for the same bytes: the first
// syntax error in them (such as a number cut to "2." by the end), else the truncation.
func (s *decodeState) captureRecord(start int64) ([]byte, error) {
	raw, err := s.captureValue()
	if !errors.Is(err, errTruncated) {
		return raw, err
	}
	if parseErr := s.parseRecordFrom(raw, start, io.EOF); parseErr != nil && !errors.Is(parseErr, errTruncated) {
		return nil, parseErr
	}
	return nil, err
}

// stringCapper copies JSON text, chunk by chunk, leaving out what a string holds past a limit (its closing quote is
// kept, so the copy stays valid JSON).
type stringCapper struct {
	inString, escape, dropping bool
	hexLeft                    int // digits of a \u escape still to come
	// decoded is a lower bound of the bytes the current string's contents decode to so far: one per plain byte and
	// one per escape. Dropping starts past limit of them, so the parser still finds the string too long and cuts it
	// (with the marker) however many escapes the kept part holds.
	decoded int
}

func (c *stringCapper) append(out, b []byte, limit int) []byte {
	start := 0 // the run of b still to copy starts here
	for i, ch := range b {
		switch {
		case !c.inString:
			if ch == '"' {
				c.inString, c.decoded = true, 0
			}
		case c.escape:
			c.escape = false
			if ch == 'u' {
				c.hexLeft = 4
			}
		case c.hexLeft > 0:
			c.hexLeft--
		case ch == '\\':
			c.escape = true
			c.decoded++
		case ch == '"':
			c.inString = false
			if c.dropping {
				c.dropping, start = false, i
			}
		case !c.dropping:
			// Only here, between characters and outside an escape, may dropping begin.
			if c.decoded >= limit {
				out = append(out, b[start:i]...)
				c.dropping = true
			}
			c.decoded++
		}
	}
	if !c.dropping {
		out = append(out, b[start:]...)
	}
	return out
}

// skimRest consumes the rest of the value k has followed so far (k.depth brackets are open), across buffer refills
// and without copying it.
func (s *scanner) skimRest(k *skim) error {
	for {
		n, done, _ := k.advance(s.buf[s.pos:s.end]) // no error when k.unbounded
		s.pos += n
		if done {
			return nil
		}
		if err := s.fill(); err != nil {
			return s.eofError(err)
		}
	}
}

// skim follows the structure of a JSON value through consecutive chunks of it: strings (with their escapes) and
// the depth of brackets. It keeps no stack, so it can consume a value of any depth in constant memory.
type skim struct {
	depth            int
	inString, escape bool
	// unbounded lifts the maxDepth limit, to consume a value known to be too deep.
	unbounded bool
}

// advance consumes b up to the end of the value. It returns how many bytes belong to the value and whether the
// value ended there. Unless k.unbounded, it stops with errTooDeep before a bracket that would nest maxDepth levels
// deep (that bracket is not consumed).
func (k *skim) advance(b []byte) (n int, done bool, err error) {
	i := 0
	for i < len(b) {
		if k.inString {
			if k.escape {
				k.escape = false
				i++
				continue
			}
			i += specialByteIndex(b[i:])
			if i >= len(b) {
				break
			}
			switch b[i] {
			case '"':
				k.inString = false
			case '\\':
				k.escape = true
			}
			i++
			continue
		}
		switch b[i] {
		case '"':
			k.inString = true
		case '{', '[':
			k.depth++
			if k.depth >= maxDepth && !k.unbounded {
				k.depth--
				return i, false, errTooDeep
			}
		case '}', ']':
			k.depth--
			if k.depth == 0 {
				return i + 1, true, nil
			}
		}
		i++
	}
	return len(b), false, nil
}
