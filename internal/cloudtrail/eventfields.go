// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"bytes"
	"errors"
	"io"
)

// stringField names a record field that event selection compares with string values.
type stringField uint8

const (
	selSource       stringField = iota // eventSource
	selName                            // eventName
	selCategory                        // eventCategory
	selType                            // eventType
	selErrorCode                       // errorCode
	selIdentityType                    // userIdentity.type
	selInvokedBy                       // userIdentity.invokedBy
	selRegion                          // awsRegion
	selRecipient                       // recipientAccountId
	numStringFields
)

// boolField names a record property that event selection compares with true or false.
type boolField uint8

const (
	flagReadOnly boolField = iota
	flagManagementEvent
	flagError // errorCode present and not empty
)

// tristate is a JSON boolean that may be absent.
type tristate uint8

const (
	absent tristate = iota
	isFalse
	isTrue
)

func (t tristate) is(want bool) bool {
	if want {
		return t == isTrue
	}
	return t == isFalse
}

// eventFields holds what event selection looks at in one record. String values alias the scanned bytes (or, for
// the rare value written with escapes, a fresh copy) and are valid until the next record.
type eventFields struct {
	strs                      [numStringFields][]byte
	has                       [numStringFields]bool
	readOnly, managementEvent tristate
}

func (f *eventFields) str(field stringField) ([]byte, bool) { return f.strs[field], f.has[field] }

func (f *eventFields) flag(b boolField) tristate {
	switch b {
	case flagReadOnly:
		return f.readOnly
	case flagManagementEvent:
		return f.managementEvent
	default:
		if f.has[selErrorCode] && len(f.strs[selErrorCode]) > 0 {
			return isTrue
		}
		return isFalse
	}
}

// errIncomplete says the bytes end before the record does.
var errIncomplete = errors.New("record continues past the buffer")

// errTooDeep says the record nests deeper than maxDepth.
var errTooDeep = errors.New("nesting too deep")

// fieldScan walks one record object in memory. It reads the members event selection needs and skips every other
// value with a structural scan (strings, brackets), which is several times cheaper than parsing it: a dropped
// record costs this walk and nothing more.
type fieldScan struct {
	b []byte
	f *eventFields
}

// scanEventFields reads the record object that starts at b[0] ('{') into f and returns the length of the object.
// It returns errIncomplete when b ends inside the object, errTooDeep past maxDepth, or a syntax error.
func scanEventFields(b []byte, f *eventFields) (int, error) {
	*f = eventFields{}
	w := fieldScan{b: b, f: f}
	end, err := w.object(0, 1, w.topMember)
	return end, err
}

// member handlers: given the member name and the index of its value, return the index after the value.
type memberFunc func(name []byte, i, depth int) (int, error)

// object walks the object at b[i] ('{'), calling member for each member, and returns the index after it.
func (w *fieldScan) object(i, depth int, member memberFunc) (int, error) {
	b := w.b
	i++ // '{'
	i = skipSpace(b, i)
	if i >= len(b) {
		return 0, errIncomplete
	}
	if b[i] == '}' {
		return i + 1, nil
	}
	for {
		if b[i] != '"' {
			return 0, syntaxErr("expected a member name")
		}
		nameEnd, err := stringEnd(b, i)
		if err != nil {
			return 0, err
		}
		name := b[i+1 : nameEnd-1]
		i = skipSpace(b, nameEnd)
		if i >= len(b) {
			return 0, errIncomplete
		}
		if b[i] != ':' {
			return 0, syntaxErr("expected ':' after member name")
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			return 0, errIncomplete
		}
		if i, err = member(name, i, depth); err != nil {
			return 0, err
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return 0, errIncomplete
		}
		switch b[i] {
		case '}':
			return i + 1, nil
		case ',':
			i = skipSpace(b, i+1)
			if i >= len(b) {
				return 0, errIncomplete
			}
		default:
			return 0, syntaxErr("expected ',' or '}' in object")
		}
	}
}

// topMember handles the record's own members. Member names with escapes are compared as written: CloudTrail
// never escapes its field names.
func (w *fieldScan) topMember(name []byte, i, depth int) (int, error) {
	switch string(name) {
	case "eventSource":
		return w.stringValue(selSource, i, depth)
	case "eventName":
		return w.stringValue(selName, i, depth)
	case "eventCategory":
		return w.stringValue(selCategory, i, depth)
	case "eventType":
		return w.stringValue(selType, i, depth)
	case "errorCode":
		return w.stringValue(selErrorCode, i, depth)
	case "awsRegion":
		return w.stringValue(selRegion, i, depth)
	case "recipientAccountId":
		return w.stringValue(selRecipient, i, depth)
	case "readOnly":
		return w.boolValue(&w.f.readOnly, i, depth)
	case "managementEvent":
		return w.boolValue(&w.f.managementEvent, i, depth)
	case "userIdentity":
		if w.b[i] == '{' {
			return w.object(i, depth+1, w.identityMember)
		}
	}
	return skipValue(w.b, i, depth+1)
}

