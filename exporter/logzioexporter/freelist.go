// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"

import "sync"

// keptBuffers is how many of each reused thing (document groups, request bodies, gzip writers) a freeList keeps: a
// batch's documents usually fill one group, and each request being sent holds one group, one body and one writer.
// The shipped config's 16 consumers rarely have more than a few requests compressing at once on a small machine.
const keptBuffers = 8

// freeList keeps up to max values for reuse: the megabyte buffers of a batch's documents and request body, and the
// gzip writers. Not a sync.Pool: a value put back by a goroutine running on one P is left in that P's private slot,
// which a Get on another P never looks at, and the GC empties the pool every other cycle; with a batch of 2,000
// CloudTrail records per request, about 40 % of the batches got a fresh ~3 MB buffer (allocated and zeroed) instead
// of the one the last batch released (BenchmarkDecodeToLogzio). max bounds what an idle exporter holds.
type freeList[T any] struct {
	mu    sync.Mutex
	items []T
	max   int
}

func newFreeList[T any](max int) *freeList[T] {
	return &freeList[T]{max: max}
}

// get returns the value put back last, or ok false when the list is empty.
func (l *freeList[T]) get() (v T, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.items); n > 0 {
		v, ok = l.items[n-1], true
		var zero T
		l.items[n-1] = zero
		l.items = l.items[:n-1]
	}
	return v, ok
}

// put keeps v for a later get, unless the list is full (v is then left to the garbage collector).
func (l *freeList[T]) put(v T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.items) < l.max {
		l.items = append(l.items, v)
	}
}
