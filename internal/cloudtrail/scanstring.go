// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

// The scanner's strings: read (unescaped, repaired and capped at maxString) or matched against a known member name.

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/jsonlex"
)

// readStringBytes reads a JSON string whose opening quote is the next byte and returns its unescaped bytes.
// The result aliases the scanner's buffer or scratch space and is valid only until the next call.
// Invalid UTF-8 is replaced by U+FFFD: one for each run of invalid bytes (encoding/json writes one for each byte;
// the decoder's tests pin the run rule, so it stays).
func (s *scanner) readStringBytes() ([]byte, error) {
	s.pos++ // opening quote
	rest := s.buf[s.pos:s.end]
	// Fastest path, most CloudTrail strings: ASCII without escapes, found in one pass that also proves the bytes
	// are valid UTF-8.
	if i := jsonlex.IndexSpecial(rest); i < len(rest) && rest[i] == '"' {
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

// specialByteIndex returns the index of the first '"', '\\' or non-ASCII byte of b, or len(b).
func specialByteIndex(b []byte) int { return jsonlex.IndexSpecial(b) }

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
	var sur jsonlex.Surrogates // a high surrogate may wait for its low half across a refill
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
		i := jsonlex.IndexQuoteOrBackslash(chunk)
		if i < 0 {
			i = len(chunk)
		}
		if i > 0 {
			out = sur.Flush(out)
			out = append(out, chunk[:room(i)]...)
			s.pos += i
		}
		if i == len(chunk) {
			continue
		}
		c := chunk[i]
		s.pos++
		if c == '"' {
			out = sur.Flush(out)
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
		if esc == 'u' {
			r, err := s.readHex4()
			if err != nil {
				return nil, err
			}
			out = sur.AppendU(out, r)
			continue
		}
		b, ok := jsonlex.SimpleEscape(esc)
		if !ok {
			return nil, s.syntaxError("invalid escape %s in string", quoteByte(esc))
		}
		out = append(sur.Flush(out), b)
	}
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
	r, ok := jsonlex.Hex4(b[:])
	if !ok {
		return 0, s.syntaxError("invalid \\u escape %q", string(b[:])) // a copy: b stays on the stack
	}
	return r, nil
}
