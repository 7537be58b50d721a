// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/metadata"
)

// statusHost records the component status events reported to it, as the collector's host does; onReport, when set,
// runs as each event arrives (to capture what the receiver had done by then).
type statusHost struct {
	component.Host
	onReport func(ev *componentstatus.Event)

	mu     sync.Mutex
	events []*componentstatus.Event
}

func newStatusHost() *statusHost { return &statusHost{Host: componenttest.NewNopHost()} }

func (h *statusHost) Report(ev *componentstatus.Event) {
	if h.onReport != nil {
		h.onReport(ev)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, ev)
}

func (h *statusHost) statuses() []componentstatus.Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]componentstatus.Status, len(h.events))
	for i, ev := range h.events {
		out[i] = ev.Status()
	}
	return out
}

// last is the last event reported, nil before the first.
func (h *statusHost) last() *componentstatus.Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.events) == 0 {
		return nil
	}
	return h.events[len(h.events)-1]
}

// waitFor waits until the last event has status st and returns it.
func (h *statusHost) waitFor(t *testing.T, st componentstatus.Status) *componentstatus.Event {
	t.Helper()
	require.Eventually(t, func() bool {
		ev := h.last()
		return ev != nil && ev.Status() == st
	}, 30*time.Second, 10*time.Millisecond, "status %v; reported so far: %v", st, h.statuses())
	return h.last()
}

var (
	errThrottled = apiError("ListObjectsV2", 503, "SlowDown", "Please reduce your request rate.")
	errDenied    = apiError("ListObjectsV2", 403, "AccessDenied", "Access Denied")
	errNoBucket  = apiError("ListObjectsV2", 404, "NoSuchBucket", "The specified bucket does not exist")
)

func TestStatusTrackerReportsOnlyChanges(t *testing.T) {
	host := newStatusHost()
	s := newStatusTracker()
	s.failed("a/", errDenied) // before Start: remembered, not reported
	assert.Empty(t, host.statuses())
	s.succeeded("a/")
	s.start(host)

	// Transient failures count only once they persist.
	s.failed("a/", errThrottled)
	s.failed("a/", errThrottled)
	assert.Empty(t, host.statuses(), "two throttled polls in a row do not flip the status")
	s.failed("a/", errThrottled)
	require.Equal(t, []componentstatus.Status{componentstatus.StatusRecoverableError}, host.statuses())
	assert.ErrorContains(t, host.last().Err(), "SlowDown")
	assert.ErrorContains(t, host.last().Err(), "failed 3 times in a row")
	s.failed("a/", errThrottled)
	assert.Len(t, host.statuses(), 1, "the same status is not reported again: recovery_duration counts from the first")
	s.succeeded("a/")
	assert.Equal(t, componentstatus.StatusOK, host.last().Status())

	// What needs a fix counts at once, and the status stays an error until every failing source works again.
	s.failed(sourceDiscovery, errDenied)
	assert.Equal(t, componentstatus.StatusRecoverableError, host.last().Status())
	assert.ErrorContains(t, host.last().Err(), "AccessDenied")
	s.failed("b/", errNoBucket)
	s.succeeded(sourceDiscovery)
	assert.Len(t, host.statuses(), 3, "b/ still fails")
	s.succeeded("b/")
	assert.Equal(t, []componentstatus.Status{
		componentstatus.StatusRecoverableError, componentstatus.StatusOK,
		componentstatus.StatusRecoverableError, componentstatus.StatusOK,
	}, host.statuses())

	// A success interrupts a streak of transient failures.
	s.failed("c/", errThrottled)
	s.failed("c/", errThrottled)
	s.succeeded("c/")
	s.failed("c/", errThrottled)
	s.failed("c/", errThrottled)
	assert.Len(t, host.statuses(), 4)

	s.stop()
	s.failed("d/", errDenied)
	assert.Len(t, host.statuses(), 4, "nothing after Shutdown: the collector reports Stopping and Stopped")
}

