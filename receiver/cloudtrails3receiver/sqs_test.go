// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
)

const testQueueURL = "https://sqs.us-east-1.amazonaws.com/123456789012/cloudtrail-objects"

// s3EventBody is an S3 event notification for one created object, with the key URL-encoded the way S3 (and, for
// '/', moto) does.
func s3EventBody(t testing.TB, bucket, key, region string, size int) string {
	t.Helper()
	body, err := json.Marshal(map[string]any{"Records": []any{map[string]any{
		"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": region, "eventName": "ObjectCreated:Put",
		"s3": map[string]any{"bucket": map[string]any{"name": bucket}, "object": map[string]any{"key": url.QueryEscape(key), "size": size}},
	}}})
	require.NoError(t, err)
	return string(body)
}

// s3TestEventBody is the s3:TestEvent S3 sends when a bucket's notification configuration is saved (the parser's
// fixture internal/s3notification/testdata/notifications/s3-test-event.json).
const s3TestEventBody = `{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-24T10:00:00.000Z","Bucket":"org-trail-bucket","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}`

// sqsHarness runs a receiver in SQS mode against memSQS and memS3.
type sqsHarness struct {
	queue   *memSQS
	s3      *memS3
	tel     *componenttest.Telemetry
	logs    *observer.ObservedLogs
	regions sync.Map // regions a client was built for
	r       *cloudTrailReceiver
}

func newSQSHarness(t *testing.T, next consumer.Logs, mutate func(*Config)) *sqsHarness {
	t.Helper()
	h := &sqsHarness{queue: newMemSQS(), s3: newMemS3(), tel: newTestTelemetry(t)}
	cfg := createDefaultConfig().(*Config)
	cfg.SQS.QueueURL = testQueueURL
	cfg.SQS.WaitTime = time.Second
	cfg.SQS.VisibilityTimeout = 2 * time.Second
	if mutate != nil {
		mutate(cfg)
	}
	r := testReceiver(t, cfg, next, h.tel, nil)
	logs := observeLogs(r, zap.InfoLevel)
	h.logs = logs
	r.sqsRetry = backoffSettings{} // received again at once
	r.newSQSClient = func(context.Context) (sqsAPI, error) { return h.queue, nil }
	r.newS3Clients = func(context.Context) (*regionalClients, error) {
		return &regionalClients{
			newClient: func(_ context.Context, region string) (s3API, error) {
				h.regions.Store(region, true)
				return h.s3, nil
			},
			locate:        func(context.Context, string) (string, error) { return "", errors.New("no GetBucketLocation here") },
			defaultRegion: cfg.Region,
			byRegion:      map[string]s3API{},
			bucketRegions: map[string]string{},
		}, nil
	}
	h.r = r
	return h
}

func (h *sqsHarness) start(t *testing.T) {
	t.Helper()
	startReceiver(t, h.r, nil)
	t.Cleanup(func() { stopReceiver(t, h.r) })
}

func (h *sqsHarness) messages(t *testing.T, outcome string) int64 {
	return counterValue(t, h.tel, "otelcol_receiver_cloudtrails3_sqs_messages", "outcome", outcome)
}

func TestSQSReadsNotifiedObjectsAndDeletesOnlyAfterAcceptance(t *testing.T) {
	sink := new(consumertest.LogsSink)
	h := newSQSHarness(t, sink, nil)
	const bucket = "trail-bucket"
	var want []string
	var ids []string
	for i, region := range []string{"us-east-1", "eu-west-1", "ap-south-1"} {
		at := base.Add(time.Duration(i) * time.Minute)
		want = append(want, putTrailFile(t, h.s3, bucket, "", "", acctA, region, at, "AAAAAAAAAAAAAAAA", 3)...)
		key := trailKey("", "", acctA, region, at, "AAAAAAAAAAAAAAAA")
		ids = append(ids, h.queue.send(s3EventBody(t, bucket, key, region, 100)))
	}
	h.start(t)
	waitForIDs(t, sink, len(want))
	require.Eventually(t, func() bool { return h.messages(t, messageProcessed) == 3 }, 10*time.Second, 10*time.Millisecond)
	for _, id := range ids {
		assert.True(t, h.queue.isDeleted(id))
	}
	requireExactlyOnce(t, want, eventIDs(sink))
	for _, region := range []string{"us-east-1", "eu-west-1", "ap-south-1"} {
		_, ok := h.regions.Load(region)
		assert.True(t, ok, "an S3 client for the record's region %s", region)
	}
}

