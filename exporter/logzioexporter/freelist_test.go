// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"context"
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

// A batch's documents are written into a buffer sized for the whole batch up front: append would otherwise copy the
// lines already written at every growth (megabytes per batch of CloudTrail records).
func TestBatchBufferIsSizedUpFront(t *testing.T) {
	drainFreeGroups()
	h := newHarness(t)
	e, err := newLogsExporter(testConfig("http://127.0.0.1:1", "http://127.0.0.1:1"), h.settings(), mustTelemetry(t, h))
	require.NoError(t, err)

	// The first batch, before any line size was measured: the guess holds these 1.4 KB documents.
	first := e.buildDocuments(context.Background(), numberedLogs(50, 1400, nil))
	require.Len(t, first, 1)
	assert.Equal(t, 50*firstLineBytes, cap(first[0].buf), "the first batch's buffer did not grow")
	first[0].release()

	// Later batches are sized from the measured line size, with a margin: 100 lines of 3 KB do not fit the first
	// buffer, so a new one holds them all without growing.
	e.lineBytes.Store(3100)
	second := e.buildDocuments(context.Background(), numberedLogs(100, 3000, nil))
	require.Len(t, second, 1)
	assert.Equal(t, 100*3100*5/4, cap(second[0].buf), "the buffer was sized from the measured line size and did not grow")
	assert.Less(t, len(second[0].buf), cap(second[0].buf))
	second[0].release()
}
