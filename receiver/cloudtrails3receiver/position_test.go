// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWatermarkAdvancesInKeyOrderOnly(t *testing.T) {
	s := subtree{Account: acctA, Region: "us-east-1"}
	start := base
	p := newPosition(s, subtreeCheckpoint{})
	assert.Equal(t, s.startAfter(start), p.beginListing(start, 15*time.Minute))

	k1 := trailKey("", "", acctA, "us-east-1", base.Add(1*time.Minute), "A")
	k2 := trailKey("", "", acctA, "us-east-1", base.Add(2*time.Minute), "A")
	k3 := trailKey("", "", acctA, "us-east-1", base.Add(3*time.Minute), "A")
	for i, k := range []string{k1, k2, k3} {
		require.Equal(t, claimRead, p.claim(k, base.Add(time.Duration(i+1)*time.Minute), 15*time.Minute))
	}
	assert.Equal(t, claimBusy, p.claim(k2, base.Add(2*time.Minute), 15*time.Minute))

	// k3 and k2 finish before k1: the watermark must stay put, but both are remembered as done.
	p.markDone(k3, base.Add(3*time.Minute))
	p.markDone(k2, base.Add(2*time.Minute))
	cp := fullCheckpoint(p)
	assert.Empty(t, cp.Watermark)
	assert.Equal(t, []string{k2, k3}, cp.Done)
	assert.Equal(t, base.Add(3*time.Minute), cp.NewestTime)

	p.markDone(k1, base.Add(1*time.Minute))
	cp = fullCheckpoint(p)
	assert.Equal(t, k3, cp.Watermark)
	assert.Equal(t, base.Add(3*time.Minute), cp.WatermarkTime)
	p.endListing(k3, true)

	// Resuming from the checkpoint: the next listing starts look_back before the watermark and skips done keys.
	q := newPosition(s, cp)
	startAfter := q.beginListing(start, time.Minute)
	assert.Equal(t, s.startAfter(base.Add(2*time.Minute)), startAfter)
	assert.Equal(t, claimDone, q.claim(k2, base.Add(2*time.Minute), time.Minute))
	assert.Equal(t, claimDone, q.claim(k3, base.Add(3*time.Minute), time.Minute))
	assert.Equal(t, []string{k2, k3}, fullCheckpoint(q).Done, "k1 can no longer be listed and is forgotten")
}

func TestFailedKeyHoldsTheWatermarkAndIsForgottenWhenDeleted(t *testing.T) {
	s := subtree{Account: acctA, Region: "us-east-1"}
	p := newPosition(s, subtreeCheckpoint{})
	p.beginListing(base, 15*time.Minute)
	k1 := trailKey("", "", acctA, "us-east-1", base.Add(1*time.Minute), "A")
	k2 := trailKey("", "", acctA, "us-east-1", base.Add(2*time.Minute), "A")
	require.Equal(t, claimRead, p.claim(k1, base.Add(time.Minute), 15*time.Minute))
	require.Equal(t, claimRead, p.claim(k2, base.Add(2*time.Minute), 15*time.Minute))
	p.markFailed(k1)
	p.markDone(k2, base.Add(2*time.Minute))
	p.endListing(k2, true)
	assert.Empty(t, fullCheckpoint(p).Watermark, "k1 failed: the watermark waits for it")

	// Next poll: k1 is listed again and read again.
	p.beginListing(base, 15*time.Minute)
	assert.Equal(t, claimRead, p.claim(k1, base.Add(time.Minute), 15*time.Minute))
	p.markFailed(k1)
	p.endListing(k2, true)

	// Then it is deleted: a complete listing that does not return it releases the watermark.
	p.beginListing(base, 15*time.Minute)
	assert.Equal(t, claimDone, p.claim(k2, base.Add(2*time.Minute), 15*time.Minute))
	p.endListing(k2, true)
	assert.Equal(t, k2, fullCheckpoint(p).Watermark)
}

