// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import "sync"

// recentObjectsCapacity bounds the objects a replica remembers as read in SQS mode (about 200 bytes each).
const recentObjectsCapacity = 16384

// recentObjects is what one replica read lately in SQS mode, and what it is reading now. SQS and S3 notifications are
// at-least-once: a message can arrive twice, S3 can notify twice, a bucket notification and the trail's SNS
// notification can name the same file, and a message retried for one of its objects names the others again. A file
// this replica read or is reading is not read again. Claims are safe to skip: a message whose object is being read
// by another message is deleted, and the other message stays on the queue until that object was accepted.
type recentObjects struct {
	mu       sync.Mutex
	capacity int
	done     map[string]struct{}
	order    []string // done keys, oldest first (a ring of capacity entries)
	next     int
	reading  map[string]struct{}
}

func newRecentObjects(capacity int) *recentObjects {
	return &recentObjects{
		capacity: capacity,
		done:     make(map[string]struct{}, capacity),
		order:    make([]string, 0, capacity),
		reading:  map[string]struct{}{},
	}
}

// claim reports whether the caller should read the object: false when it was read lately or is being read.
func (r *recentObjects) claim(bucket, key string) bool {
	id := bucket + "/" + key
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.done[id]; ok {
		return false
	}
	if _, ok := r.reading[id]; ok {
		return false
	}
	r.reading[id] = struct{}{}
	return true
}

// release ends a claim: read says whether the object was read to the end (remembered as done) or must be read again.
func (r *recentObjects) release(bucket, key string, read bool) {
	id := bucket + "/" + key
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.reading, id)
	if !read {
		return
	}
	if len(r.order) < r.capacity {
		r.order = append(r.order, id)
	} else {
		delete(r.done, r.order[r.next])
		r.order[r.next] = id
		r.next = (r.next + 1) % r.capacity
	}
	r.done[id] = struct{}{}
}
