// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/metadata"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/s3notification"
)

// motoQueue is an SQS queue in moto_server fed by S3 event notifications of a bucket.
type motoQueue struct {
	notified *testpeers.NotifiedQueue
	moto     *testpeers.MotoServer
	sqs      *sqs.Client
	s3       *s3.Client
	url, arn string
	bucket   string // its ObjectCreated notifications go to the queue
	quiet    string // a bucket without notifications, for objects named by hand-sent messages
}

func newMotoQueue(t *testing.T, visibility time.Duration) *motoQueue {
	t.Helper()
	moto := testpeers.Moto(t)
	nq := testpeers.NewNotifiedQueue(t, moto, visibility)
	q := &motoQueue{notified: nq, moto: moto, sqs: nq.SQS, s3: nq.S3, url: nq.URL, arn: nq.ARN, bucket: nq.Bucket}
	q.quiet = testpeers.UniqueName(t, "quiet")
	testpeers.CreateBucket(t, q.s3, q.quiet)
	return q
}

func (q *motoQueue) send(t *testing.T, body string) { q.notified.Send(t, body) }

// remaining is the number of messages not deleted yet (visible or in flight).
func (q *motoQueue) remaining(t *testing.T) int { return q.notified.Depth(t) }

// config is a receiver configuration reading the queue through moto (credentials shared by S3 and SQS).
func (q *motoQueue) config() *Config {
	cfg := createDefaultConfig().(*Config)
	cfg.Endpoint = q.moto.Endpoint
	cfg.ForcePathStyle = true
	cfg.Region = q.moto.Region
	cfg.AccessKeyID = "testing"
	cfg.SecretAccessKey = "testing"
	cfg.SQS.QueueURL = q.url
	cfg.SQS.Endpoint = q.moto.Endpoint
	cfg.SQS.WaitTime = time.Second
	cfg.SQS.VisibilityTimeout = 2 * time.Second
	return cfg
}

// put writes a CloudTrail file of n records into bucket and returns its key.
func (q *motoQueue) put(t *testing.T, bucket, account, region string, at time.Time, unique string, seed int64, n int) string {
	t.Helper()
	key := trailKey("", "", account, region, at, unique)
	testpeers.PutObject(t, q.s3, bucket, key, cloudtrailtest.File(seed, n, account, region, at.Add(-5*time.Minute)))
	return key
}

// slowConsumer delays the batches of one key, then hands everything to next.
type slowConsumer struct {
	next    consumer.Logs
	slowKey string
	delay   time.Duration
}

func (s *slowConsumer) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	if key, ok := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Attributes().Get("aws.s3.key"); ok && key.Str() == s.slowKey {
		time.Sleep(s.delay)
	}
	return s.next.ConsumeLogs(ctx, ld)
}

func (*slowConsumer) Capabilities() consumer.Capabilities { return consumer.Capabilities{} }

func startSQSReceiver(t *testing.T, cfg *Config, next consumer.Logs, set receiver.Settings) receiver.Logs {
	t.Helper()
	require.NoError(t, componenttest.CheckConfigStruct(cfg))
	require.NoError(t, cfg.Validate())
	r, err := NewFactory().CreateLogs(context.Background(), set, cfg, next)
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))
	return r
}

