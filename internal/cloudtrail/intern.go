// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"encoding/binary"
	"math/bits"
	"strings"
)

// internTable returns one shared string for repeated object keys and for the values of fields that repeat across
// records (event source, region, account, identity…), so a record costs one allocation per distinct string
// instead of one per occurrence. Both tables are bounded.
type internTable struct {
	keys   stringTable
	values stringTable
	// record is the context of the top-level record objects (see keyInfo.firstChild).
	record keyInfo
}

// keyInfo describes one member name. CloudTrail records repeat the same members in the same order, so each
// keyInfo also remembers what followed it last time: the parser compares the next name with that prediction
// (a length check and a memcmp) and only hashes on a miss.
type keyInfo struct {
	key string
	// internValue is set for keys whose values repeat across records (see repeatedValueKeys).
	internValue bool
	// plain is set when the name has no '"' or '\\': its JSON form is then the name between quotes, which the
	// parser can match in place (scanner.consumeQuoted).
	plain bool
	// field is the record field this name stands for at the top level of a record (see scanFields).
	field fieldID
	// next is the member name that followed this one in the same object last time.
	next *keyInfo
	// firstChild is the first member name of the last object (or object in an array) that was this key's value.
	firstChild *keyInfo
	// lastValue is the last string value of this key (internValue keys only).
	lastValue string
	// seen and missed count the values of the current sampling window and those not found interned: a key
	// whose values turn out mostly distinct (addresses, timestamps, request IDs) stops being interned.
	seen, missed uint32
}

// internSampleWindow is the number of values after which a key's intern hit rate is judged.
const internSampleWindow = 512

// countValue records one interned-value lookup of k and turns interning off for k when more than half of the
// lookups of a window missed: such values only fill the table (evicting useful ones) and cost a hash each.
// The decision lasts as long as the decoder's pooled state.
func (k *keyInfo) countValue(missed bool) {
	k.seen++
	if missed {
		k.missed++
	}
	if k.seen == internSampleWindow {
		if k.missed > internSampleWindow/2 {
			k.internValue = false
		}
		k.seen, k.missed = 0, 0
	}
}

const (
	maxInternedKeys     = 2048
	maxInternedKeyLen   = 128
	maxInternedValues   = 1024
	maxInternedValueLen = 256
)

// repeatedValueKeys are CloudTrail fields (at any depth) whose values take few distinct values in a stream.
var repeatedValueKeys = map[string]bool{
	"eventVersion": true, "eventSource": true, "eventName": true, "awsRegion": true, "sourceIPAddress": true,
	"userAgent": true, "eventType": true, "eventCategory": true, "recipientAccountId": true, "apiVersion": true,
	"errorCode": true, "vpcEndpointId": true, "vpcEndpointAccountId": true, "sessionCredentialFromConsole": true,
	"type": true, "principalId": true, "arn": true, "ARN": true, "accountId": true, "userName": true,
	"invokedBy": true, "accessKeyId": true, "mfaAuthenticated": true, "tlsVersion": true, "cipherSuite": true,
	"clientProvidedHostHeader": true, "SignatureVersion": true, "CipherSuite": true, "AuthenticationMethod": true,
	"bucketName": true, "Host": true, "creationDate": true,
}

func newInternTable() *internTable {
	t := &internTable{}
	t.keys.init(maxInternedKeys)
	t.values.init(maxInternedValues)
	return t
}

func (t *internTable) key(b []byte) *keyInfo {
	h := hashBytes(b)
	if e := t.keys.find(b, h); e != nil {
		return e.info
	}
	s := string(b)
	k := &keyInfo{key: s, internValue: repeatedValueKeys[s], field: recordFieldIDs[s], plain: !strings.ContainsAny(s, `"\\`)}
	if len(b) <= maxInternedKeyLen && !t.keys.full() {
		t.keys.insert(s, h, k)
	}
	return k
}

// stringValue returns the string for the bytes of a value of key k, shared with earlier equal values when the
// key's values repeat.
func (t *internTable) stringValue(k *keyInfo, b []byte) string {
	if !k.internValue {
		return string(b)
	}
	if k.lastValue == string(b) {
		k.countValue(false)
		return k.lastValue
	}
	s, found := t.value(b)
	k.countValue(!found)
	k.lastValue = s
	return s
}

// value returns the interned string equal to b and true, or a new string (interned when short) and false.
func (t *internTable) value(b []byte) (string, bool) {
	if len(b) > maxInternedValueLen {
		return string(b), false
	}
	h := hashBytes(b)
	if e := t.values.find(b, h); e != nil {
		return e.s, true
	}
	s := string(b)
	if t.values.full() {
		t.values.clear() // values drift over a long stream: start over rather than freeze on old ones
	}
	t.values.insert(s, h, nil)
	return s, false
}

// stringTable is an open-addressing set of strings, looked up by bytes without allocating. It is several
// times faster than a Go map for this use because the hash is cheap and probes compare a stored hash first.
type stringTable struct {
	slots []tableEntry
	count int
	limit int
}

type tableEntry struct {
	s    string
	hash uint32 // 0 marks an empty slot (hashes are forced non-zero)
	info *keyInfo
}

func (t *stringTable) init(limit int) {
	t.limit = limit
	t.slots = make([]tableEntry, 1<<bits.Len(uint(limit*2-1))) // load factor <= 1/2
}

func (t *stringTable) full() bool { return t.count >= t.limit }

func (t *stringTable) clear() {
	clear(t.slots)
	t.count = 0
}

func (t *stringTable) find(b []byte, h uint32) *tableEntry {
	mask := uint32(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		e := &t.slots[i]
		if e.hash == 0 {
			return nil
		}
		if e.hash == h && e.s == string(b) {
			return e
		}
	}
}

func (t *stringTable) insert(s string, h uint32, info *keyInfo) {
	mask := uint32(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		if t.slots[i].hash == 0 {
			t.slots[i] = tableEntry{s: s, hash: h, info: info}
			t.count++
			return
		}
	}
}

// hashBytes is a fast non-cryptographic hash (8 bytes per step); never returns 0.
func hashBytes(b []byte) uint32 {
	const m = 0x9E3779B97F4A7C15
	h := uint64(len(b)) * m
	for len(b) >= 8 {
		h = bits.RotateLeft64((h^binary.LittleEndian.Uint64(b))*m, 29)
		b = b[8:]
	}
	if len(b) > 0 {
		var tail uint64
		for i := len(b) - 1; i >= 0; i-- {
			tail = tail<<8 | uint64(b[i])
		}
		h = bits.RotateLeft64((h^tail)*m, 29)
	}
	h ^= h >> 32
	h *= m
	v := uint32(h >> 32)
	if v == 0 {
		v = 1
	}
	return v
}
