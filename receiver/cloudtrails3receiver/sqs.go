// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/metadata"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/s3notification"
)

// sqsAPI is the part of the SQS client the receiver uses; unit tests inject faults through it.
type sqsAPI interface {
	ReceiveMessage(ctx context.Context, in *sqs.ReceiveMessageInput, optFns ...func(*sqs.Options)) (*sqs.ReceiveMessageOutput, error)
	DeleteMessage(ctx context.Context, in *sqs.DeleteMessageInput, optFns ...func(*sqs.Options)) (*sqs.DeleteMessageOutput, error)
	ChangeMessageVisibility(ctx context.Context, in *sqs.ChangeMessageVisibilityInput, optFns ...func(*sqs.Options)) (*sqs.ChangeMessageVisibilityOutput, error)
	GetQueueAttributes(ctx context.Context, in *sqs.GetQueueAttributesInput, optFns ...func(*sqs.Options)) (*sqs.GetQueueAttributesOutput, error)
}

// Outcomes attached to the sqs_messages counter: every message received is counted once, with what became of it.
const (
	// Deleted from the queue.
	messageProcessed = "processed" // every object read and accepted
	messageIgnored   = "ignored"   // s3:TestEvent, or no CloudTrail log file named
	messageInvalid   = "invalid"   // not a notification this receiver understands
	// Returned to the queue: received again later.
	messageRetried      = "retried"       // an object failed transiently: visible again after a backoff
	messageReleased     = "released"      // shutdown while reading: made visible again at once for another replica
	messageDeleteFailed = "delete_failed" // handled, but DeleteMessage failed: visible again after its timeout, read again
	// Left for the queue's redrive policy (dead-letter queue).
	messageDeadLetter = "dead_letter" // received more than max_receive_count times
)

// Reasons attached to objects_skipped for objects named by notifications (besides the polling reasons).
const (
	skipFiltered    = "filtered"     // another bucket or prefix, an account/region outside the allow-lists, Insights
	skipBeforeStart = "before_start" // delivered before start_time
	skipDuplicate   = "duplicate"    // read lately by this replica, or being read by another of its messages
)

// errVisibilityExhausted cancels a message whose visibility cannot be extended further.
var errVisibilityExhausted = errors.New("the message reached sqs.max_visibility_extension")

// sqsConsumer receives notifications, reads the objects they name and deletes each message once every object was
// accepted by the pipeline.
type sqsConsumer struct {
	queueURL        string
	client          sqsAPI
	s3              *regionalClients
	reader          *objectReader
	recent          *recentObjects
	selector        objectSelector
	workers         int
	maxMessages     int
	waitTime        time.Duration
	visibility      time.Duration
	maxExtension    time.Duration
	maxReceiveCount int
	maxBytes        int64
	retryBackoff    backoffSettings
	backlogEvery    time.Duration // how often GetQueueAttributes reads the queue's backlog
	telemetry       *metadata.TelemetryBuilder
	logger          *zap.Logger
	status          *statusTracker

	errMu       sync.Mutex
	lastRecvErr string
}

// run receives messages until ctx ends, keeping at most `workers` messages in flight: it asks SQS only for as many
// messages as it has free workers, so that idle replicas get the rest.
func (c *sqsConsumer) run(ctx context.Context) {
	slots := make(chan struct{}, c.workers)
	var inFlight sync.WaitGroup
	defer inFlight.Wait()
	inFlight.Go(func() { c.pollBacklog(ctx) })
	for attempt := 0; ; {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		if ctx.Err() != nil { // both cases were ready
			return
		}
		free := 1
		for free < c.maxMessages && tryAcquire(slots) {
			free++
		}
		msgs, err := c.receive(ctx, free)
		for range free - len(msgs) {
			<-slots
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			c.receiveFailed(err)
			if !sleep(ctx, receiveErrorBackoff.delay(attempt)) {
				return
			}
			attempt++
			continue
		}
		c.receiveRecovered()
		attempt = 0
		receivedAt := time.Now()
		c.recordOldestAge(ctx, msgs, receivedAt)
		for _, msg := range msgs {
			inFlight.Add(1)
			go func() {
				defer func() {
					<-slots
					inFlight.Done()
				}()
				c.handle(ctx, msg, receivedAt)
			}()
		}
	}
}

func tryAcquire(slots chan struct{}) bool {
	select {
	case slots <- struct{}{}:
		return true
	default:
		return false
	}
}

