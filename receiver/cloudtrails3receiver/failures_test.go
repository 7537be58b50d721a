// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.uber.org/zap"
)

// denyListing makes every listing of fake fail with 403 AccessDenied until the returned flag is cleared.
func denyListing(fake *memS3) *atomic.Bool {
	var denied atomic.Bool
	denied.Store(true)
	fake.listErr = func(*s3.ListObjectsV2Input) error {
		if denied.Load() {
			return apiError("ListObjectsV2", 403, "AccessDenied", "Access Denied")
		}
		return nil
	}
	return &denied
}

func TestListingDeniedExplainsThePermissionAndRecovers(t *testing.T) {
	fake := newMemS3()
	const bucket = "denied-bucket"
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	denied := denyListing(fake)
	cfg := testConfig(bucket)
	cfg.StartTime = base
	sink := new(consumertest.LogsSink)
	r := testReceiver(t, cfg, sink, nil, fake)
	logs := observeLogs(r, zap.InfoLevel)
	startReceiver(t, r, nil)
	require.Eventually(t, func() bool {
		return logs.FilterMessageSnippet("Discovering accounts and regions failed").Len() > 0
	}, 10*time.Second, 10*time.Millisecond)
	entry := logs.FilterMessageSnippet("Discovering accounts and regions failed").All()[0]
	assert.Contains(t, entry.ContextMap()["error"], "s3:ListBucket on arn:aws:s3:::denied-bucket")
	// Logged once while the problem lasts.
	fake.waitForMoreLists(t, 5)
	assert.Equal(t, 1, logs.FilterMessageSnippet("Discovering accounts and regions failed").Len())

	denied.Store(false)
	waitForIDs(t, sink, len(want))
	stopReceiver(t, r)
	requireExactlyOnce(t, want, eventIDs(sink))
}

func TestGetObjectErrorsAreRetriedOnTheNextPollWithoutSkipping(t *testing.T) {
	fake := newMemS3()
	const bucket = "flaky-bucket"
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	want = append(want, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(5*time.Minute), "BBBBBBBBBBBBBBBB", 2)...)
	flaky := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	var failures atomic.Int32
	fake.getErr = func(key string) error {
		if key == flaky && failures.Add(1) <= 3 {
			return apiError("GetObject", 503, "SlowDown", "Please reduce your request rate.")
		}
		return nil
	}
	cfg := testConfig(bucket)
	cfg.StartTime = base
	sink := new(consumertest.LogsSink)
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, sink, tel, fake)
	receiveExactlyOnce(t, r, nil, sink, want, nil, 0)
	assert.Equal(t, int64(3), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonS3Error))
	assert.Equal(t, 4, fake.getCount(flaky))
}

func TestObjectDeniedOnEveryPollIsGivenUpOnceNewerFilesAreLookBackAhead(t *testing.T) {
	fake := newMemS3()
	const bucket = "kms-bucket"
	denied := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	fake.put(bucket, denied, trailBody(t, "denied", 1, acctA, "us-east-1", base))
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(5*time.Minute), "BBBBBBBBBBBBBBBB", 1)
	fake.getErr = func(key string) error {
		if key == denied {
			return apiError("GetObject", 403, "AccessDenied", "Access Denied")
		}
		return nil
	}
	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.LookBack = 10 * time.Minute
	// Wall-clock time is moved by the test: giving up also needs look_back of it since the first failure.
	var clock atomic.Int64
	clock.Store(base.UnixNano())
	positionClock = func() time.Time { return time.Unix(0, clock.Load()) }
	t.Cleanup(func() { positionClock = time.Now })
	sink := new(consumertest.LogsSink)
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, sink, tel, fake)
	logs := observeLogs(r, zap.InfoLevel)
	startReceiver(t, r, nil)
	waitForIDs(t, sink, len(want))
	require.Eventually(t, func() bool { return fake.getCount(denied) >= 3 }, 10*time.Second, 10*time.Millisecond)
	assert.Zero(t, counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonGivenUp),
		"only 5 minutes of newer files: within look_back, keep trying")
	msgs := logs.FilterMessageSnippet("Cannot read the object").All()
	require.NotEmpty(t, msgs)
	assert.Contains(t, msgs[0].ContextMap()["error"], "kms:Decrypt")

	// A file delivered more than look_back after the denied one: still read again while too little time has passed…
	want = append(want, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(20*time.Minute), "CCCCCCCCCCCCCCCC", 1)...)
	waitForIDs(t, sink, len(want))
	readsBefore := fake.getCount(denied)
	require.Eventually(t, func() bool { return fake.getCount(denied) >= readsBefore+giveUpAfterFailures }, 10*time.Second, 10*time.Millisecond)
	assert.Zero(t, counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonGivenUp),
		"newer files are look_back ahead, but the failures span less than look_back of wall-clock time: keep trying")
	// …and given up once its failures span look_back of wall-clock time.
	clock.Add(int64(cfg.LookBack))
	require.Eventually(t, func() bool {
		return counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonGivenUp) == 1
	}, 10*time.Second, 10*time.Millisecond)
	gets := fake.getCount(denied)
	fake.waitForMoreLists(t, 5)
	stopReceiver(t, r)
	assert.Equal(t, gets, fake.getCount(denied), "no more reads once given up")
	requireExactlyOnce(t, want, eventIDs(sink))
}

