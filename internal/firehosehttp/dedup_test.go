// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testKey is the key of request id in a test stream.
func testKey(id string) requestKey {
	return dedupKey("arn:aws:firehose:us-east-1:123456789012:deliverystream/test", id)
}

func TestRequestDedupRemembersAcceptedRequestsForTheWindow(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	d := newRequestDedup(time.Minute, 2, func() time.Time { return now })

	require.Equal(t, dedupNew, d.begin(testKey("a")))
	assert.Equal(t, dedupInFlight, d.begin(testKey("a")), "a retry while the first delivery runs")
	d.end(testKey("a"), true)
	assert.Equal(t, dedupAccepted, d.begin(testKey("a")))

	require.Equal(t, dedupNew, d.begin(testKey("failed")))
	d.end(testKey("failed"), false)
	assert.Equal(t, dedupNew, d.begin(testKey("failed")), "a request that was not accepted is delivered again")
	d.end(testKey("failed"), false)

	now = now.Add(time.Minute + time.Second)
	assert.Equal(t, dedupNew, d.begin(testKey("a")), "forgotten after the window")
	d.end(testKey("a"), true)

	for _, k := range []string{"b", "c"} {
		require.Equal(t, dedupNew, d.begin(testKey(k)))
		d.end(testKey(k), true)
	}
	assert.Equal(t, dedupNew, d.begin(testKey("a")), "the oldest of capacity+1 accepted requests is forgotten")
	d.end(testKey("a"), false)
	assert.Equal(t, dedupAccepted, d.begin(testKey("b")))
	assert.Equal(t, dedupAccepted, d.begin(testKey("c")))
	assert.Len(t, d.accepted, 2)

	var off *requestDedup = newRequestDedup(0, 2, time.Now)
	assert.Nil(t, off)
	assert.Equal(t, dedupNew, off.begin(testKey("a")))
	off.end(testKey("a"), true)
	assert.Equal(t, dedupNew, off.begin(testKey("a")), "dedup_window: 0 remembers nothing")
}

// Every remembered request costs a fixed-size key, however long its headers; the key still tells streams and ids apart.
func TestDedupKeyIsAFixedSizeDigest(t *testing.T) {
	long := dedupKey(strings.Repeat("a", maxSourceARNLength), strings.Repeat("b", maxRequestIDLength))
	short := dedupKey("arn", "id")
	assert.Len(t, long, 32)
	assert.Len(t, short, 32)
	assert.NotEqual(t, long, short)
	assert.NotEqual(t, dedupKey("ab", "c"), dedupKey("a", "bc"), "the ARN and the id cannot be shifted into each other")
	assert.Equal(t, dedupKey("arn", "id"), short)
}