// sleep waits d or until ctx ends; it returns false when ctx ended.
func sleep(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

func (c *sqsConsumer) receive(ctx context.Context, n int) ([]types.Message, error) {
	out, err := c.client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
		QueueUrl:            aws.String(c.queueURL),
		MaxNumberOfMessages: int32(n),
		WaitTimeSeconds:     int32(c.waitTime / time.Second),
		VisibilityTimeout:   seconds(c.visibility),
		MessageSystemAttributeNames: []types.MessageSystemAttributeName{
			types.MessageSystemAttributeNameApproximateReceiveCount,
			types.MessageSystemAttributeNameSentTimestamp, // the oldest_message_age gauge
		},
	})
	if err != nil {
		return nil, err
	}
	return out.Messages, nil
}

// handle reads the objects one message names and settles the message: deleted when done, left for a retry or for
// the dead-letter queue otherwise.
func (c *sqsConsumer) handle(ctx context.Context, msg types.Message, receivedAt time.Time) {
	id := aws.ToString(msg.MessageId)
	receipt := aws.ToString(msg.ReceiptHandle)
	receives, _ := strconv.Atoi(msg.Attributes[string(types.MessageSystemAttributeNameApproximateReceiveCount)])
	if c.maxReceiveCount > 0 && receives > c.maxReceiveCount {
		c.count(ctx, messageDeadLetter, "unknown")
		c.logger.Error("Left a message received more than sqs.max_receive_count times for the queue's dead-letter redrive; it is not read again. Configure a redrive policy on the queue (maxReceiveCount at most sqs.max_receive_count + 1) so that it moves to the dead-letter queue.",
			zap.String("message_id", id), zap.Int("receive_count", receives), zap.Int("max_receive_count", c.maxReceiveCount))
		return
	}
	n, err := s3notification.Parse(aws.ToString(msg.Body))
	if err != nil {
		c.logger.Error("Deleted a message that is not an S3 event notification, SNS or EventBridge S3 event, or CloudTrail notification; check what publishes to the queue",
			zap.String("message_id", id), zap.String("body_start", bodyStart(aws.ToString(msg.Body))), zap.Error(err))
		c.deleteAndCount(ctx, id, receipt, messageInvalid, "unknown")
		return
	}
	if n.TestEvent {
		c.logger.Info("Deleted S3's test event (sent when the bucket's notification configuration is saved)", zap.String("message_id", id))
		c.deleteAndCount(ctx, id, receipt, messageIgnored, string(n.Envelope))
		return
	}

	msgCtx, cancel := context.WithCancelCause(ctx)
	stopHeartbeat := c.keepHidden(msgCtx, cancel, id, receipt, receivedAt)
	outcome, trailFiles := c.readObjects(msgCtx, id, n)
	stopHeartbeat()
	exhausted := errors.Is(context.Cause(msgCtx), errVisibilityExhausted)
	cancel(nil)

	switch {
	case outcome == outcomeCancelled && !exhausted:
		c.count(ctx, messageReleased, string(n.Envelope))
		c.setVisibility(context.WithoutCancel(ctx), id, receipt, 0)
	case outcome == outcomeRetry || outcome == outcomeCancelled:
		c.count(ctx, messageRetried, string(n.Envelope))
		delay := c.retryBackoff.delay(max(receives-1, 0))
		c.logger.Warn("Leaving the message on the queue: it is received again after a backoff",
			zap.String("message_id", id), zap.Int("receive_count", receives), zap.Duration("backoff", delay), zap.Bool("visibility_exhausted", exhausted))
		c.setVisibility(ctx, id, receipt, delay)
	case trailFiles == 0:
		c.deleteAndCount(ctx, id, receipt, messageIgnored, string(n.Envelope))
	default:
		c.deleteAndCount(ctx, id, receipt, messageProcessed, string(n.Envelope))
	}
}

// readObjects reads the objects of one notification in order. It stops at the first object that must be read again
// (the whole message is then retried) and returns how many of the objects are trail files this receiver reads.
func (c *sqsConsumer) readObjects(ctx context.Context, id string, n s3notification.Notification) (objectOutcome, int) {
	trailFiles := 0
	for _, ref := range n.Objects {
		if reason := c.selector.skipReason(ref); reason != "" {
			c.telemetry.ReceiverCloudtrails3ObjectsSkipped.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", reason)))
			c.logger.Debug("Skipped an object the notification names", zap.String("bucket", ref.Bucket), zap.String("key", ref.Key), zap.String("reason", reason))
			continue
		}
		trailFiles++
		if ref.Size > c.maxBytes {
			c.reader.failed(ctx, reasonTooLarge)
			c.logger.Error("Skipped an object larger than max_object_bytes; raise max_object_bytes to read it",
				zap.String("bucket", ref.Bucket), zap.String("key", ref.Key), zap.Int64("size", ref.Size))
			continue
		}
		if !c.recent.claim(ref.Bucket, ref.Key) {
			c.telemetry.ReceiverCloudtrails3ObjectsSkipped.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", skipDuplicate)))
			c.logger.Debug("Skipped an object this replica read lately or is reading (notified more than once)",
				zap.String("message_id", id), zap.String("bucket", ref.Bucket), zap.String("key", ref.Key))
			continue
		}
		outcome := c.readClaimed(ctx, id, ref)
		finished := outcome == outcomeDone || outcome == outcomeSkipped
		c.recent.release(ref.Bucket, ref.Key, finished)
		if !finished {
			return outcome, trailFiles
		}
	}
	return outcomeDone, trailFiles
}