// putBadObjects writes three trail files of account A in us-east-1, one, two and three minutes after base: a corrupt
// gzip, a truncated JSON document, and a valid file over 4096 decompressed bytes.
func putBadObjects(t *testing.T, fake *memS3, bucket string) (corrupt, notJSON, big string) {
	t.Helper()
	corrupt = trailKey("", "", acctA, "us-east-1", base.Add(time.Minute), "BBBBBBBBBBBBBBBB")
	fake.put(bucket, corrupt, []byte("\x1f\x8bthis is not gzip"))
	notJSON = trailKey("", "", acctA, "us-east-1", base.Add(2*time.Minute), "CCCCCCCCCCCCCCCC")
	fake.put(bucket, notJSON, gzipBytes(t, []byte(`{"Records": [ {"eventID": "x", `)))
	big = trailKey("", "", acctA, "us-east-1", base.Add(3*time.Minute), "DDDDDDDDDDDDDDDD")
	fake.put(bucket, big, trailBody(t, "big", 200, acctA, "us-east-1", base))
	return corrupt, notJSON, big
}

func TestCorruptAndOversizedObjectsAreSkippedAndCounted(t *testing.T) {
	fake := newMemS3()
	const bucket = "corrupt-bucket"
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	corrupt, notJSON, _ := putBadObjects(t, fake, bucket)
	want = append(want, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(4*time.Minute), "EEEEEEEEEEEEEEEE", 2)...)

	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.MaxObjectBytes = 4096
	sink := new(consumertest.LogsSink)
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, sink, tel, fake)
	startReceiver(t, r, nil)
	waitForIDs(t, sink, len(want))
	require.Eventually(t, func() bool {
		return counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonCorrupt) == 2 &&
			counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonTooLarge) == 1
	}, 10*time.Second, 10*time.Millisecond)
	fake.waitForMoreLists(t, 5)
	stopReceiver(t, r)
	assert.Equal(t, 1, fake.getCount(corrupt), "a corrupt object is read once, then skipped")
	assert.Equal(t, 1, fake.getCount(notJSON))
	var bigRecords int
	for _, id := range eventIDs(sink) {
		if len(id) > 4 && id[:4] == "big-" {
			bigRecords++
		}
	}
	assert.Less(t, bigRecords, 200, "an object over the cap is not delivered whole")
	assert.Equal(t, int64(2), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_processed"))
	got := eventIDs(sink)
	for _, id := range want {
		assert.Contains(t, got, id)
	}
}

func TestObjectDeletedAfterListingIsSkipped(t *testing.T) {
	fake := newMemS3()
	const bucket = "deleted-bucket"
	gone := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	fake.put(bucket, gone, trailBody(t, "gone", 2, acctA, "us-east-1", base))
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(time.Minute), "BBBBBBBBBBBBBBBB", 2)
	fake.getErr = func(key string) error {
		if key == gone {
			fake.delete(bucket, key) // deleted between the listing and the GET
		}
		return nil
	}
	cfg := testConfig(bucket)
	cfg.StartTime = base
	sink := new(consumertest.LogsSink)
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, sink, tel, fake)
	receiveExactlyOnce(t, r, nil, sink, want, fake, 5)
	assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonMissing))
	assert.Equal(t, 1, fake.getCount(gone))
}