func (w *fieldScan) identityMember(name []byte, i, depth int) (int, error) {
	switch string(name) {
	case "type":
		return w.stringValue(selIdentityType, i, depth)
	case "invokedBy":
		return w.stringValue(selInvokedBy, i, depth)
	}
	return skipValue(w.b, i, depth+1)
}

// stringValue records the value at b[i] when it is a string; any other value leaves the field absent, as a
// string condition cannot hold for it.
func (w *fieldScan) stringValue(field stringField, i, depth int) (int, error) {
	b := w.b
	if b[i] != '"' {
		w.f.has[field] = false
		return skipValue(b, i, depth+1)
	}
	end, err := stringEnd(b, i)
	if err != nil {
		return 0, err
	}
	v := b[i+1 : end-1]
	if bytes.IndexByte(v, '\\') >= 0 {
		// Rare: unescape exactly as the record parser would, on a scanner over the string alone.
		sc := scanner{buf: b[i:end], end: end - i, readErr: io.EOF}
		if v, err = sc.readStringBytes(); err != nil {
			return 0, syntaxErr("invalid string")
		}
	}
	w.f.strs[field], w.f.has[field] = v, true
	return end, nil
}

// boolValue records a JSON boolean (or the strings "true" and "false").
func (w *fieldScan) boolValue(dst *tristate, i, depth int) (int, error) {
	b := w.b
	*dst = absent
	switch {
	case hasLiteral(b, i, "true"):
		*dst = isTrue
		return i + 4, nil
	case hasLiteral(b, i, "false"):
		*dst = isFalse
		return i + 5, nil
	case hasLiteral(b, i, `"true"`):
		*dst = isTrue
		return i + 6, nil
	case hasLiteral(b, i, `"false"`):
		*dst = isFalse
		return i + 7, nil
	}
	return skipValue(b, i, depth+1)
}

func hasLiteral(b []byte, i int, lit string) bool {
	return len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// stringEnd returns the index just past the string that starts at b[i] ('"').
func stringEnd(b []byte, i int) (int, error) {
	i++
	for {
		if i >= len(b) {
			return 0, errIncomplete
		}
		// The closing quote candidate, then whether an escape comes before it (both searches are vectorised).
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			return 0, errIncomplete
		}
		e := bytes.IndexByte(b[i:i+q], '\\')
		if e < 0 {
			return i + q + 1, nil
		}
		i += e + 2 // past the escaped byte; \uXXXX digits are plain bytes
	}
}

// skipValue returns the index just past the value that starts at b[i]. Containers are skipped by their
// structure (strings and brackets): a mismatched bracket is reported, but the tokens between them are only checked
// when a kept record is parsed. A dropped record is therefore checked for its structure, not its every token.
func skipValue(b []byte, i, depth int) (int, error) {
	switch c := b[i]; c {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		return skipContainer(b, i, depth)
	}
	if c := b[i]; c != '-' && (c < '0' || c > '9') && c != 't' && c != 'f' && c != 'n' {
		return 0, syntaxErr("expected a value")
	}
	for i++; i < len(b); i++ {
		switch b[i] {
		case ',', '}', ']', ' ', '\n', '\r', '\t':
			return i, nil
		}
	}
	return 0, errIncomplete
}

func skipContainer(b []byte, i, depth int) (int, error) {
	var stack [64]byte // closing brackets expected; deeper nesting keeps a heap slice
	closers := stack[:0]
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			end, err := stringEnd(b, i)
			if err != nil {
				return 0, err
			}
			i = end
			continue
		case '{', '[':
			if depth+len(closers) >= maxDepth {
				return 0, errTooDeep
			}
			closers = append(closers, c+2) // '{'+2 == '}', '['+2 == ']'
		case '}', ']':
			if closers[len(closers)-1] != c {
				return 0, syntaxErr("mismatched bracket")
			}
			closers = closers[:len(closers)-1]
			if len(closers) == 0 {
				return i + 1, nil
			}
		}
		i++
	}
	return 0, errIncomplete
}

// syntaxErr is a malformed record found by the field scan; the decoder turns it into ErrCorrupt with its offset.
type syntaxErr string

func (e syntaxErr) Error() string { return string(e) }