func TestCheckpointRoundTripAndVersion(t *testing.T) {
	ctx := t.Context()
	mem := newMemoryStorage()
	store := &checkpointStore{client: mem, bucket: "b", prefix: "p/"}
	s := subtree{Prefix: "p/", Account: acctA, Region: "us-east-1"}
	_, found, err := store.loadSubtree(ctx, s)
	require.NoError(t, err)
	assert.False(t, found)

	want := subtreeCheckpoint{Watermark: "k", WatermarkTime: base, NewestTime: base.Add(time.Minute), Done: []string{"k"}}
	require.NoError(t, store.saveSubtree(ctx, s, want, nil, false))
	got, found, err := store.loadSubtree(ctx, s)
	require.NoError(t, err)
	require.True(t, found)
	want.Version = checkpointVersion
	assert.Equal(t, want, got)

	// With a base set: the done keys are the base's followed by the document's.
	require.NoError(t, store.saveSubtree(ctx, s, subtreeCheckpoint{Watermark: "k2"}, []string{"k0", "k1"}, true))
	require.NoError(t, store.saveSubtree(ctx, s, subtreeCheckpoint{Watermark: "k3", Done: []string{"k2", "k3"}}, nil, false))
	got, found, err = store.loadSubtree(ctx, s)
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, "k3", got.Watermark)
	assert.Equal(t, []string{"k0", "k1", "k2", "k3"}, got.Done)

	require.NoError(t, mem.Set(ctx, store.subtreeKey(s), []byte(`{"version":99}`)))
	_, _, err = store.loadSubtree(ctx, s)
	assert.ErrorContains(t, err, "has version 99")
	require.NoError(t, mem.Set(ctx, store.subtreeKey(s), []byte(`not json`)))
	_, _, err = store.loadSubtree(ctx, s)
	assert.ErrorContains(t, err, "not valid JSON")
}

// lookBack is the look-back window of the backlog tests.
const lookBack = 15 * time.Minute

// backlogListing starts a subtree position, on a clock the test moves, in a first listing that claimed a file a
// minute after base (old) and one two hours later (newer): a backlog wider than look_back.
func backlogListing(t *testing.T) (p *position, clock *time.Time, old, newer string) {
	p = newPosition(subtree{Account: acctA, Region: "us-east-1"}, subtreeCheckpoint{})
	now := base
	p.now = func() time.Time { return now }
	old = trailKey("", "", acctA, "us-east-1", base.Add(time.Minute), "A")
	newer = trailKey("", "", acctA, "us-east-1", base.Add(2*time.Hour), "A")
	p.beginListing(base, lookBack)
	require.Equal(t, claimRead, p.claim(old, base.Add(time.Minute), lookBack))
	require.Equal(t, claimRead, p.claim(newer, base.Add(2*time.Hour), lookBack))
	return p, &now, old, newer
}

// TestTransientFailureDuringBacklogIsNotGivenUp: while a backlog wider than look_back is read, newer files are done in
// the same poll as a failing one. A transient failure must not cost the file: it is given up only after repeated
// failures spread over look_back of wall-clock time.
func TestTransientFailureDuringBacklogIsNotGivenUp(t *testing.T) {
	p, clock, old, newer := backlogListing(t)
	p.markFailed(old) // a reset connection
	p.markDone(newer, base.Add(2*time.Hour))
	p.endListing(newer, true)

	// Next polls, seconds apart: newer files are far ahead, yet the failed file is read again, every time.
	for poll := 2; poll <= giveUpAfterFailures+2; poll++ {
		*clock = clock.Add(10 * time.Second)
		p.beginListing(base, lookBack)
		require.Equal(t, claimRead, p.claim(old, base.Add(time.Minute), lookBack), "poll %d", poll)
		p.markFailed(old)
		p.endListing(newer, true)
	}
	assert.Empty(t, fullCheckpoint(p).Watermark, "the failed file holds the watermark")

	// It succeeds at last: nothing was lost.
	p.beginListing(base, lookBack)
	require.Equal(t, claimRead, p.claim(old, base.Add(time.Minute), lookBack))
	p.markDone(old, base.Add(time.Minute))
	p.endListing(newer, true)
	assert.Equal(t, newer, fullCheckpoint(p).Watermark)
}

