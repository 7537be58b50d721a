// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import "hash/maphash"

// Firehose may deliver the same record twice in one request. Decoding it twice would give every series two identical
// samples (same labels, same timestamp), which Prometheus remote write sends twice or rejects. A batch therefore
// remembers what it decoded, by a 64-bit keyed hash (hash/maphash, seeded per Decoder so that no one can build
// colliding inputs; an accidental collision among a request's ~10^5 lines has a probability near 10^-10):
//
//   - JSON: every metric line (the bytes of its object), so that a line identical to one already decoded in the
//     request adds nothing, whether it is repeated inside a record or in another record;
//   - OpenTelemetry 0.7 and 1.0: every whole record, so that a record identical to one already decoded adds nothing.
//     Their data points have no delimited text of their own to compare (a point's bytes depend on the message it is
//     in), so the same point inside two different records is not detected.
//
// The hashes of a record are only kept when the record is accepted: a malformed record leaves the batch unchanged.
// Hashing costs about 30 ns per JSON line (12 bytes/ns) and the set about 15 ns.

// firstLine reports whether the JSON metric line was not decoded before in the batch, and remembers it (until
// forgetLines, if the record is not accepted).
func (b *Batch) firstLine(line []byte) bool {
	h := maphash.Bytes(b.d.seed, line)
	if !b.seenLines.add(h) {
		return false
	}
	b.rec.lineHashes = append(b.rec.lineHashes, h)
	return true
}

// forgetLines removes the lines of the current record from the batch's set: the record is not accepted.
func (b *Batch) forgetLines() {
	for _, h := range b.rec.lineHashes {
		b.seenLines.remove(h)
	}
	b.rec.lineHashes = b.rec.lineHashes[:0]
}

// discardRecord drops what was decoded of the current record, to decode it another way or to reject it.
func (b *Batch) discardRecord() {
	b.forgetLines()
	b.rec.reset()
}

// firstRecord reports whether an OpenTelemetry record with these bytes was not accepted before in the batch, and
// remembers it. It is called once the record is decoded, so that only accepted records are remembered.
func (b *Batch) firstRecord(data []byte) bool {
	return b.seenRecords.add(maphash.Bytes(b.d.seed, data))
}

// hashSet is a set of 64-bit hashes: an open-addressing table with linear probing, several times cheaper than a Go
// map for this one job (one probe sequence finds or inserts). The zero value is an empty set.
type hashSet struct {
	slots []uint64 // hashSlotEmpty, hashSlotDeleted or a normalised hash; the length is 0 or a power of two
	used  int      // slots that are not empty (deleted ones included: they lengthen probe sequences)
}

const (
	hashSlotEmpty   = 0
	hashSlotDeleted = 1
	// hashSetMinSlots is the first table size: a record of a few hundred lines fits without growing.
	hashSetMinSlots = 512
)

// normalise maps the two reserved values onto others (which makes 0, 1 and 2, 3 collide: harmless at 2^-63).
func normalise(h uint64) uint64 {
	if h <= hashSlotDeleted {
		h += 2
	}
	return h
}

// add inserts h and reports whether it was absent.
func (s *hashSet) add(h uint64) bool {
	h = normalise(h)
	if 2*(s.used+1) > len(s.slots) {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case h:
			return false
		case hashSlotEmpty:
			s.slots[i] = h
			s.used++
			return true
		}
	}
}

// remove deletes h (present or not).
func (s *hashSet) remove(h uint64) {
	if len(s.slots) == 0 {
		return
	}
	h = normalise(h)
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; s.slots[i] != hashSlotEmpty; i = (i + 1) & mask {
		if s.slots[i] == h {
			s.slots[i] = hashSlotDeleted
			return
		}
	}
}

// live returns the number of hashes in the set.
func (s *hashSet) live() int {
	n := 0
	for _, v := range s.slots {
		if v > hashSlotDeleted {
			n++
		}
	}
	return n
}

// grow doubles the table, or rebuilds it at the same size when deleted slots filled it, leaving it at most a quarter
// full and without deleted slots.
func (s *hashSet) grow() {
	live := s.live()
	size := max(hashSetMinSlots, len(s.slots))
	for 4*live > size {
		size *= 2
	}
	old := s.slots
	s.slots, s.used = make([]uint64, size), live
	mask := uint64(size - 1)
	for _, h := range old {
		if h <= hashSlotDeleted {
			continue
		}
		i := h & mask
		for s.slots[i] != hashSlotEmpty {
			i = (i + 1) & mask
		}
		s.slots[i] = h
	}
}
