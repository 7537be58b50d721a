// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"encoding/json"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
)

func TestRecentObjectsClaimsOnceAndForgetsTheOldest(t *testing.T) {
	r := newRecentObjects(2)
	require.True(t, r.claim("b", "k1"))
	assert.False(t, r.claim("b", "k1"), "being read")
	assert.True(t, r.claim("other", "k1"), "objects are told apart by bucket")
	r.release("b", "k1", false)
	require.True(t, r.claim("b", "k1"), "a failed read can be claimed again")
	r.release("b", "k1", true)
	assert.False(t, r.claim("b", "k1"), "read lately")

	for _, k := range []string{"k2", "k3"} {
		require.True(t, r.claim("b", k))
		r.release("b", k, true)
	}
	assert.True(t, r.claim("b", "k1"), "the oldest of capacity+1 read objects is forgotten")
	assert.False(t, r.claim("b", "k2"))
	assert.False(t, r.claim("b", "k3"))
	assert.Len(t, r.done, 2)
	assert.Len(t, r.order, 2)
}

// s3EventBodyMany is an S3 event notification naming several objects of one bucket.
func s3EventBodyMany(t testing.TB, bucket, region string, keys ...string) string {
	t.Helper()
	var records []any
	for _, key := range keys {
		records = append(records, map[string]any{
			"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": region, "eventName": "ObjectCreated:Put",
			"s3": map[string]any{"bucket": map[string]any{"name": bucket}, "object": map[string]any{"key": url.QueryEscape(key), "size": 100}},
		})
	}
	body, err := json.Marshal(map[string]any{"Records": records})
	require.NoError(t, err)
	return string(body)
}

// An object named by two messages (S3 notifying twice, or a bucket notification and the trail's SNS notification
// both configured) is read once by a replica; both messages are deleted.
func TestSQSObjectNotifiedTwiceIsReadOnce(t *testing.T) {
	sink := new(consumertest.LogsSink)
	// The CloudTrail notification states no region: the bucket's is the configured one.
	h := newSQSHarness(t, sink, func(c *Config) { c.Region = "us-east-1" })
	const bucket = "trail-bucket"
	want := putTrailFile(t, h.s3, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 4)
	key := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	first := h.queue.send(s3EventBody(t, bucket, key, "us-east-1", 100))
	second := h.queue.send(`{"s3Bucket":"` + bucket + `","s3ObjectKey":["` + key + `"]}`)
	h.start(t)
	waitForIDs(t, sink, len(want))
	require.Eventually(t, func() bool { return h.queue.isDeleted(first) && h.queue.isDeleted(second) }, 10*time.Second, 10*time.Millisecond)
	requireExactlyOnce(t, want, eventIDs(sink))
	assert.Equal(t, 1, h.s3.getCount(key))
	assert.Equal(t, int64(1), counterValue(t, h.tel, "otelcol_receiver_cloudtrails3_objects_skipped", "reason", skipDuplicate))
	assert.Equal(t, int64(2), h.messages(t, messageProcessed))
}

// A message retried because one of its objects failed does not read its other objects again.
func TestSQSRetriedMessageDoesNotReadItsFinishedObjectsAgain(t *testing.T) {
	sink := new(consumertest.LogsSink)
	h := newSQSHarness(t, sink, nil)
	const bucket = "trail-bucket"
	want := putTrailFile(t, h.s3, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 3)
	want = append(want, putTrailFile(t, h.s3, bucket, "", "", acctA, "us-east-1", base.Add(time.Minute), "BBBBBBBBBBBBBBBB", 3)...)
	good := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	flaky := trailKey("", "", acctA, "us-east-1", base.Add(time.Minute), "BBBBBBBBBBBBBBBB")
	var failures atomic.Int32
	h.s3.getErr = func(key string) error {
		if key == flaky && failures.Add(1) <= 2 {
			return apiError("GetObject", 503, "SlowDown", "Please reduce your request rate.")
		}
		return nil
	}
	msg := h.queue.send(s3EventBodyMany(t, bucket, "us-east-1", good, flaky))
	h.start(t)
	waitForIDs(t, sink, len(want))
	require.Eventually(t, func() bool { return h.queue.isDeleted(msg) }, 10*time.Second, 10*time.Millisecond)
	requireExactlyOnce(t, want, eventIDs(sink))
	assert.Equal(t, int64(2), h.messages(t, messageRetried))
	assert.Equal(t, 1, h.s3.getCount(good), "read once although its message was received three times")
	assert.Equal(t, 3, h.s3.getCount(flaky))
}
