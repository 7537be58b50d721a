// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

import (
	"crypto/sha256"
	"encoding/binary"
	"sync"
	"time"
)

// dedupCapacity bounds how many accepted requests are remembered (about 150 bytes each, whatever the size of the
// headers they came with: see requestKey).
const dedupCapacity = 16384

// requestKey identifies a request by its delivery stream (source ARN) and its request id. It is a SHA-256 digest, so
// every remembered request costs the same few bytes however long the client made those headers.
type requestKey [sha256.Size]byte

// dedupVerdict is what the receiver should do with a request, given the ones it saw lately.
type dedupVerdict int

const (
	dedupNew      dedupVerdict = iota // not seen: deliver it
	dedupAccepted                     // accepted within the window: answer 200 again without delivering
	dedupInFlight                     // being delivered right now: answer 503, Firehose retries
)

// requestDedup remembers the Firehose requests this receiver accepted lately, by source stream and request id.
// Firehose reuses the request id when it retries a batch, and it retries after a timeout or a lost answer even when
// the batch was in fact accepted; answering such a retry 200 without delivering it again keeps the metrics from being
// counted twice. A nil *requestDedup (dedup_window: 0) remembers nothing.
type requestDedup struct {
	window time.Duration
	now    func() time.Time

	mu       sync.Mutex
	accepted map[requestKey]time.Time
	ring     []dedupEntry // accepted requests in the order they were accepted, at most dedupCapacity
	next     int          // the oldest entry once the ring is full
	inFlight map[requestKey]struct{}
}

type dedupEntry struct {
	key requestKey
	at  time.Time
}

func newRequestDedup(window time.Duration, capacity int, now func() time.Time) *requestDedup {
	if window <= 0 {
		return nil
	}
	return &requestDedup{
		window:   window,
		now:      now,
		accepted: make(map[requestKey]time.Time),
		ring:     make([]dedupEntry, 0, capacity),
		inFlight: make(map[requestKey]struct{}),
	}
}

// dedupKey is the requestKey of a request: the digest of its source ARN, length-prefixed so that no two
// (source ARN, request id) pairs share an input, and its request id.
func dedupKey(sourceARN, requestID string) requestKey {
	h := sha256.New()
	var length [8]byte
	binary.BigEndian.PutUint64(length[:], uint64(len(sourceARN)))
	_, _ = h.Write(length[:])
	_, _ = h.Write([]byte(sourceARN))
	_, _ = h.Write([]byte(requestID))
	var key requestKey
	h.Sum(key[:0])
	return key
}

// begin returns the verdict for key; dedupNew also marks it in flight until end is called.
func (d *requestDedup) begin(key requestKey) dedupVerdict {
	if d == nil {
		return dedupNew
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if at, ok := d.accepted[key]; ok {
		if d.now().Sub(at) <= d.window {
			return dedupAccepted
		}
		delete(d.accepted, key)
	}
	if _, ok := d.inFlight[key]; ok {
		return dedupInFlight
	}
	d.inFlight[key] = struct{}{}
	return dedupNew
}

// end closes what begin opened: an accepted request is remembered for the window, any other answer lets the retry
// be delivered.
func (d *requestDedup) end(key requestKey, accepted bool) {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.inFlight, key)
	if !accepted {
		return
	}
	at := d.now()
	entry := dedupEntry{key: key, at: at}
	if len(d.ring) < cap(d.ring) {
		d.ring = append(d.ring, entry)
	} else {
		oldest := d.ring[d.next]
		if d.accepted[oldest.key] == oldest.at {
			delete(d.accepted, oldest.key)
		}
		d.ring[d.next] = entry
		d.next = (d.next + 1) % len(d.ring)
	}
	d.accepted[key] = at
}
