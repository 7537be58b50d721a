// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// keyNeedsRewrite reports whether k cannot be written as a Logz.io field name as is:
// it holds a dot or invalid UTF-8, is empty or blank, or is longer than a field may be.
func keyNeedsRewrite(k string) bool {
	if len(k) == 0 || len(k) > maxFieldBytes {
		return true
	}
	if k[0] <= ' ' && isBlank(k) {
		return true
	}
	i := 0
	for ; i+8 <= len(k); i += 8 {
		w := load64(k, i)
		if w&msb != 0 {
			return keyNeedsRewriteSlow(k)
		}
		if hasByte(w, '.'*lsb) {
			return true
		}
	}
	for ; i < len(k); i++ {
		if c := k[i]; c == '.' {
			return true
		} else if c >= utf8.RuneSelf {
			return keyNeedsRewriteSlow(k)
		}
	}
	return false
}

// appendPlainKey appends k as a JSON string when it is plain: non-blank printable
// ASCII without `"`, `\` or `.`, no longer than a field may be; the usual case, which
// needs neither escaping nor rewriting. It returns false, with dst unchanged, for any other key.
func appendPlainKey(dst []byte, k string) ([]byte, bool) {
	if len(k) == 0 || len(k) > maxFieldBytes || k[0] == ' ' {
		return dst, false
	}
	i := 0
	for ; i+8 <= len(k); i += 8 {
		if w := load64(k, i); !plainWord(w) || hasByte(w, '.'*lsb) {
			return dst, false
		}
	}
	for ; i < len(k); i++ {
		if c := k[i]; c >= utf8.RuneSelf || !plainASCII[c] || c == '.' {
			return dst, false
		}
	}
	dst = append(dst, '"')
	dst = append(dst, k...)
	return append(dst, '"'), true
}

// keyNeedsRewriteSlow is keyNeedsRewrite for keys holding non-ASCII bytes.
func keyNeedsRewriteSlow(k string) bool {
	return strings.IndexByte(k, '.') >= 0 || !utf8.ValidString(k) || isBlank(k)
}

// isBlank reports whether k holds only whitespace or control characters;
// Elasticsearch rejects such field names.
func isBlank(k string) bool {
	for _, r := range k {
		if r > ' ' && !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// appendKeyRewrite appends the rewritten form of k: dots become `_`, invalid UTF-8
// becomes U+FFFD, an empty or blank key becomes `_`, and a key longer than
// maxFieldBytes is cut and ends with keyTruncatedMarker.
func appendKeyRewrite(dst []byte, k string) []byte {
	start := len(dst)
	if isBlank(k) {
		return append(dst, '_')
	}
	for i := 0; i < len(k); {
		c := k[i]
		if c < utf8.RuneSelf {
			if c == '.' {
				c = '_'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(k[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, "\uFFFD"...)
		} else {
			dst = append(dst, k[i:i+size]...)
		}
		i += size
	}
	if len(dst)-start > maxFieldBytes {
		kept := cutToFit(string(dst[start:]), maxFieldBytes-len(keyTruncatedMarker))
		dst = append(dst[:start+len(kept)], keyTruncatedMarker...)
	}
	return dst
}

// appendKeySuffix appends base followed by `_n`, cutting base if needed so that the
// result stays within maxFieldBytes.
func appendKeySuffix(dst []byte, base string, n int) []byte {
	var num [24]byte
	suffix := strconv.AppendInt(append(num[:0], '_'), int64(n), 10)
	if len(base)+len(suffix) > maxFieldBytes {
		base = cutToFit(base, maxFieldBytes-len(suffix))
	}
	dst = append(dst, base...)
	return append(dst, suffix...)
}

// keyArena holds the rewritten keys of one AppendLine call. Keys are returned as
// strings that point into the arena; they are only used while the line is built and
// the arena is reset (never mutated in place) before the next call, so they stay
// valid for as long as they are used.
type keyArena struct {
	buf []byte
}

func (a *keyArena) reset() { a.buf = a.buf[:0] }

// rewrite returns the rewritten form of k (see appendKeyRewrite).
func (a *keyArena) rewrite(k string) string {
	start := len(a.buf)
	a.buf = appendKeyRewrite(a.buf, k)
	return a.view(start)
}

// suffixed returns base + "_n" (see appendKeySuffix).
func (a *keyArena) suffixed(base string, n int) string {
	start := len(a.buf)
	a.buf = appendKeySuffix(a.buf, base, n)
	return a.view(start)
}

func (a *keyArena) view(start int) string {
	b := a.buf[start:]
	if len(b) == 0 {
		return ""
	}
	// The bytes after start are never written again during this call: later keys are
	// appended after them, and growing the buffer copies rather than moves them.
	return unsafe.String(&b[0], len(b))
}