// readClaimed reads one object the notification names with the S3 client of its bucket's region.
func (c *sqsConsumer) readClaimed(ctx context.Context, id string, ref s3notification.ObjectRef) objectOutcome {
	client, err := c.s3.forBucket(ctx, ref.Bucket, ref.Region)
	if err != nil {
		if ctx.Err() != nil {
			return outcomeCancelled
		}
		c.reader.failed(ctx, reasonS3Error)
		c.logger.Warn("Cannot set up the S3 client for the object's bucket; the message is received again later",
			zap.String("message_id", id), zap.String("bucket", ref.Bucket), zap.Error(err))
		return outcomeRetry
	}
	c.telemetry.ReceiverCloudtrails3ObjectsInFlight.Add(ctx, 1)
	defer c.telemetry.ReceiverCloudtrails3ObjectsInFlight.Add(context.WithoutCancel(ctx), -1)
	return c.reader.readObject(ctx, client, ref.Bucket, ref.Key)
}

// deleteAndCount deletes a handled message and counts it with outcome, or as delete_failed when it stays on the queue.
func (c *sqsConsumer) deleteAndCount(ctx context.Context, id, receipt, outcome, envelope string) {
	_, err := c.client.DeleteMessage(context.WithoutCancel(ctx), &sqs.DeleteMessageInput{
		QueueUrl: aws.String(c.queueURL), ReceiptHandle: aws.String(receipt),
	})
	if err != nil {
		outcome = messageDeleteFailed
		c.logger.Warn("Deleting a handled message failed; it will be received and read again (its records are sent twice). The credentials need sqs:DeleteMessage on the queue.",
			zap.String("message_id", id), zap.Error(err))
	}
	c.count(ctx, outcome, envelope)
}

func (c *sqsConsumer) setVisibility(ctx context.Context, id, receipt string, d time.Duration) {
	_, err := c.client.ChangeMessageVisibility(ctx, changeVisibility(c.queueURL, receipt, d))
	if err != nil && ctx.Err() == nil {
		c.logger.Warn("Changing the visibility of a message failed; it becomes visible again when its current visibility timeout ends. The credentials need sqs:ChangeMessageVisibility on the queue.",
			zap.String("message_id", id), zap.Error(err))
	}
}

func (c *sqsConsumer) count(ctx context.Context, outcome, envelope string) {
	c.telemetry.ReceiverCloudtrails3SqsMessages.Add(ctx, 1, metric.WithAttributes(
		attribute.String("outcome", outcome), attribute.String("envelope", envelope)))
}

func (c *sqsConsumer) receiveFailed(err error) {
	err = receiveError(c.queueURL, err)
	c.status.failed(sourceReceive, err)
	c.errMu.Lock()
	defer c.errMu.Unlock()
	if c.lastRecvErr == err.Error() {
		c.logger.Debug("Receiving from the queue still fails", zap.Error(err))
		return
	}
	c.lastRecvErr = err.Error()
	c.logger.Error("Receiving from the queue failed; retrying with backoff",
		zap.String("queue_url", c.queueURL), zap.Error(err))
}

func (c *sqsConsumer) receiveRecovered() {
	c.status.succeeded(sourceReceive)
	c.errMu.Lock()
	defer c.errMu.Unlock()
	if c.lastRecvErr != "" {
		c.lastRecvErr = ""
		c.logger.Info("Receiving from the queue works again", zap.String("queue_url", c.queueURL))
	}
}

