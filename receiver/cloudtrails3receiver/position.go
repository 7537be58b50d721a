// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"slices"
	"sync"
	"time"
)

// position tracks how far one account/region subtree has been read. Objects of a subtree are read in parallel and
// finish in any order; the watermark only moves to a key once that key and every older key handed out are done, so a
// restart from the watermark never loses a file. Keys done ahead of the watermark, and keys inside the look-back
// window, are remembered so that the next listing does not read them twice.
//
// position holds no I/O; the poller lists, the workers read, and both report here.
type position struct {
	subtree subtree

	mu            sync.Mutex
	watermark     string
	watermarkTime time.Time
	newestTime    time.Time
	listedAt      time.Time            // end of the last complete listing (zero until the first)
	done          map[string]time.Time // key → file-name time (zero for keys that are not trail files)
	ahead         map[string]time.Time // the done keys after the watermark: the only candidates to move it
	recent        map[string]struct{}  // done trail files not yet in the stored base set (see checkpointParts)
	setChanged    bool                 // the done trail files differ from the stored base set
	pending       map[string]struct{}  // handed to a worker, or failed and waiting for the next poll
	failures      map[string]int       // pending keys whose last read failed → number of failed reads
	firstFailure  map[string]time.Time // pending keys whose last read failed → wall-clock time of their first failure
	seen          map[string]struct{}  // pending keys seen by the listing in progress
	now           func() time.Time     // wall clock; a field so tests can move it

	// saveMu orders checkpoint writes: a snapshot taken later is never overwritten by an earlier one.
	saveMu sync.Mutex
	// baseStale says the last write failed: the next one stores the whole done set again. Guarded by saveMu.
	baseStale bool
	// commitMu guards writing (a worker is writing the position) and dirty (objects finished since that write's
	// snapshot): see poller.saveCoalesced.
	commitMu sync.Mutex
	writing  bool
	dirty    bool
}

func newPosition(s subtree, cp subtreeCheckpoint) *position {
	p := &position{
		subtree:       s,
		watermark:     cp.Watermark,
		watermarkTime: cp.WatermarkTime,
		newestTime:    cp.NewestTime,
		done:          make(map[string]time.Time, len(cp.Done)),
		ahead:         map[string]time.Time{},
		recent:        map[string]struct{}{},
		pending:       map[string]struct{}{},
		failures:      map[string]int{},
		firstFailure:  map[string]time.Time{},
		now:           positionClock,
	}
	// The loaded keys may be in the stored document's recent part: the first listing stores them all as the base.
	p.setChanged = len(cp.Done) > 0
	for _, k := range cp.Done {
		t := keyTime(s, k)
		p.done[k] = t
		if k > p.watermark {
			p.ahead[k] = t
		}
	}
	return p
}

// keyTime is the file-name time of a key of the subtree, or the zero time when it is not a trail file name.
func keyTime(s subtree, key string) time.Time {
	lf, err := parseLogKey(s.Prefix, key)
	if err != nil || lf.Subtree != s {
		return time.Time{}
	}
	return lf.Time
}

// beginListing returns the StartAfter key of the next listing: look_back before the watermark's file-name time, never
// before start. Done keys the listing cannot return any more are forgotten, which keeps the state bounded.
func (p *position) beginListing(start time.Time, lookBack time.Duration) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	from := start
	if !p.watermarkTime.IsZero() {
		if t := p.watermarkTime.Add(-lookBack); t.After(from) {
			from = t
		}
	}
	startAfter := p.subtree.startAfter(from.Truncate(time.Minute))
	for k := range p.done {
		if k <= startAfter {
			if !p.done[k].IsZero() {
				p.setChanged = true
			}
			delete(p.done, k)
			delete(p.recent, k)
		}
	}
	p.seen = map[string]struct{}{}
	return startAfter
}

type claimResult int

const (
	claimRead   claimResult = iota // hand the key to a worker
	claimDone                      // already read (or skipped): nothing to do
	claimBusy                      // a worker has it
	claimGiveUp                    // it failed on every poll for a long time while newer files were read: give up
)

// positionClock is the wall clock new positions use. Tests replace it before they start a receiver.
var positionClock = time.Now

// giveUpAfterFailures is how many failed reads an object needs, at the least, before it can be given up.
const giveUpAfterFailures = 5

