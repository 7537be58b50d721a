// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import "math/bits"

// scanObject is an object of the JSON body being checked: its keys are encoder.keys[firstKey:], and mask has the bit
// of each key's fingerprint, so that a new key is compared with the others only when its bit is already set.
type scanObject struct {
	firstKey int32
	mask     uint64
}

// scanKey is a key already seen in an object being checked: its fingerprint and where it is in the body. For a
// top-level key, valueEnd is where its member ends and keys counts the keys inside its value.
type scanKey struct {
	fp             uint64
	start, end     int32
	valueEnd, keys int32
}

// scanJSON reports whether body is a JSON object whose document the map path would write with the body's bytes as
// they stand, and leaves its top-level keys and members in e.bodyKeys. That holds when the text is compact JSON and:
//   - every string is written as appendEscaped writes it (only the escapes \" \\ \n \r \t and \u00xx for the other
//     control characters, lower-case hex), is valid UTF-8 and at most maxFieldBytes long once decoded;
//   - every key also needs no rewriting (no dot, not empty or blank), no object repeats a key, and top-level keys
//     have no escape at all (their slots hold them as they are);
//   - every number is written as value writes it: integers in their shortest form within int64 (no -0), other
//     numbers as appendFloat writes them;
//   - no object or array sits at maxDepth or deeper (it would be folded into a string).
//
// Everything else (rare in CloudTrail) returns false: the caller takes the slow path, as for a body with more keys
// than a document may have fields. The exact field count and the line size are checked on the line written, which
// is the map path's line.
func (e *encoder) scanJSON(b string) bool {
	e.keys, e.objects = e.keys[:0], e.objects[:0]
	e.jsonText, e.jsonKeys, e.bodyKeys = b, 0, keySet{}
	if len(b) < 2 || b[0] != '{' {
		return false
	}
	if b[1] == '}' {
		return len(b) == 2
	}
	e.objects = append(e.objects, scanObject{})
	i := 1
	for {
		keyStart := i
		end, plain := scanKeyString(b, i)
		if end < 0 || !plain || !e.newKey(b, keyStart+1, end-1) || end >= len(b) || b[end] != ':' {
			return false
		}
		top := len(e.keys) - 1 // this member's key; its value's objects add theirs after it, and take them back
		valueEnd, keys, ok := e.scanValue(b, end+1)
		if !ok || valueEnd >= len(b) {
			return false
		}
		e.keys[top].valueEnd, e.keys[top].keys = int32(valueEnd), keys
		if e.jsonKeys += 1 + keys; e.jsonKeys > maxFields {
			return false
		}
		switch b[valueEnd] {
		case ',':
			i = valueEnd + 1
		case '}':
			// Only the top-level keys are left in e.keys.
			e.bodyKeys = keySet{text: b, keys: e.keys, mask: e.objects[0].mask}
			return valueEnd+1 == len(b)
		default:
			return false
		}
	}
}

// keySet holds the top-level keys of a JSON body (see scanJSON) for look-ups.
type keySet struct {
	text string
	keys []scanKey
	mask uint64
}

// has reports whether the set holds k; a nil set holds nothing.
func (s *keySet) has(k string) bool {
	if s == nil || len(s.keys) == 0 {
		return false
	}
	fp := keyFingerprint(k)
	if s.mask&(1<<(fp>>58)) == 0 {
		return false
	}
	for _, key := range s.keys {
		if key.fp == fp && s.text[key.start:key.end] == k {
			return true
		}
	}
	return false
}