// receiveError explains a failed ReceiveMessage call with what to do about it.
func receiveError(queueURL string, err error) error {
	switch {
	case credentialsRefused(err):
		return fmt.Errorf("receiving from %s was refused (%s): the credentials themselves are not accepted — check sqs.access_key_id and sqs.secret_access_key, sqs.profile or sqs.role_arn (the bucket's when the sqs block sets none), and that session tokens have not expired: %w", queueURL, errorCode(err), err)
	case isAccessDenied(err):
		return fmt.Errorf("receiving from %s was denied: the credentials need sqs:ReceiveMessage, sqs:DeleteMessage, sqs:ChangeMessageVisibility and sqs:GetQueueAttributes on the queue (check the IAM policy and the queue policy), and kms:Decrypt on the queue's key when it uses SSE-KMS: %w", queueURL, err)
	case isQueueMissing(err):
		return fmt.Errorf("queue %s does not exist: check sqs.queue_url and sqs.region (or create the queue): %w", queueURL, err)
	default:
		return fmt.Errorf("receiving from %s (check sqs.queue_url, sqs.region and sqs.endpoint): %w", queueURL, err)
	}
}

// isQueueMissing tells an SQS error saying that the queue does not exist.
func isQueueMissing(err error) bool {
	var missing *types.QueueDoesNotExist
	if errors.As(err, &missing) {
		return true
	}
	code := errorCode(err)
	return code == "AWS.SimpleQueueService.NonExistentQueue" || code == "QueueDoesNotExist"
}

func changeVisibility(queueURL, receipt string, d time.Duration) *sqs.ChangeMessageVisibilityInput {
	return &sqs.ChangeMessageVisibilityInput{
		QueueUrl: aws.String(queueURL), ReceiptHandle: aws.String(receipt), VisibilityTimeout: seconds(d),
	}
}

// seconds rounds d up to whole seconds for the SQS API.
func seconds(d time.Duration) int32 {
	return int32((d + time.Second - 1) / time.Second)
}

// bodyStart is the beginning of a message body, for logs.
func bodyStart(body string) string {
	const maxLen = 200
	if len(body) > maxLen {
		return body[:maxLen] + "…"
	}
	return body
}

// receiveErrorBackoff paces ReceiveMessage calls while they fail.
var receiveErrorBackoff = backoffSettings{Initial: time.Second, Max: time.Minute}

// defaultSQSRetry is the backoff before a message whose objects failed transiently is received again (by receive
// count: 5 s, 10 s, 20 s, … up to 5 minutes).
var defaultSQSRetry = backoffSettings{Initial: 5 * time.Second, Max: 5 * time.Minute}

// newSQSClient builds the SQS client from the sqs block (falling back to the bucket's credentials).
func newSQSClient(ctx context.Context, cfg *Config, retrySettings sdkRetry, logger *zap.Logger) (sqsAPI, error) {
	awsCfg, err := cfg.sqsAWSConfig().Load(ctx, logger.With(zap.String("client", "sqs")))
	if err != nil {
		return nil, err
	}
	awsCfg.Retryer = retrySettings.retryer
	return sqs.NewFromConfig(awsCfg), nil
}

// newSQSConsumer builds the clients and the consumer.
func (r *cloudTrailReceiver) newSQSConsumer(ctx context.Context) (*sqsConsumer, error) {
	client, err := r.newSQSClient(ctx)
	if err != nil {
		return nil, err
	}
	clients, err := r.newS3Clients(ctx)
	if err != nil {
		return nil, err
	}
	cfg := r.cfg
	r.settings.Logger.Info("Reading the CloudTrail files that SQS notifications name",
		zap.String("queue_url", cfg.SQS.QueueURL), zap.Int("workers", cfg.Workers), zap.Time("start_time", cfg.StartTime))
	return &sqsConsumer{
		queueURL: cfg.SQS.QueueURL,
		client:   client,
		s3:       clients,
		reader:   r.newObjectReader("", nil),
		recent:   newRecentObjects(recentObjectsCapacity),
		selector: objectSelector{
			bucket:          cfg.Bucket,
			prefix:          cfg.keyPrefix(),
			anyPrefix:       cfg.Prefix == "",
			accounts:        cfg.Accounts,
			regions:         cfg.Regions,
			includeInsights: cfg.IncludeInsights,
			start:           cfg.StartTime,
		},
		workers:         cfg.objectsInFlight(),
		maxMessages:     cfg.SQS.MaxMessages,
		waitTime:        cfg.SQS.WaitTime,
		visibility:      cfg.SQS.VisibilityTimeout,
		maxExtension:    cfg.SQS.MaxVisibilityExtension,
		maxReceiveCount: cfg.SQS.MaxReceiveCount,
		maxBytes:        cfg.MaxObjectBytes,
		retryBackoff:    r.sqsRetry,
		backlogEvery:    r.sqsBacklogEvery,
		telemetry:       r.telemetry,
		logger:          r.settings.Logger,
		status:          r.status,
	}, nil
}