// claim decides what to do with a listed trail file. A key that failed before is read again. It is given up only
// when all of these hold, so that one unreadable object cannot hold the subtree's state forever while a transient
// error (a reset connection, a throttled burst) never costs a file, even during a backlog wider than lookBack:
//   - files delivered more than lookBack after it have been read meanwhile;
//   - its read failed giveUpAfterFailures times or more;
//   - lookBack of wall-clock time has passed since its first failure.
func (p *position) claim(key string, t time.Time, lookBack time.Duration) claimResult {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.done[key]; ok {
		return claimDone
	}
	if p.seen != nil {
		p.seen[key] = struct{}{}
	}
	if _, ok := p.pending[key]; ok {
		if _, failed := p.failures[key]; !failed {
			return claimBusy
		}
		if p.newestTime.Sub(t) > lookBack && p.failures[key] >= giveUpAfterFailures &&
			p.now().Sub(p.firstFailure[key]) >= lookBack {
			return claimGiveUp
		}
	}
	p.pending[key] = struct{}{}
	return claimRead
}

// endListing forgets failed keys the finished listing should have returned but did not (deleted objects), so they do
// not hold the watermark, and records when a complete listing ended. lastKey is the last key the listing looked at;
// complete says it reached the end.
func (p *position) endListing(lastKey string, complete bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k := range p.failures {
		if _, ok := p.seen[k]; ok || (!complete && k > lastKey) {
			continue
		}
		delete(p.failures, k)
		delete(p.firstFailure, k)
		delete(p.pending, k)
	}
	p.seen = nil
	if complete {
		p.listedAt = time.Now()
	}
	p.advance()
}

// lastListing is when the last complete listing ended, zero before the first.
func (p *position) lastListing() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.listedAt
}

// markDone records a key as finished: read, skipped or given up. t is its file-name time (zero for non-trail keys).
func (p *position) markDone(key string, t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.pending, key)
	delete(p.failures, key)
	delete(p.firstFailure, key)
	p.done[key] = t
	if key > p.watermark {
		p.ahead[key] = t
	}
	if !t.IsZero() {
		p.recent[key] = struct{}{}
		p.setChanged = true
	}
	if t.After(p.newestTime) {
		p.newestTime = t
	}
	p.advance()
}

// markFailed records that reading a key failed in a way worth retrying; it stays pending and holds the watermark.
func (p *position) markFailed(key string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.firstFailure[key]; !ok {
		p.firstFailure[key] = p.now()
	}
	p.failures[key]++
	return p.failures[key]
}

// release forgets a key that was handed out but not finished (shutdown): the next run reads it again.
func (p *position) release(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.pending, key)
	delete(p.failures, key)
	delete(p.firstFailure, key)
}

// advance moves the watermark to the newest done key that has no pending key before it. Only done keys after the
// watermark can become it, so the cost is that of the keys done ahead of an older pending one (few), not of the
// look-back window. Called with mu held.
func (p *position) advance() {
	oldestPending := ""
	for k := range p.pending {
		if oldestPending == "" || k < oldestPending {
			oldestPending = k
		}
	}
	candidate := p.watermark
	for k := range p.ahead {
		if k > candidate && (oldestPending == "" || k < oldestPending) {
			candidate = k
		}
	}
	if candidate == p.watermark {
		return
	}
	p.watermark = candidate
	for k, t := range p.ahead {
		if k <= candidate {
			if t.After(p.watermarkTime) {
				p.watermarkTime = t
			}
			delete(p.ahead, k)
		}
	}
}

// compactAfter is how many trail files may be done since the stored base set before the next write stores the whole
// set again: each write in between stores at most this many keys, so its cost does not grow with the look-back window.
const compactAfter = 256

// checkpointParts is the state to persist. Trail files done inside the look-back window are stored in two parts: a
// base set, stored again only every compactAfter files (and at each listing), and the files done since, stored with
// every checkpoint. withBase says whether this write must store the base again: base then holds every done trail
// file, and the recent part (cp.Done) starts empty. Keys that are not trail files are not stored: after a restart
// they are listed and skipped again, which costs nothing.
func (p *position) checkpointParts(forceBase bool) (cp subtreeCheckpoint, base []string, withBase bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	cp = subtreeCheckpoint{
		Watermark:     p.watermark,
		WatermarkTime: p.watermarkTime,
		NewestTime:    p.newestTime,
	}
	if forceBase || len(p.recent) >= compactAfter {
		base = make([]string, 0, len(p.done))
		for k, t := range p.done {
			if !t.IsZero() {
				base = append(base, k)
			}
		}
		slices.Sort(base)
		clear(p.recent)
		p.setChanged = false
		return cp, base, true
	}
	cp.Done = make([]string, 0, len(p.recent))
	for k := range p.recent {
		cp.Done = append(cp.Done, k)
	}
	slices.Sort(cp.Done)
	return cp, nil, false
}

// baseChanged says whether the done trail files changed since the base set was last stored.
func (p *position) baseChanged() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.setChanged
}

// newest is the file-name time of the newest file read.
func (p *position) newest() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.newestTime
}
