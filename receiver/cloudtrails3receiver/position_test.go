// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
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
	cp := p.checkpoint()
	assert.Empty(t, cp.Watermark)
	assert.Equal(t, []string{k2, k3}, cp.Done)
	assert.Equal(t, base.Add(3*time.Minute), cp.NewestTime)

	p.markDone(k1, base.Add(1*time.Minute))
	cp = p.checkpoint()
	assert.Equal(t, k3, cp.Watermark)
	assert.Equal(t, base.Add(3*time.Minute), cp.WatermarkTime)
	p.endListing(k3, true)

	// Resuming from the checkpoint: the next listing starts look_back before the watermark and skips done keys.
	q := newPosition(s, cp)
	startAfter := q.beginListing(start, time.Minute)
	assert.Equal(t, s.startAfter(base.Add(2*time.Minute)), startAfter)
	assert.Equal(t, claimDone, q.claim(k2, base.Add(2*time.Minute), time.Minute))
	assert.Equal(t, claimDone, q.claim(k3, base.Add(3*time.Minute), time.Minute))
	assert.Equal(t, []string{k2, k3}, q.checkpoint().Done, "k1 can no longer be listed and is forgotten")
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
	assert.Empty(t, p.checkpoint().Watermark, "k1 failed: the watermark waits for it")

	// Next poll: k1 is listed again and read again.
	p.beginListing(base, 15*time.Minute)
	assert.Equal(t, claimRead, p.claim(k1, base.Add(time.Minute), 15*time.Minute))
	p.markFailed(k1)
	p.endListing(k2, true)

	// Then it is deleted: a complete listing that does not return it releases the watermark.
	p.beginListing(base, 15*time.Minute)
	assert.Equal(t, claimDone, p.claim(k2, base.Add(2*time.Minute), 15*time.Minute))
	p.endListing(k2, true)
	assert.Equal(t, k2, p.checkpoint().Watermark)
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
	require.NoError(t, store.saveSubtree(ctx, s, want))
	got, found, err := store.loadSubtree(ctx, s)
	require.NoError(t, err)
	require.True(t, found)
	want.Version = checkpointVersion
	assert.Equal(t, want, got)

	require.NoError(t, mem.Set(ctx, store.subtreeKey(s), []byte(`{"version":99}`)))
	_, _, err = store.loadSubtree(ctx, s)
	assert.ErrorContains(t, err, "has version 99")
	require.NoError(t, mem.Set(ctx, store.subtreeKey(s), []byte(`not json`)))
	_, _, err = store.loadSubtree(ctx, s)
	assert.ErrorContains(t, err, "not valid JSON")
}
