// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"math"
	"strconv"
	"unicode/utf8"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/jsonlex"
)

const (
	// maxFieldBytes is Logz.io's limit for one field (value or key), in bytes of UTF-8.
	maxFieldBytes = 32700
	// truncatedMarker ends a string value that was cut.
	truncatedMarker = "...truncated"
	// keyTruncatedMarker ends a key that was cut (keys may not contain dots).
	keyTruncatedMarker = "_truncated"
)

const hexDigits = "0123456789abcdef"

// plainASCII[c] is true for ASCII bytes copied unchanged into a JSON string.
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// sanitizedLen is the length in bytes of s once every invalid UTF-8 byte is replaced
// by U+FFFD (3 bytes).
func sanitizedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			n += 2
		}
		i += size
	}
	return n
}

// cutToFit returns the longest prefix of s, ending on a character boundary, whose
// sanitized length is at most limit.
func cutToFit(s string, limit int) string {
	if limit <= 0 {
		return ""
	}
	n := 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			if n+1 > limit {
				return s[:i]
			}
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		w := size
		if r == utf8.RuneError && size == 1 {
			w = 3
		}
		if n+w > limit {
			return s[:i]
		}
		n += w
		i += size
	}
	return s
}

// limitString returns s cut so that s+marker fits in limit bytes of sanitized UTF-8,
// and whether it was cut. The returned length is the sanitized length of the string
// as it will be written, marker included.
func limitString(s string, limit int, marker string) (kept string, cut bool, written int) {
	if len(s) <= limit/3 {
		// Even if every byte were invalid it would fit.
		// written is exact for valid UTF-8 and a lower bound otherwise, which is all
		// the line-size rule needs (see shrinkCap).
		return s, false, len(s)
	}
	n := sanitizedLen(s)
	if n <= limit {
		return s, false, n
	}
	kept = cutToFit(s, limit-len(marker))
	return kept, true, sanitizedLen(kept) + len(marker)
}

// SWAR (SIMD within a register): 8 bytes of a string are checked at once (see jsonlex).
const (
	lsb = jsonlex.Ones
	msb = jsonlex.Highs
)

// load64 reads 8 bytes of s from i on, little-endian.
func load64(s string, i int) uint64 { return jsonlex.Load64String(s, i) }

// hasByte reports whether any byte of w equals the byte repeated in pattern.
func hasByte(w, pattern uint64) bool { return jsonlex.ZeroBytes(w^pattern) != 0 }

// plainWord reports whether the 8 bytes of w are ASCII that is copied unchanged into a JSON string (no control
// character, '"' or '\\').
func plainWord(w uint64) bool { return jsonlex.Unplain(w) == 0 }

// appendEscaped appends the body of a JSON string (without quotes) for s: control
// characters, `"` and `\` are escaped, invalid UTF-8 becomes U+FFFD.
func appendEscaped(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && plainWord(load64(s, i)) {
			i += 8
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if plainASCII[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\uFFFD"...)
			i++
			start = i
			continue
		}
		i += size
	}
	return append(dst, s[start:]...)
}

// appendQuoted appends s as a JSON string.
func appendQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = appendEscaped(dst, s)
	return append(dst, '"')
}

// appendFloat appends f in its shortest round-trip form, as encoding/json does, with
// ".0" added to integral values (so they stay floating point in Elasticsearch).
// NaN and infinities, which JSON cannot hold, become the strings "NaN", "Infinity"
// and "-Infinity".
func appendFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(dst, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(dst, `"-Infinity"`...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// Clean up e-09 to e-9, as encoding/json does.
		n := len(dst)
		if n-start >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
		return dst
	}
	for _, c := range dst[start:] {
		if c == '.' {
			return dst
		}
	}
	return append(dst, '.', '0')
}

// appendTimestamp appends ts (nanoseconds since the epoch) as a quoted ISO 8601 UTC
// time with milliseconds, e.g. "2023-07-19T21:33:41.000Z".
func appendTimestamp(dst []byte, ts pcommon.Timestamp) []byte {
	t := ts.AsTime().UTC()
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	ms := t.Nanosecond() / 1e6
	dst = append(dst, '"')
	dst = appendDigits(dst, year, 4)
	dst = append(dst, '-')
	dst = appendDigits(dst, int(month), 2)
	dst = append(dst, '-')
	dst = appendDigits(dst, day, 2)
	dst = append(dst, 'T')
	dst = appendDigits(dst, hour, 2)
	dst = append(dst, ':')
	dst = appendDigits(dst, minute, 2)
	dst = append(dst, ':')
	dst = appendDigits(dst, sec, 2)
	dst = append(dst, '.')
	dst = appendDigits(dst, ms, 3)
	return append(dst, 'Z', '"')
}

// appendDigits appends v zero-padded to width digits (v must be non-negative).
func appendDigits(dst []byte, v, width int) []byte {
	var b [8]byte
	i := len(b)
	for ; width > 0 || v > 0; width-- {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return append(dst, b[i:]...)
}

// appendHex appends the lower-case hex form of b, quoted.
func appendHex(dst []byte, b []byte) []byte {
	dst = append(dst, '"')
	for _, c := range b {
		dst = append(dst, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return append(dst, '"')
}