func TestNeedsFix(t *testing.T) {
	for err, want := range map[error]bool{
		errDenied:    true,
		errNoBucket:  true,
		errThrottled: false,
		apiError("ListObjectsV2", 403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."): true,
		apiError("ListObjectsV2", 404, "XAdminUserNotFound", "No user exists with the provided access key ID."):                   true,
		apiError("ReceiveMessage", 400, "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist."):         true,
		apiError("ListObjectsV2", 500, "InternalError", "We encountered an internal error."):                                      false,
		errors.New("dial tcp 127.0.0.1:1: connect: connection refused"):                                                           false,
	} {
		assert.Equal(t, want, needsFix(err), "%v", err)
	}
}

// versityConfig reads bucket on versitygw (which checks signatures) with the given secret key.
func versityConfig(srv *testpeers.S3Server, bucket, secret string) *Config {
	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.Endpoint = srv.Endpoint
	cfg.ForcePathStyle = true
	cfg.Region = srv.Region
	cfg.AccessKeyID = configopaque.String(srv.AccessKey)
	cfg.SecretAccessKey = configopaque.String(secret)
	return cfg
}

// TestStatusWrongCredentials: versitygw refuses the signature of a wrong secret key (403 SignatureDoesNotMatch): the
// receiver reports RecoverableError at once, with an error that says to check the credentials and never holds them.
func TestStatusWrongCredentials(t *testing.T) {
	srv := testpeers.VersityGW(t)
	bucket := testpeers.UniqueName(t, "status-creds")
	testpeers.CreateBucket(t, testpeers.S3Client(t, srv), bucket)
	const wrongSecret = "wrong-secret-0123456789abcdef"
	host := newStatusHost()
	tel := newTestTelemetry(t)
	r := testReceiver(t, versityConfig(srv, bucket, wrongSecret), new(consumertest.LogsSink), tel, nil)
	startReceiver(t, r, host)
	ev := host.waitFor(t, componentstatus.StatusRecoverableError)
	stopReceiver(t, r)

	assert.ErrorContains(t, ev.Err(), "SignatureDoesNotMatch")
	assert.ErrorContains(t, ev.Err(), "the credentials themselves are not accepted — check access_key_id and secret_access_key")
	assert.NotContains(t, ev.Err().Error(), wrongSecret)
	assert.Equal(t, []componentstatus.Status{componentstatus.StatusRecoverableError}, host.statuses())
	assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_list_failed", "reason", reasonAccessDenied),
		"reported at the first refused listing: retrying cannot fix credentials")
}

// TestStatusUnknownAccessKey: versitygw answers an unknown access key with 404 XAdminUserNotFound (AWS: 403
// InvalidAccessKeyId). It is refused credentials, not a missing object: RecoverableError at the first listing, and an
// object read with such credentials is retried, never skipped as deleted.
func TestStatusUnknownAccessKey(t *testing.T) {
	srv := testpeers.VersityGW(t)
	bucket := testpeers.UniqueName(t, "status-key")
	client := testpeers.S3Client(t, srv)
	testpeers.CreateBucket(t, client, bucket)
	key := trailKey("", "", acctA, "us-east-1", base, "UNKNOWNKEYUNKNO1")
	testpeers.PutObject(t, client, bucket, key, trailBody(t, "unknown-key", 2, acctA, "us-east-1", base))
	cfg := versityConfig(srv, bucket, srv.SecretKey)
	cfg.AccessKeyID = "AKIANOSUCHUSER"
	host := newStatusHost()
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, new(consumertest.LogsSink), tel, nil)
	startReceiver(t, r, host)
	ev := host.waitFor(t, componentstatus.StatusRecoverableError)
	assert.ErrorContains(t, ev.Err(), "XAdminUserNotFound")
	assert.ErrorContains(t, ev.Err(), "the credentials themselves are not accepted")
	assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_list_failed", "reason", reasonAccessDenied))

	// The object itself, read with the same credentials (as SQS mode would): retried, not skipped as missing.
	s3c, err := newS3Client(context.Background(), cfg, sdkRetry{MaxAttempts: 1}, zap.NewNop())
	require.NoError(t, err)
	assert.Equal(t, outcomeRetry, r.newObjectReader(bucket, s3c).read(context.Background(), key))
	stopReceiver(t, r)
	assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonAccessDenied))
	assert.Zero(t, counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonMissing))
}

// TestStatusBucketMissingThenCreated: a bucket that does not exist (yet) is a RecoverableError that names it; once it
// is created the receiver reports StatusOK without a restart and reads its files.
func TestStatusBucketMissingThenCreated(t *testing.T) {
	srv := testpeers.VersityGW(t)
	client := testpeers.S3Client(t, srv)
	bucket := testpeers.UniqueName(t, "status-later")
	host := newStatusHost()
	sink := new(consumertest.LogsSink)
	r := testReceiver(t, versityConfig(srv, bucket, srv.SecretKey), sink, nil, nil)
	startReceiver(t, r, host)
	ev := host.waitFor(t, componentstatus.StatusRecoverableError)
	assert.ErrorContains(t, ev.Err(), `bucket "`+bucket+`" does not exist (check bucket and region)`)

	testpeers.CreateBucket(t, client, bucket)
	id := acctA + "-later"
	testpeers.PutObject(t, client, bucket, trailKey("", "", acctA, "us-east-1", base, "LATERLATERLATER1"), trailBody(t, id, 3, acctA, "us-east-1", base))
	host.waitFor(t, componentstatus.StatusOK)
	waitForIDs(t, sink, 3)
	stopReceiver(t, r)
	requireExactlyOnce(t, wantIDs(id, 3), eventIDs(sink))
	assert.Equal(t, []componentstatus.Status{componentstatus.StatusRecoverableError, componentstatus.StatusOK}, host.statuses())
}