// TestMotoSQSEveryEnvelope reads through moto's S3 and SQS: S3 → SQS event notifications configured with
// PutBucketNotificationConfiguration (moto sends s3:TestEvent first and URL-encodes '/' in keys), plus hand-sent
// SNS-wrapped, EventBridge and CloudTrail-SNS messages, a corrupt object, a digest file, and a pipeline slower than
// the visibility timeout.
func TestMotoSQSEveryEnvelope(t *testing.T) {
	q := newMotoQueue(t, 2*time.Second)
	const acct = testpeers.MotoAccountID
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	want := map[string]int{}

	// Through real S3 notifications.
	k1 := q.put(t, q.bucket, acct, "us-east-1", at, "NOTIFIEDNOTIFIE1", 1, 7)
	want[k1] = 7
	slow := q.put(t, q.bucket, acct, "eu-west-1", at.Add(time.Minute), "SLOWSLOWSLOWSLOW", 2, 5)
	want[slow] = 5
	corrupt := trailKey("", "", acct, "us-east-1", at.Add(2*time.Minute), "CORRUPTCORRUPT00")
	testpeers.PutObject(t, q.s3, q.bucket, corrupt, []byte("\x1f\x8b\x08\x00garbage"))
	testpeers.PutObject(t, q.s3, q.bucket, "AWSLogs/"+acct+"/CloudTrail-Digest/us-east-1/2026/11/24/"+acct+"_CloudTrail-Digest_us-east-1_trail_us-east-1_20261124T100000Z.json.gz", gzipBytes(t, []byte(`{}`)))

	// Hand-sent envelopes naming objects of the quiet bucket.
	k2 := q.put(t, q.quiet, acct, "us-west-2", at, "SNSWRAPPEDSNSWR1", 3, 4)
	want[k2] = 4
	s3Event := s3EventBody(t, q.quiet, k2, "us-east-1", 100)
	snsBody, err := json.Marshal(map[string]any{"Type": "Notification", "MessageId": "m-1", "TopicArn": "arn:aws:sns:us-east-1:123456789012:objects", "Subject": "Amazon S3 Notification", "Message": s3Event})
	require.NoError(t, err)
	q.send(t, string(snsBody))

	k3 := q.put(t, q.quiet, acct, "ap-south-1", at, "EVENTBRIDGEEVENT", 4, 3)
	want[k3] = 3
	eb, err := json.Marshal(map[string]any{"version": "0", "detail-type": "Object Created", "source": "aws.s3", "region": "us-east-1",
		"detail": map[string]any{"bucket": map[string]any{"name": q.quiet}, "object": map[string]any{"key": k3, "size": 100}}})
	require.NoError(t, err)
	q.send(t, string(eb))

	k4 := q.put(t, q.quiet, acct, "sa-east-1", at, "CLOUDTRAILSNS001", 5, 2)
	k5 := q.put(t, q.quiet, acct, "sa-east-1", at.Add(time.Minute), "CLOUDTRAILSNS002", 6, 6)
	want[k4], want[k5] = 2, 6
	ct, err := json.Marshal(map[string]any{"s3Bucket": q.quiet, "s3ObjectKey": []string{k4, k5}})
	require.NoError(t, err)
	ctSNS, err := json.Marshal(map[string]any{"Type": "Notification", "MessageId": "m-2", "TopicArn": "arn:aws:sns:us-east-1:123456789012:cloudtrail", "Message": string(ct)})
	require.NoError(t, err)
	q.send(t, string(ctSNS))

	d := newDeliveries()
	set := receivertest.NewNopSettings(metadata.Type)
	tel := newTestTelemetry(t)
	set.TelemetrySettings = tel.NewTelemetrySettings()
	core, logs := observer.New(zap.InfoLevel)
	set.Logger = zap.New(core)
	cfg := q.config()
	cfg.SQS.VisibilityTimeout = 3 * time.Second
	// The slow object's batch waits 5 s: longer than the 3 s visibility timeout, so only the heartbeat (every 1.5 s)
	// keeps the message from being received (and read) a second time by another worker.
	r := startSQSReceiver(t, cfg, &slowConsumer{next: d, slowKey: slow, delay: 5 * time.Second}, set)

	total := 0
	for _, n := range want {
		total += n
	}
	d.waitFor(t, total)
	require.Eventually(t, func() bool { return q.remaining(t) == 0 }, 30*time.Second, 50*time.Millisecond, "every message deleted")
	// Shutdown waits for every message in flight: a second read of the slow object, had the heartbeat failed, would
	// have delivered its records by now.
	require.NoError(t, r.Shutdown(context.Background()))
	d.requireExactly(t, want)

	msgs := func(outcome string, envelope s3notification.Envelope) int64 {
		var total int64
		m, err := tel.GetMetric("otelcol_receiver_cloudtrails3_sqs_messages")
		require.NoError(t, err)
		for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
			o, _ := dp.Attributes.Value("outcome")
			e, _ := dp.Attributes.Value("envelope")
			if o.AsString() == outcome && (envelope == "" || e.AsString() == string(envelope)) {
				total += dp.Value
			}
		}
		return total
	}
	assert.Equal(t, int64(3), msgs(messageProcessed, s3notification.EnvelopeS3), "two good objects and the corrupt one")
	assert.Equal(t, int64(1), msgs(messageProcessed, s3notification.EnvelopeSNS))
	assert.Equal(t, int64(1), msgs(messageProcessed, s3notification.EnvelopeEventBridge))
	assert.Equal(t, int64(1), msgs(messageProcessed, s3notification.EnvelopeCloudTrailSNS))
	assert.Equal(t, int64(2), msgs(messageIgnored, s3notification.EnvelopeS3), "moto's s3:TestEvent and the digest file")
	assert.Zero(t, msgs(messageRetried, ""))
	assert.Zero(t, msgs(messageDeleteFailed, ""))
	assert.Zero(t, counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_in_flight"), "every object read was finished")
	assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonCorrupt))
	assert.Positive(t, counterValue(t, tel, "otelcol_receiver_cloudtrails3_sqs_visibility_extended"), "the slow object's message was kept hidden")
	corruptLogs := logs.FilterMessageSnippet("not a readable CloudTrail log file").All()
	require.Len(t, corruptLogs, 1)
	assert.Equal(t, corrupt, corruptLogs[0].ContextMap()["key"], "the key is URL-decoded")
}

