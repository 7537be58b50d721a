// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

// Slot states.
const (
	slotClean   uint8 = iota // key is written as is
	slotRewrite              // key must be rewritten (dots, invalid UTF-8, blank, too long)
	slotDropped              // a higher-precedence source already has this name
	slotSplice               // a JSON body's members written whole (see plan): its keys are in the outer keySet
)

// keySlot is one field of an object being written: its key and the key's state. A
// slot in state slotRewrite holds the original key until resolveKeys gives it the key
// to write.
type keySlot struct {
	key   string
	state uint8
}

// linearLimit is the object size up to which name look-ups scan the slots; larger
// objects use a map.
const linearLimit = 48

// resolveKeys gives every slot of slots[srcStart:srcEnd] its final key. Slots in
// slots[base:srcStart] belong to higher-precedence sources and are already resolved:
// a name they hold wins and the slot of the lower source is dropped. Within the source,
// a key that needs no rewriting keeps its name and a rewritten key that collides gets
// the first free suffix `_1`, `_2`, …. Names in outer (nil: none) belong to a higher source
// too: the top-level keys of a JSON body written whole.
func resolveKeys(slots []keySlot, base, srcStart, srcEnd int, arena *keyArena, outer *keySet) {
	var higher, all map[string]struct{}
	if srcEnd-base > linearLimit {
		higher = make(map[string]struct{}, srcStart-base)
		for i := base; i < srcStart; i++ {
			if slots[i].state == slotClean {
				higher[slots[i].key] = struct{}{}
			}
		}
	}
	takenByHigher := func(k string) bool {
		if outer.has(k) {
			return true
		}
		if higher != nil {
			_, ok := higher[k]
			return ok
		}
		return slotsHold(slots[base:srcStart], k)
	}

	rewrites := 0
	for i := srcStart; i < srcEnd; i++ {
		s := &slots[i]
		switch {
		case s.state == slotRewrite:
			rewrites++
		case s.state == slotClean && srcStart > base && takenByHigher(s.key):
			s.state = slotDropped
		}
	}
	if rewrites == 0 {
		return
	}

	if higher != nil {
		all = make(map[string]struct{}, srcEnd-base)
		for k := range higher {
			all[k] = struct{}{}
		}
		for i := srcStart; i < srcEnd; i++ {
			if slots[i].state == slotClean {
				all[slots[i].key] = struct{}{}
			}
		}
	}
	taken := func(k string) bool {
		if outer.has(k) {
			return true
		}
		if all != nil {
			_, ok := all[k]
			return ok
		}
		return slotsHold(slots[base:srcEnd], k)
	}

	var nextSuffix map[string]int
	for i := srcStart; i < srcEnd; i++ {
		s := &slots[i]
		if s.state != slotRewrite {
			continue
		}
		candidate := arena.rewrite(s.key)
		if srcStart > base && takenByHigher(candidate) {
			s.state = slotDropped
			continue
		}
		key := candidate
		if taken(key) {
			// Remember the next suffix to try per candidate, so that many keys
			// rewritten to one name cost linear, not quadratic, time.
			if nextSuffix == nil {
				nextSuffix = make(map[string]int)
			}
			n := max(nextSuffix[candidate], 1)
			for key = arena.suffixed(candidate, n); taken(key); key = arena.suffixed(candidate, n) {
				n++
			}
			nextSuffix[candidate] = n + 1
		}
		s.key = key
		s.state = slotClean
		if all != nil {
			all[key] = struct{}{}
		}
	}
}

// slotsHold reports whether a resolved, kept slot already has key k.
func slotsHold(slots []keySlot, k string) bool {
	for i := range slots {
		if slots[i].state == slotClean && slots[i].key == k {
			return true
		}
	}
	return false
}
