// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"errors"
	"io"
)

// errUnclean says a record holds something the record parser would change or judge more closely than rawScan does:
// whitespace between tokens, invalid UTF-8, a raw control character, a \u escape of a UTF-16 surrogate, a string or
// member name longer than maxString, an integer beyond 18 digits or a number that might leave the float64 range,
// a literal or number that is not exactly JSON, nesting deeper than maxRawDepth, a member name with an escape where
// fields are read, or a field the decoder reads written twice. Such a record takes the map path, whose parser gives
// it its usual treatment (and its usual error).
var errUnclean = errors.New("record needs the parser")

// maxRawDepth bounds the nesting rawScan follows; deeper records take the map path.
const maxRawDepth = 64

// rawFields holds what the decoder reads from a record taken as it is, besides the event selection fields: the
// values alias the scanned bytes (or, written with escapes, a fresh copy) and are valid until the next record.
type rawFields struct {
	eventTime, identityAccount       []byte
	hasEventTime, hasIdentityAccount bool
}

// rawScan checks one record object in memory, strictly: it accepts exactly the records the record parser would
// build unchanged from their bytes (so that the bytes can stand for the map), and reads the fields the decoder and
// event selection need on the way.
type rawScan struct {
	b         []byte
	f         *eventFields
	r         *rawFields
	maxString int
	seen      uint16 // top-level and userIdentity fields read, to refuse a repeated one
	// escaped says the string str checked last holds an escape (the name being read, in member functions).
	escaped bool
	// closers is value's stack of the brackets to close (value never runs inside value: kept here, it is zeroed
	// once per record instead of once per value).
	closers [maxRawDepth]byte
}

// scanRawRecord checks the record object that starts at b[0] ('{'), fills f and r, and returns its length. It
// returns errIncomplete when b ends inside the record, and errUnclean (or a syntax error) for a record to leave to
// the parser.
func scanRawRecord(b []byte, f *eventFields, r *rawFields, maxString int) (int, error) {
	*f, *r = eventFields{}, rawFields{}
	var w rawScan
	w.b, w.f, w.r, w.maxString = b, f, r, maxString
	return w.object(0, w.topMember)
}

// Bits of rawScan.seen.
const (
	seenEventTime = 1 << iota
	seenRecipient
	seenRegion
	seenErrorCode
	seenIdentity
	seenSource
	seenName
	seenCategory
	seenType
	seenReadOnly
	seenManagement
	seenIdentityType
	seenInvokedBy
	seenIdentityAccount
)

// object walks the object at b[i] ('{') with member reading each member's value; it returns the index after it.
func (w *rawScan) object(i int, member func(name []byte, i int) (int, error)) (int, error) {
	b := w.b
	i++
	if i >= len(b) {
		return 0, errIncomplete
	}
	if b[i] == '}' {
		return i + 1, nil
	}
	for {
		end, err := w.str(i)
		if err != nil {
			return 0, err
		}
		name := b[i+1 : end-1]
		if end >= len(b) {
			return 0, errIncomplete
		}
		if b[end] != ':' {
			return 0, errUnclean
		}
		if i, err = member(name, end+1); err != nil {
			return 0, err
		}
		if i >= len(b) {
			return 0, errIncomplete
		}
		switch b[i] {
		case '}':
			return i + 1, nil
		case ',':
			i++
		default:
			return 0, errUnclean
		}
	}
}

// once marks a field as read, refusing it the second time.
func (w *rawScan) once(bit uint16) error {
	if w.seen&bit != 0 {
		return errUnclean
	}
	w.seen |= bit
	return nil
}

// topMember reads the record's own members, as fieldScan.topMember does for event selection, and the ones the
// decoder needs (eventTime, userIdentity.accountId). Names are compared as written: a name with an escape is
// unclean, as the parser would decode it.
func (w *rawScan) topMember(name []byte, i int) (int, error) {
	if i >= len(w.b) {
		return 0, errIncomplete
	}
	var field stringField
	var bit uint16
	switch string(name) {
	case "eventTime":
		if err := w.once(seenEventTime); err != nil {
			return 0, err
		}
		return w.stringValue(&w.r.eventTime, &w.r.hasEventTime, i)
	case "userIdentity":
		if err := w.once(seenIdentity); err != nil {
			return 0, err
		}
		if w.b[i] == '{' {
			return w.object(i, w.identityMember)
		}
		return w.value(i)
	case "readOnly", "managementEvent":
		dst, bit := &w.f.readOnly, uint16(seenReadOnly)
		if name[0] == 'm' {
			dst, bit = &w.f.managementEvent, seenManagement
		}
		if err := w.once(bit); err != nil {
			return 0, err
		}
		end, err := w.value(i)
		if err == nil {
			*dst = boolOf(w.b[i:end])
		}
		return end, err
	case "eventSource":
		field, bit = selSource, seenSource
	case "eventName":
		field, bit = selName, seenName
	case "eventCategory":
		field, bit = selCategory, seenCategory
	case "eventType":
		field, bit = selType, seenType
	case "errorCode":
		field, bit = selErrorCode, seenErrorCode
	case "awsRegion":
		field, bit = selRegion, seenRegion
	case "recipientAccountId":
		field, bit = selRecipient, seenRecipient
	default:
		if w.escaped {
			return 0, errUnclean
		}
		return w.value(i)
	}
	if err := w.once(bit); err != nil {
		return 0, err
	}
	return w.stringValue(&w.f.strs[field], &w.f.has[field], i)
}