// TestMotoSQSDeadLetterRedrive: a message whose object keeps failing (its bucket does not exist) is retried, then,
// once received more than max_receive_count times, left alone, and moto's redrive policy moves it to the dead-letter
// queue. The receiver never deletes it.
func TestMotoSQSDeadLetterRedrive(t *testing.T) {
	q := newMotoQueue(t, time.Second)
	ctx := context.Background()
	dlq, err := q.sqs.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(testpeers.UniqueName(t, "dlq"))})
	require.NoError(t, err)
	dlqAttrs, err := q.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: dlq.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn},
	})
	require.NoError(t, err)
	redrive, err := json.Marshal(map[string]any{"deadLetterTargetArn": dlqAttrs.Attributes["QueueArn"], "maxReceiveCount": 2})
	require.NoError(t, err)
	_, err = q.sqs.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{
		QueueUrl: aws.String(q.url), Attributes: map[string]string{"RedrivePolicy": string(redrive)},
	})
	require.NoError(t, err)
	key := trailKey("", "", testpeers.MotoAccountID, "us-east-1", time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), "NOBUCKETNOBUCKET")
	q.send(t, s3EventBody(t, "bucket-that-does-not-exist", key, "us-east-1", 100))

	cfg := q.config()
	cfg.SQS.VisibilityTimeout = time.Second
	cfg.SQS.MaxReceiveCount = 1
	require.NoError(t, cfg.Validate())
	set := receivertest.NewNopSettings(metadata.Type)
	tel := newTestTelemetry(t)
	set.TelemetrySettings = tel.NewTelemetrySettings()
	core, logs := observer.New(zap.InfoLevel)
	set.Logger = zap.New(core)
	r, err := newReceiver(set, cfg, newDeliveries())
	require.NoError(t, err)
	r.sqsRetry = backoffSettings{} // visible again at once after a failure
	r.sdkRetry = sdkRetry{MaxAttempts: 1}
	require.NoError(t, r.Start(ctx, componenttest.NewNopHost()))
	defer func() { require.NoError(t, r.Shutdown(context.Background())) }()

	require.Eventually(t, func() bool {
		out, err := q.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
			QueueUrl: dlq.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameApproximateNumberOfMessages},
		})
		return err == nil && out.Attributes["ApproximateNumberOfMessages"] == "1"
	}, 30*time.Second, 100*time.Millisecond, "the message reaches the dead-letter queue")
	assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_sqs_messages", "outcome", messageRetried))
	assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_sqs_messages", "outcome", messageDeadLetter))
	assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonS3Error))
	entries := logs.FilterMessageSnippet("for the queue's dead-letter redrive").All()
	require.Len(t, entries, 1)
	assert.EqualValues(t, 2, entries[0].ContextMap()["receive_count"])
	assert.Zero(t, q.remaining(t))
}

