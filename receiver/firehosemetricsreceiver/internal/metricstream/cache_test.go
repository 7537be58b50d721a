// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStringCache(t *testing.T) {
	var c stringCache[int]
	_, ok := c.get([]byte("a"))
	assert.False(t, ok, "empty cache")
	_, ok = c.get(nil)
	assert.False(t, ok, "empty key in an empty cache")

	// More keys than front slots: every key is still found (from the map after a front collision).
	for i := range 4 * stringCacheFront {
		assert.Equal(t, i, c.put(fmt.Sprintf("i-%012x", i), i))
	}
	for round := range 2 {
		for i := range 4 * stringCacheFront {
			v, ok := c.get([]byte(fmt.Sprintf("i-%012x", i)))
			assert.True(t, ok, "round %d key %d", round, i)
			assert.Equal(t, i, v)
		}
	}
	_, ok = c.get([]byte("i-absent"))
	assert.False(t, ok)
	_, ok = c.get(nil)
	assert.False(t, ok, "a zero front slot is not the empty key")
	c.put("", 42)
	v, ok := c.get([]byte{})
	assert.True(t, ok)
	assert.Equal(t, 42, v)
}

func TestStringCacheBound(t *testing.T) {
	var c stringCache[string]
	for i := range maxInterned + 10 {
		c.put(fmt.Sprint(i), "v")
	}
	assert.Len(t, c.all, maxInterned, "values past the bound are returned but not cached")
	assert.Equal(t, "w", c.put("extra", "w"))
	_, ok := c.get([]byte("extra"))
	assert.False(t, ok)
}