// TestStatusTransientFailuresFlipOnlyWhenTheyPersist: every S3 request answered 503 SlowDown (over HTTP, through the
// SDK's retries) flips the status only at the third failed discovery in a row, and a working S3 brings StatusOK back.
func TestStatusTransientFailuresFlipOnlyWhenTheyPersist(t *testing.T) {
	const bucket = "status-throttled"
	f := newFaultyS3(t, bucket)
	id := acctA + "-throttled"
	f.put(t, bucket, trailKey("", "", acctA, "us-east-1", base, "THROTTLEDTHROTT1"), trailBody(t, id, 2, acctA, "us-east-1", base))
	f.slowed.Store(1 << 30)

	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.Endpoint = f.srv.URL
	cfg.Region = "us-east-1"
	cfg.ForcePathStyle = true
	cfg.AccessKeyID = "fake"
	cfg.SecretAccessKey = "fake"
	sink := new(consumertest.LogsSink)
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, sink, tel, nil)
	host := newStatusHost()
	var failedListings []int64 // list_failed{s3_error} when each event was reported
	host.onReport = func(*componentstatus.Event) {
		failedListings = append(failedListings, counterValue(t, tel, "otelcol_receiver_cloudtrails3_list_failed", "reason", reasonS3Error))
	}
	startReceiver(t, r, host)
	ev := host.waitFor(t, componentstatus.StatusRecoverableError)
	assert.ErrorContains(t, ev.Err(), "SlowDown")
	assert.ErrorContains(t, ev.Err(), "failed 3 times in a row after the AWS SDK's retries; still retrying")

	f.slowed.Store(0)
	host.waitFor(t, componentstatus.StatusOK)
	waitForIDs(t, sink, 2)
	stopReceiver(t, r)
	requireExactlyOnce(t, wantIDs(id, 2), eventIDs(sink))
	assert.Equal(t, []componentstatus.Status{componentstatus.StatusRecoverableError, componentstatus.StatusOK}, host.statuses())
	assert.Equal(t, int64(3), failedListings[0], "RecoverableError at the third failed discovery, not before")
}

// TestMotoSQSStatusQueueMissingThenCreated: ReceiveMessage on a queue that does not exist is a RecoverableError naming
// the queue and what to check; once the queue exists the receiver reports StatusOK without a restart and reads what
// it is sent.
func TestMotoSQSStatusQueueMissingThenCreated(t *testing.T) {
	q := newMotoQueue(t, 0)
	ctx := context.Background()
	name := testpeers.UniqueName(t, "later")
	created, err := q.sqs.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name)})
	require.NoError(t, err)
	url := aws.ToString(created.QueueUrl)
	_, err = q.sqs.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: created.QueueUrl})
	require.NoError(t, err)

	cfg := q.config()
	cfg.SQS.QueueURL = url
	host := newStatusHost()
	sink := new(consumertest.LogsSink)
	r, err := newReceiver(receivertest.NewNopSettings(metadata.Type), cfg, sink)
	require.NoError(t, err)
	r.sdkRetry = sdkRetry{MaxAttempts: 1}
	startReceiver(t, r, host)
	ev := host.waitFor(t, componentstatus.StatusRecoverableError)
	assert.ErrorContains(t, ev.Err(), "queue "+url+" does not exist: check sqs.queue_url and sqs.region")

	_, err = q.sqs.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name)})
	require.NoError(t, err)
	key := q.put(t, q.quiet, testpeers.MotoAccountID, "us-east-1", base, "QUEUELATERQUEUE1", 1, 4)
	_, err = q.sqs.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(s3EventBody(t, q.quiet, key, "us-east-1", 100))})
	require.NoError(t, err)
	host.waitFor(t, componentstatus.StatusOK)
	waitForIDs(t, sink, 4)
	stopReceiver(t, r)
	assert.Equal(t, []componentstatus.Status{componentstatus.StatusRecoverableError, componentstatus.StatusOK}, host.statuses())
}
