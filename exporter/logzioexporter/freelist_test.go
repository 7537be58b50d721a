// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFreeListKeepsUpToMax(t *testing.T) {
	l := newFreeList[int](2)
	_, ok := l.get()
	assert.False(t, ok, "an empty list has nothing to give")

	l.put(1)
	l.put(2)
	l.put(3) // over max: dropped
	v, ok := l.get()
	require.True(t, ok)
	assert.Equal(t, 2, v, "the value put back last comes first")
	v, ok = l.get()
	require.True(t, ok)
	assert.Equal(t, 1, v)
	_, ok = l.get()
	assert.False(t, ok, "the value put beyond max was not kept")
}

func TestReleasedGroupIsReusedEmpty(t *testing.T) {
	drainFreeGroups()
	g := newDocGroup("cloudtrail")
	g.buf = append(g.buf, `{"a":1}`...)
	g.endLine(recordRef{record: 3})
	bufCap := cap(g.buf)
	g.release()

	reused := newDocGroup("other")
	assert.Same(t, g, reused, "a released group is handed out again")
	assert.Equal(t, "other", reused.docType)
	assert.Empty(t, reused.buf)
	assert.Empty(t, reused.ends)
	assert.Empty(t, reused.refs)
	assert.Equal(t, bufCap, cap(reused.buf), "its buffer keeps its capacity")
}

func TestHugeGroupIsNotKept(t *testing.T) {
	drainFreeGroups()
	g := newDocGroup("cloudtrail")
	g.buf = make([]byte, 0, maxKeptGroupBytes+1)
	g.release()
	_, ok := freeGroups.get()
	assert.False(t, ok, "a buffer above maxKeptGroupBytes is left to the garbage collector")
}

func drainFreeGroups() {
	for {
		if _, ok := freeGroups.get(); !ok {
			return
		}
	}
}