// TestPersistentFailureIsGivenUpEventually: an object that fails on every poll for look_back of wall-clock time, after
// giveUpAfterFailures reads, while newer files were read, is given up so it cannot hold the state forever.
func TestPersistentFailureIsGivenUpEventually(t *testing.T) {
	p, clock, old, newer := backlogListing(t)
	p.markDone(newer, base.Add(2*time.Hour))

	for i := 1; i < giveUpAfterFailures; i++ {
		p.markFailed(old)
		*clock = clock.Add(lookBack) // enough wall-clock time, too few failures
		assert.Equal(t, claimRead, p.claim(old, base.Add(time.Minute), lookBack), "after %d failures", i)
	}
	p.markFailed(old)
	assert.Equal(t, claimGiveUp, p.claim(old, base.Add(time.Minute), lookBack))
}

// fullCheckpoint is the whole persisted state of p, as one document: the position and every done trail file.
func fullCheckpoint(p *position) subtreeCheckpoint {
	cp, base, _ := p.checkpointParts(true)
	cp.Done = base
	return cp
}

// TestCheckpointWritesStayBoundedInTheLookBackWindow: every write between two base writes stores at most
// compactAfter keys, whatever the number of done keys in the window, and what is stored always adds up to every done
// trail file (non-trail keys are left out).
func TestCheckpointWritesStayBoundedInTheLookBackWindow(t *testing.T) {
	s := subtree{Account: acctA, Region: "us-east-1"}
	p := newPosition(s, subtreeCheckpoint{})
	p.beginListing(base, time.Hour)
	stored := map[string]bool{}
	var trailKeys []string
	for i := range 3000 {
		at := base.Add(time.Duration(i) * time.Second)
		k := trailKey("", "", acctA, "us-east-1", at.Truncate(time.Minute), fmt.Sprintf("K%06d", i))
		if i%3 == 0 { // a key that is not a trail file: done, never stored
			k += ".notes"
			at = time.Time{}
		} else {
			trailKeys = append(trailKeys, k)
		}
		require.Equal(t, claimRead, p.claim(k, at, time.Hour))
		p.markDone(k, at)
		cp, baseSet, withBase := p.checkpointParts(false)
		if withBase {
			clear(stored)
			for _, b := range baseSet {
				stored[b] = true
			}
		}
		assert.LessOrEqual(t, len(cp.Done), compactAfter)
		for _, d := range cp.Done {
			stored[d] = true
		}
	}
	assert.Len(t, stored, len(trailKeys))
	for _, k := range trailKeys {
		assert.True(t, stored[k], k)
	}
	assert.Empty(t, p.ahead, "every done key is behind the watermark")
}

// TestRestartKeepsEveryDoneKeyStored: keys loaded from the stored recent part are stored again as the base at the first
// listing after a restart, before any new write could replace the recent part.
func TestRestartKeepsEveryDoneKeyStored(t *testing.T) {
	ctx := t.Context()
	store := &checkpointStore{client: newMemoryStorage(), bucket: "b"}
	s := subtree{Account: acctA, Region: "us-east-1"}
	k1 := trailKey("", "", acctA, "us-east-1", base.Add(time.Minute), "A")
	k2 := trailKey("", "", acctA, "us-east-1", base.Add(2*time.Minute), "A")
	k3 := trailKey("", "", acctA, "us-east-1", base.Add(3*time.Minute), "A")
	require.NoError(t, store.saveSubtree(ctx, s, subtreeCheckpoint{Watermark: k2, WatermarkTime: base.Add(2 * time.Minute), Done: []string{k1, k2}}, nil, false))

	cp, found, err := store.loadSubtree(ctx, s)
	require.NoError(t, err)
	require.True(t, found)
	p := newPosition(s, cp)
	p.beginListing(base, time.Hour)
	require.True(t, p.baseChanged(), "the loaded keys must be stored as the base")
	doc, baseSet, withBase := p.checkpointParts(true)
	require.True(t, withBase)
	require.NoError(t, store.saveSubtree(ctx, s, doc, baseSet, true))
	require.Equal(t, claimRead, p.claim(k3, base.Add(3*time.Minute), time.Hour))
	p.markDone(k3, base.Add(3*time.Minute))
	doc, baseSet, withBase = p.checkpointParts(false)
	require.NoError(t, store.saveSubtree(ctx, s, doc, baseSet, withBase))

	cp, _, err = store.loadSubtree(ctx, s)
	require.NoError(t, err)
	assert.Equal(t, []string{k1, k2, k3}, cp.Done)
	assert.Equal(t, k3, cp.Watermark)
}