// TestMotoSQSQueueTelemetry: what an on-call engineer alerts on in SQS mode, against moto. While the pipeline holds
// the only worker: one object in flight, the queue's backlog (GetQueueAttributes) shows the held message in flight,
// and oldest_message_age is the held message's age from its SentTimestamp. Once it is released: every message is
// counted once by outcome, nothing is in flight, the backlog and the age fall to 0.
func TestMotoSQSQueueTelemetry(t *testing.T) {
	q := newMotoQueue(t, 0) // moto puts S3's s3:TestEvent on the queue when the notification configuration is saved
	const acct = testpeers.MotoAccountID
	key := q.put(t, q.quiet, acct, "us-east-1", time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), "HELDHELDHELDHELD", 1, 6)
	sentFrom := time.Now()
	q.send(t, s3EventBody(t, q.quiet, key, "us-east-1", 100))
	sentUntil := time.Now()
	time.Sleep(time.Second) // so that the message has an age worth measuring

	cfg := q.config()
	cfg.Workers = 1
	cfg.SQS.MaxMessages = 1
	next := &blockingConsumer{release: make(chan struct{})}
	set := receivertest.NewNopSettings(metadata.Type)
	tel := newTestTelemetry(t)
	set.TelemetrySettings = tel.NewTelemetrySettings()
	r, err := newReceiver(set, cfg, next)
	require.NoError(t, err)
	r.sqsBacklogEvery = 50 * time.Millisecond
	started := time.Now()
	require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))
	defer func() { require.NoError(t, r.Shutdown(context.Background())) }()

	require.Eventually(t, func() bool { return next.calls.Load() > 0 }, 30*time.Second, 10*time.Millisecond, "the held object reaches the pipeline")
	require.Eventually(t, func() bool {
		b := int64GaugeByAttribute(t, tel, "otelcol_receiver_cloudtrails3_sqs_backlog", "state")
		return b["in_flight"] == 1 && b["visible"] == 0
	}, 30*time.Second, 10*time.Millisecond, "the backlog shows the held message in flight")
	assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_in_flight"))
	age := float64Gauge(t, tel, "otelcol_receiver_cloudtrails3_sqs_oldest_message_age")
	assert.GreaterOrEqual(t, age, started.Sub(sentUntil).Seconds()-0.001, "received after the start, sent before sentUntil (SentTimestamp in ms)")
	assert.LessOrEqual(t, age, time.Since(sentFrom).Seconds()+0.001)
	t.Logf("oldest_message_age of the held message: %.3f s", age)

	close(next.release)
	q.send(t, "not a notification")
	require.Eventually(t, func() bool { return q.remaining(t) == 0 }, 30*time.Second, 20*time.Millisecond, "every message deleted")
	require.Eventually(t, func() bool {
		b := int64GaugeByAttribute(t, tel, "otelcol_receiver_cloudtrails3_sqs_backlog", "state")
		return b["in_flight"] == 0 && b["visible"] == 0 && float64Gauge(t, tel, "otelcol_receiver_cloudtrails3_sqs_oldest_message_age") == 0
	}, 30*time.Second, 10*time.Millisecond, "an empty queue: no backlog, and an empty receive has no oldest message")
	got := newDeliveries()
	for _, ld := range next.AllLogs() {
		require.NoError(t, got.ConsumeLogs(context.Background(), ld))
	}
	got.requireExactly(t, map[string]int{key: 6})
	assert.Equal(t, int64(0), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_in_flight"))
	for outcome, want := range map[string]int64{
		messageProcessed: 1, messageIgnored: 1, messageInvalid: 1,
		messageRetried: 0, messageReleased: 0, messageDeleteFailed: 0, messageDeadLetter: 0,
	} {
		assert.Equal(t, want, counterValue(t, tel, "otelcol_receiver_cloudtrails3_sqs_messages", "outcome", outcome), outcome)
	}
}

// int64GaugeByAttribute returns an int gauge's values keyed by one attribute's value.
func int64GaugeByAttribute(t testing.TB, tel *componenttest.Telemetry, name, key string) map[string]int64 {
	t.Helper()
	m, err := tel.GetMetric(name)
	if err != nil {
		return nil
	}
	out := map[string]int64{}
	for _, dp := range m.Data.(metricdata.Gauge[int64]).DataPoints {
		v, _ := dp.Attributes.Value(attribute.Key(key))
		out[v.AsString()] = dp.Value
	}
	return out
}

// float64Gauge returns the value of a gauge without attributes (-1 before it is recorded).
func float64Gauge(t testing.TB, tel *componenttest.Telemetry, name string) float64 {
	t.Helper()
	m, err := tel.GetMetric(name)
	if err != nil {
		return -1
	}
	points := m.Data.(metricdata.Gauge[float64]).DataPoints
	require.Len(t, points, 1)
	return points[0].Value
}