// scanValue checks the value of a top-level member, which starts at b[i], and returns the index after it and the
// number of keys inside it.
func (e *encoder) scanValue(b string, i int) (end int, keys int32, ok bool) {
	var closers [maxDepth]byte
	open := 0 // containers open inside the value; a container opened now sits at level open+1
	for {
		// A value starts at b[i].
		if i >= len(b) {
			return 0, 0, false
		}
		switch c := b[i]; {
		case c == '"':
			if i = scanValueString(b, i); i < 0 {
				return 0, 0, false
			}
		case c == '{' || c == '[':
			if open+1 >= maxDepth || i+1 >= len(b) {
				return 0, 0, false
			}
			if b[i+1] == c+2 { // '{'+2 == '}', '['+2 == ']': empty
				i += 2
				break
			}
			closers[open] = c + 2
			open++
			i++
			if c == '{' {
				e.objects = append(e.objects, scanObject{firstKey: int32(len(e.keys))})
				if i = e.scanMember(b, i); i < 0 || e.jsonKeys+keys >= maxFields {
					return 0, 0, false
				}
				keys++
			}
			continue
		case c == 't':
			if !hasLiteral(b, i, "true") {
				return 0, 0, false
			}
			i += 4
		case c == 'f':
			if !hasLiteral(b, i, "false") {
				return 0, 0, false
			}
			i += 5
		case c == 'n':
			if !hasLiteral(b, i, "null") {
				return 0, 0, false
			}
			i += 4
		default:
			if i = scanNumber(b, i); i < 0 {
				return 0, 0, false
			}
		}
		// After a value: close containers until one continues.
		for {
			if open == 0 {
				return i, keys, true
			}
			if i >= len(b) {
				return 0, 0, false
			}
			c := b[i]
			if c == ',' {
				i++
				if closers[open-1] == '}' {
					// More keys than a document may have fields: the line would be rebuilt anyway, and a wide object
					// must not cost a quadratic search for repeated keys.
					if i = e.scanMember(b, i); i < 0 || e.jsonKeys+keys >= maxFields {
						return 0, 0, false
					}
					keys++
				}
				break
			}
			if c != closers[open-1] {
				return 0, 0, false
			}
			if c == '}' {
				o := e.objects[len(e.objects)-1]
				e.keys = e.keys[:o.firstKey]
				e.objects = e.objects[:len(e.objects)-1]
			}
			open--
			i++
		}
	}
}

// scanMember checks a key of the innermost open object, at b[i], and its ':'; it returns the index of the value, or -1.
func (e *encoder) scanMember(b string, i int) int {
	end, _ := scanKeyString(b, i)
	if end < 0 || !e.newKey(b, i+1, end-1) || end >= len(b) || b[end] != ':' {
		return -1
	}
	return end + 1
}

func hasLiteral(b string, i int, lit string) bool {
	return len(b)-i >= len(lit) && b[i:i+len(lit)] == lit
}

// newKey records the key b[start:end] in the innermost open object, or reports false when the object already has it.
// Keys are compared as written, which is exact for canonical text (each string has one canonical form).
func (e *encoder) newKey(b string, start, end int) bool {
	var fp uint64
	if n := end - start; n < 8 && start+8 <= len(b) {
		fp = fingerprintWord(load64(b, start)&(1<<(8*n)-1), n)
	} else {
		fp = keyFingerprint(b[start:end])
	}
	o := &e.objects[len(e.objects)-1]
	bit := uint64(1) << (fp >> 58)
	if o.mask&bit != 0 {
		k := b[start:end]
		for _, prev := range e.keys[o.firstKey:] {
			if prev.fp == fp && b[prev.start:prev.end] == k {
				return false
			}
		}
	}
	o.mask |= bit
	e.keys = append(e.keys, scanKey{fp: fp, start: int32(start), end: int32(end)})
	return true
}

// keyFingerprint hashes a key's length and its first and last eight bytes.
func keyFingerprint(k string) uint64 {
	n := len(k)
	if n >= 8 {
		return fingerprintWord(load64(k, 0)^bits.RotateLeft64(load64(k, n-8), 29), n)
	}
	var w uint64
	for i := 0; i < n; i++ {
		w |= uint64(k[i]) << (8 * i)
	}
	return fingerprintWord(w, n)
}

func fingerprintWord(w uint64, n int) uint64 {
	return (w ^ uint64(n)<<58) * 0x9e3779b97f4a7c15
}