func (w *rawScan) identityMember(name []byte, i int) (int, error) {
	if i >= len(w.b) {
		return 0, errIncomplete
	}
	switch string(name) {
	case "type":
		if err := w.once(seenIdentityType); err != nil {
			return 0, err
		}
		return w.stringValue(&w.f.strs[selIdentityType], &w.f.has[selIdentityType], i)
	case "invokedBy":
		if err := w.once(seenInvokedBy); err != nil {
			return 0, err
		}
		return w.stringValue(&w.f.strs[selInvokedBy], &w.f.has[selInvokedBy], i)
	case "accountId":
		if err := w.once(seenIdentityAccount); err != nil {
			return 0, err
		}
		return w.stringValue(&w.r.identityAccount, &w.r.hasIdentityAccount, i)
	}
	if w.escaped {
		return 0, errUnclean
	}
	return w.value(i)
}

// boolOf reads a JSON boolean, or the strings "true" and "false", as fieldScan.boolValue does.
func boolOf(v []byte) tristate {
	switch string(v) {
	case "true", `"true"`:
		return isTrue
	case "false", `"false"`:
		return isFalse
	}
	return absent
}

// stringValue checks the value at b[i] and, when it is a string, keeps its contents in *dst (unescaped as the
// parser would); any other value leaves the field absent.
func (w *rawScan) stringValue(dst *[]byte, has *bool, i int) (int, error) {
	b := w.b
	if b[i] != '"' {
		*has = false
		return w.value(i)
	}
	end, err := w.str(i)
	if err != nil {
		return 0, err
	}
	v := b[i+1 : end-1]
	if w.escaped {
		sc := scanner{buf: b[i:end], end: end - i, readErr: io.EOF}
		if v, err = sc.readStringBytes(); err != nil { // a fresh slice: sc has no scratch space of its own yet
			return 0, errUnclean
		}
	}
	*dst, *has = v, true
	return end, nil
}

// value checks the value at b[i] and returns the index after it.
func (w *rawScan) value(i int) (int, error) {
	b, closers := w.b, &w.closers
	open := 0
	for {
		// A value starts at b[i].
		if i >= len(b) {
			return 0, errIncomplete
		}
		var err error
		switch c := b[i]; c {
		case '"':
			i, err = w.str(i)
		case '{', '[':
			if open == maxRawDepth {
				return 0, errUnclean
			}
			if i+1 >= len(b) {
				return 0, errIncomplete
			}
			if b[i+1] == c+2 { // '{'+2 == '}', '['+2 == ']': empty
				i += 2
				break
			}
			closers[open] = c + 2
			open++
			i++
			if c == '{' {
				if i, err = w.memberName(i); err != nil {
					return 0, err
				}
			}
			continue
		case 't':
			i, err = literal(b, i, "true")
		case 'f':
			i, err = literal(b, i, "false")
		case 'n':
			i, err = literal(b, i, "null")
		default:
			i, err = number(b, i)
		}
		if err != nil {
			return 0, err
		}
		// After a value: close containers until one continues.
		for {
			if open == 0 {
				return i, nil
			}
			if i >= len(b) {
				return 0, errIncomplete
			}
			c := b[i]
			if c == ',' {
				i++
				if closers[open-1] == '}' {
					if i, err = w.memberName(i); err != nil {
						return 0, err
					}
				}
				break
			}
			if c != closers[open-1] {
				return 0, errUnclean
			}
			open--
			i++
		}
	}
}

// memberName checks a member name at b[i] and its ':', and returns the index of the value.
func (w *rawScan) memberName(i int) (int, error) {
	if i >= len(w.b) {
		return 0, errIncomplete
	}
	end, err := w.str(i)
	if err != nil {
		return 0, err
	}
	if end >= len(w.b) {
		return 0, errIncomplete
	}
	if w.b[end] != ':' {
		return 0, errUnclean
	}
	return end + 1, nil
}
