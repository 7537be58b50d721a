// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/cloudtrail"

import (
	"errors"
	"io"
)

// selectRecord decides on the next element of Records before anything is built for it. A kept record is parsed
// onto the tape (kept = true); a dropped one is only walked by scanEventFields and counted.
//
// The record is first walked where it lies in the scan buffer. Only a record that crosses the end of the buffer
// is copied out (captureValue) and walked there; either way a kept record is then parsed from those bytes, so the
// stream is read once.
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
		if raw, err = s.captureValue(); err != nil {
			return false, err
		}
		if n, err = scanEventFields(raw, &s.selected); err != nil || n != len(raw) {
			return false, s.fieldScanError(start, err)
		}
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
	case errors.Is(err, errTooDeep):
		return s.syntaxError("nesting deeper than %d levels in the record at decompressed byte %d", maxDepth, start)
	default:
		return s.syntaxError("%v in the record at decompressed byte %d", err, start)
	}
}

// parseCaptured parses the complete record raw, which started at decompressed offset start, onto the tape. The
// scanner reads raw in place of its buffer for that time, so a syntax error still names its offset in the object.
func (s *decodeState) parseCaptured(raw []byte, start int64) error {
	buf, pos, end, readErr, consumed := s.buf, s.pos, s.end, s.readErr, s.consumed
	s.buf, s.pos, s.end, s.readErr = raw, 0, len(raw), io.EOF
	s.consumed = start + int64(len(raw))
	err := s.parseRecord()
	s.buf, s.pos, s.end, s.readErr, s.consumed = buf, pos, end, readErr, consumed
	return err
}

// captureValue consumes the object or array that starts at the next byte and returns its bytes, copied into
// s.raw (valid until the next call). It follows only the structure (strings, escapes, brackets), across as many
// buffer refills as the value needs.
func (s *scanner) captureValue() ([]byte, error) {
	var k skim
	out := s.raw[:0]
	for {
		n, done, err := k.advance(s.buf[s.pos:s.end])
		out = append(out, s.buf[s.pos:s.pos+n]...)
		s.pos += n
		if err != nil {
			s.raw = out[:0]
			return nil, s.syntaxError("nesting deeper than %d levels", maxDepth)
		}
		if done {
			s.raw = out
			return out, nil
		}
		if err := s.fill(); err != nil {
			s.raw = out[:0]
			return nil, s.eofError(err)
		}
	}
}

// skim follows the structure of a JSON value through consecutive chunks of it.
type skim struct {
	depth            int
	inString, escape bool
}

// advance consumes b up to the end of the value. It returns how many bytes belong to the value and whether the
// value ended there.
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
			if k.depth >= maxDepth {
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
