// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

// stringCache maps raw bytes of the current batch (names, dimension keys and values) to values derived from them,
// such as interned strings. A small direct-mapped front cache, indexed by a cheap hash of the bytes, answers repeated
// look-ups without hashing into the map; the map holds at most maxInterned entries, after which values are still
// computed, just not cached. The zero value is ready to use; nothing is allocated until the first put.
type stringCache[V any] struct {
	front *[stringCacheFront]cacheEntry[V]
	all   map[string]cacheEntry[V]
}

const stringCacheFront = 128

type cacheEntry[V any] struct {
	key   string
	value V
}

// get returns the value cached for raw.
func (c *stringCache[V]) get(raw []byte) (V, bool) {
	if c.front == nil {
		var zero V
		return zero, false
	}
	if len(raw) > 0 {
		// A front slot holds a non-empty key only once it was cached.
		if slot := &c.front[frontIndex(raw)]; slot.key == string(raw) {
			return slot.value, true
		}
	}
	if e, ok := c.all[string(raw)]; ok {
		if len(raw) > 0 {
			c.front[frontIndex(raw)] = e
		}
		return e.value, true
	}
	var zero V
	return zero, false
}

// put caches value for key (a string holding the raw bytes) and returns value.
func (c *stringCache[V]) put(key string, value V) V {
	if c.all == nil {
		c.front = new([stringCacheFront]cacheEntry[V])
		c.all = make(map[string]cacheEntry[V])
	}
	if len(c.all) < maxInterned {
		e := cacheEntry[V]{key: key, value: value}
		c.all[key] = e
		if key != "" {
			c.front[frontIndex(key)] = e
		}
	}
	return value
}

// frontIndex hashes the length and the last 8 bytes (Fibonacci hashing): names and resource ids usually differ near
// their end.
func frontIndex[T string | []byte](raw T) int {
	tail := uint64(len(raw))
	for i := max(0, len(raw)-8); i < len(raw); i++ {
		tail = tail<<8 | uint64(raw[i])
	}
	return int((tail * 0x9e3779b97f4a7c15) >> (64 - 7))
}