func TestSQSIgnoresTestEventsAndForeignKeysAndDeletesInvalidMessages(t *testing.T) {
	sink := new(consumertest.LogsSink)
	h := newSQSHarness(t, sink, func(c *Config) {
		c.Bucket = "trail-bucket"
		c.StartTime = base
	})
	testEvent := h.queue.send(s3TestEventBody)
	digest := h.queue.send(s3EventBody(t, "trail-bucket", "AWSLogs/"+acctA+"/CloudTrail-Digest/us-east-1/2026/03/01/"+acctA+"_CloudTrail-Digest_us-east-1_t_us-east-1_20260301T100000Z.json.gz", "us-east-1", 10))
	otherBucket := h.queue.send(s3EventBody(t, "other-bucket", trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA"), "us-east-1", 10))
	old := h.queue.send(s3EventBody(t, "trail-bucket", trailKey("", "", acctA, "us-east-1", base.Add(-time.Hour), "AAAAAAAAAAAAAAAA"), "us-east-1", 10))
	invalid := h.queue.send(`{"hello":"world"}`)
	h.start(t)
	require.Eventually(t, func() bool {
		return h.messages(t, messageIgnored) == 4 && h.messages(t, messageInvalid) == 1
	}, 10*time.Second, 10*time.Millisecond)
	for _, id := range []string{testEvent, digest, otherBucket, old, invalid} {
		assert.True(t, h.queue.isDeleted(id), id)
	}
	assert.Zero(t, sink.LogRecordCount())
	assert.Equal(t, int64(1), counterValue(t, h.tel, "otelcol_receiver_cloudtrails3_objects_skipped", "reason", skipNotTrailLog))
	assert.Equal(t, int64(1), counterValue(t, h.tel, "otelcol_receiver_cloudtrails3_objects_skipped", "reason", skipFiltered))
	assert.Equal(t, int64(1), counterValue(t, h.tel, "otelcol_receiver_cloudtrails3_objects_skipped", "reason", skipBeforeStart))
	assert.Equal(t, 1, h.logs.FilterMessageSnippet("Deleted a message that is not an S3 event notification").Len())
	assert.Zero(t, h.s3.getCount(trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")))
}

func TestSQSTransientFailureRetriesTheMessageAndCorruptObjectsAreDeleted(t *testing.T) {
	sink := new(consumertest.LogsSink)
	h := newSQSHarness(t, sink, nil)
	const bucket = "trail-bucket"
	want := putTrailFile(t, h.s3, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	flaky := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	var failures atomic.Int32
	h.s3.getErr = func(key string) error {
		if key == flaky && failures.Add(1) <= 2 {
			return apiError("GetObject", 503, "SlowDown", "Please reduce your request rate.")
		}
		return nil
	}
	corrupt := trailKey("", "", acctA, "us-east-1", base.Add(time.Minute), "CORRUPTCORRUPT00")
	h.s3.put(bucket, corrupt, []byte("\x1f\x8bnot gzip"))
	flakyMsg := h.queue.send(s3EventBody(t, bucket, flaky, "us-east-1", 100))
	corruptMsg := h.queue.send(s3EventBody(t, bucket, corrupt, "us-east-1", 100))
	h.start(t)
	waitForIDs(t, sink, len(want))
	require.Eventually(t, func() bool { return h.queue.isDeleted(flakyMsg) && h.queue.isDeleted(corruptMsg) }, 10*time.Second, 10*time.Millisecond)
	requireExactlyOnce(t, want, eventIDs(sink))
	assert.Equal(t, int64(2), h.messages(t, messageRetried))
	assert.Equal(t, int64(2), h.messages(t, messageProcessed), "the corrupt object is counted and its message deleted")
	assert.Equal(t, int64(1), counterValue(t, h.tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonCorrupt))
	assert.Equal(t, 1, h.s3.getCount(corrupt), "a corrupt object is not read again")
	assert.Equal(t, 3, h.s3.getCount(flaky))
}

func TestSQSMessageOverMaxReceiveCountIsLeftForTheDeadLetterQueue(t *testing.T) {
	sink := new(consumertest.LogsSink)
	h := newSQSHarness(t, sink, func(c *Config) { c.SQS.MaxReceiveCount = 2 })
	key := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	h.s3.put("trail-bucket", key, trailBody(t, "denied", 1, acctA, "us-east-1", base))
	h.s3.getErr = func(string) error { return apiError("GetObject", 403, "AccessDenied", "Access Denied") }
	id := h.queue.send(s3EventBody(t, "trail-bucket", key, "us-east-1", 100))
	h.start(t)
	require.Eventually(t, func() bool { return h.messages(t, messageDeadLetter) >= 1 }, 10*time.Second, 10*time.Millisecond)
	assert.False(t, h.queue.isDeleted(id), "never deleted")
	assert.Equal(t, 3, h.queue.receiveCount(id))
	assert.Equal(t, 2, h.s3.getCount(key), "read twice, then left alone")
	assert.Equal(t, int64(2), h.messages(t, messageRetried))
	entries := h.logs.FilterMessageSnippet("for the queue's dead-letter redrive").All()
	require.NotEmpty(t, entries)
	assert.Equal(t, id, entries[0].ContextMap()["message_id"])
	assert.Zero(t, sink.LogRecordCount())
}

// blockingConsumer holds every batch until released.
type blockingConsumer struct {
	consumertest.LogsSink
	release chan struct{}
	calls   atomic.Int32
}

func (b *blockingConsumer) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	b.calls.Add(1)
	select {
	case <-b.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	return b.LogsSink.ConsumeLogs(ctx, ld)
}

func TestSQSVisibilityIsExtendedWhileThePipelineIsSlowAndGivenUpAtTheMaximum(t *testing.T) {
	next := &blockingConsumer{release: make(chan struct{})}
	h := newSQSHarness(t, next, func(c *Config) {
		c.SQS.VisibilityTimeout = 100 * time.Millisecond // below the 1 s minimum: only reachable in tests
		c.SQS.MaxVisibilityExtension = 450 * time.Millisecond
	})
	key := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	want := putTrailFile(t, h.s3, "trail-bucket", "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	id := h.queue.send(s3EventBody(t, "trail-bucket", key, "us-east-1", 100))
	h.start(t)
	// The pipeline blocks: the visibility is extended until the maximum, then the receiver lets go of the message.
	require.Eventually(t, func() bool {
		return counterValue(t, h.tel, "otelcol_receiver_cloudtrails3_sqs_visibility_extended") >= 2 && h.messages(t, messageRetried) >= 1
	}, 10*time.Second, 5*time.Millisecond)
	assert.False(t, h.queue.isDeleted(id))
	assert.NotEmpty(t, h.logs.FilterMessageSnippet("up to sqs.max_visibility_extension").All())

	close(next.release)
	require.Eventually(t, func() bool { return h.queue.isDeleted(id) }, 10*time.Second, 5*time.Millisecond)
	requireExactlyOnce(t, want, eventIDs(&next.LogsSink))
}

func TestSQSShutdownReleasesTheMessageForAnotherReplica(t *testing.T) {
	next := &blockingConsumer{release: make(chan struct{})}
	h := newSQSHarness(t, next, nil)
	key := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	putTrailFile(t, h.s3, "trail-bucket", "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	id := h.queue.send(s3EventBody(t, "trail-bucket", key, "us-east-1", 100))
	startReceiver(t, h.r, nil)
	require.Eventually(t, func() bool { return next.calls.Load() > 0 }, 10*time.Second, 5*time.Millisecond)
	stopReceiver(t, h.r)
	assert.False(t, h.queue.isDeleted(id))
	assert.Equal(t, int64(1), h.messages(t, messageReleased))
	changes := h.queue.visibilityChanges()
	require.NotEmpty(t, changes)
	assert.Equal(t, time.Duration(0), changes[len(changes)-1], "made visible again at once")
}

// TestSQSKeepsAtMostMaxObjectsInFlightMessages: one worker decodes, and a message whose object waits for the pipeline
// has given the worker back, so two messages wait at once; no third message is taken from the queue.
func TestSQSKeepsAtMostMaxObjectsInFlightMessages(t *testing.T) {
	next := &blockingConsumer{release: make(chan struct{})}
	h := newSQSHarness(t, next, func(c *Config) { c.Workers = 1; c.MaxObjectsInFlight = 2 })
	for i := range 5 {
		at := base.Add(time.Duration(i) * time.Minute)
		putTrailFile(t, h.s3, "trail-bucket", "", "", acctA, "us-east-1", at, "AAAAAAAAAAAAAAAA", 1)
		h.queue.send(s3EventBody(t, "trail-bucket", trailKey("", "", acctA, "us-east-1", at, "AAAAAAAAAAAAAAAA"), "us-east-1", 100))
	}
	h.start(t)
	require.Eventually(t, func() bool { return next.calls.Load() == 2 }, 10*time.Second, 5*time.Millisecond)
	// While both objects wait, no further message is taken from the queue.
	receives := h.queue.receivedMessages()
	assert.Equal(t, 2, receives)
	assert.Equal(t, int64(2), counterValue(t, h.tel, "otelcol_receiver_cloudtrails3_objects_in_flight"))
	close(next.release)
	waitForIDs(t, &next.LogsSink, 5)
	require.Eventually(t, func() bool { return h.messages(t, messageProcessed) == 5 }, 10*time.Second, 5*time.Millisecond)
	assert.Zero(t, counterValue(t, h.tel, "otelcol_receiver_cloudtrails3_objects_in_flight"))
}

// failingDeletes is a memSQS whose DeleteMessage fails the first `fail` times.
type failingDeletes struct {
	*memSQS
	fail atomic.Int32
}

func (f *failingDeletes) DeleteMessage(ctx context.Context, in *sqs.DeleteMessageInput, opts ...func(*sqs.Options)) (*sqs.DeleteMessageOutput, error) {
	if f.fail.Add(-1) >= 0 {
		return nil, errors.New("AccessDenied: not authorized to perform sqs:DeleteMessage")
	}
	return f.memSQS.DeleteMessage(ctx, in, opts...)
}

// TestSQSFailedDeleteIsCountedAndTheMessageComesBack: a message whose DeleteMessage fails is counted delete_failed,
// not processed; it comes back after its visibility timeout, is handled again and then deleted.
func TestSQSFailedDeleteIsCountedAndTheMessageComesBack(t *testing.T) {
	sink := new(consumertest.LogsSink)
	h := newSQSHarness(t, sink, func(c *Config) { c.SQS.VisibilityTimeout = time.Second })
	queue := &failingDeletes{memSQS: h.queue}
	queue.fail.Store(1)
	h.r.newSQSClient = func(context.Context) (sqsAPI, error) { return queue, nil }
	key := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	want := putTrailFile(t, h.s3, "trail-bucket", "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	id := h.queue.send(s3EventBody(t, "trail-bucket", key, "us-east-1", 100))
	h.start(t)
	require.Eventually(t, func() bool { return h.queue.isDeleted(id) }, 10*time.Second, 5*time.Millisecond)
	assert.Equal(t, int64(1), h.messages(t, messageDeleteFailed))
	assert.Equal(t, int64(1), h.messages(t, messageProcessed), "handled a second time, then deleted: each handling counted once")
	// This replica remembers the object it read, so the second handling skips it as a duplicate: sent once. Another
	// replica receiving it would have read it again.
	requireExactlyOnce(t, want, eventIDs(sink))
	assert.Equal(t, int64(1), counterValue(t, h.tel, "otelcol_receiver_cloudtrails3_objects_skipped", "reason", skipDuplicate))
	assert.Len(t, h.logs.FilterMessageSnippet("Deleting a handled message failed").All(), 1)
}

func TestSQSObjectOverMaxObjectBytesIsCountedWithoutReadingIt(t *testing.T) {
	sink := new(consumertest.LogsSink)
	h := newSQSHarness(t, sink, func(c *Config) { c.MaxObjectBytes = 1000 })
	key := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	putTrailFile(t, h.s3, "trail-bucket", "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	id := h.queue.send(s3EventBody(t, "trail-bucket", key, "us-east-1", 5000))
	h.start(t)
	require.Eventually(t, func() bool { return h.queue.isDeleted(id) }, 10*time.Second, 5*time.Millisecond)
	assert.Equal(t, int64(1), counterValue(t, h.tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonTooLarge))
	assert.Equal(t, int64(1), h.messages(t, messageProcessed))
	assert.Zero(t, h.s3.getCount(key))
	assert.Zero(t, sink.LogRecordCount())
}

// TestSQSEventSelection: in SQS mode too, excluded records never reach the pipeline, are counted per folder, and the
// message is deleted once the object is read.
func TestSQSEventSelection(t *testing.T) {
	sink := new(consumertest.LogsSink)
	h := newSQSHarness(t, sink, func(cfg *Config) {
		cfg.EventSelection = cloudtrail.SelectionConfig{Exclude: []cloudtrail.EventRule{{AWSRegion: []string{"eu-*"}}}}
	})
	const bucket = "trail-bucket"
	var want []string
	var ids []string
	for i, region := range []string{"us-east-1", "eu-west-1"} {
		at := base.Add(time.Duration(i) * time.Minute)
		ids2 := putTrailFile(t, h.s3, bucket, "", "", acctA, region, at, "AAAAAAAAAAAAAAAA", 3)
		if region == "us-east-1" {
			want = append(want, ids2...)
		}
		ids = append(ids, h.queue.send(s3EventBody(t, bucket, trailKey("", "", acctA, region, at, "AAAAAAAAAAAAAAAA"), region, 100)))
	}
	h.start(t)
	waitForIDs(t, sink, len(want))
	require.Eventually(t, func() bool { return h.messages(t, messageProcessed) == 2 }, 10*time.Second, 10*time.Millisecond)
	for _, id := range ids {
		assert.True(t, h.queue.isDeleted(id))
	}
	requireExactlyOnce(t, want, eventIDs(sink))
	assert.Equal(t, int64(3), counterValue(t, h.tel, "otelcol_receiver_cloudtrails3_records_dropped", "cloud.region", "eu-west-1"))
}
