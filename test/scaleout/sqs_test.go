// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package scaleout

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"
)

// notifiedBucket is a bucket in moto_server whose ObjectCreated events S3 sends to an SQS queue.
type notifiedBucket struct {
	moto     *testpeers.MotoServer
	s3       *s3.Client
	sqs      *sqs.Client
	bucket   string
	queueURL string
}

func newNotifiedBucket(t *testing.T) *notifiedBucket {
	t.Helper()
	ctx := context.Background()
	moto := testpeers.Moto(t)
	nb := &notifiedBucket{moto: moto, s3: testpeers.S3Client(t, moto.S3()), sqs: sqs.NewFromConfig(moto.S3().AWSConfig())}
	queue, err := nb.sqs.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(testpeers.UniqueName(t, "trail-objects"))})
	if err != nil {
		t.Fatalf("creating the queue: %v", err)
	}
	nb.queueURL = aws.ToString(queue.QueueUrl)
	attrs, err := nb.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: queue.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn},
	})
	if err != nil {
		t.Fatalf("reading the queue's ARN: %v", err)
	}
	nb.bucket = testpeers.UniqueName(t, "trail")
	testpeers.CreateBucket(t, nb.s3, nb.bucket)
	_, err = nb.s3.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{
		Bucket: aws.String(nb.bucket),
		NotificationConfiguration: &s3types.NotificationConfiguration{QueueConfigurations: []s3types.QueueConfiguration{{
			QueueArn: aws.String(attrs.Attributes[string(sqstypes.QueueAttributeNameQueueArn)]),
			Events:   []s3types.Event{s3types.EventS3ObjectCreated},
		}}},
	})
	if err != nil {
		t.Fatalf("configuring the bucket's event notifications: %v", err)
	}
	return nb
}

// messages is the queue's visible plus in-flight message count.
func (nb *notifiedBucket) messages(t *testing.T) int {
	t.Helper()
	out, err := nb.sqs.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(nb.queueURL),
		AttributeNames: []sqstypes.QueueAttributeName{
			sqstypes.QueueAttributeNameApproximateNumberOfMessages, sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible,
		},
	})
	if err != nil {
		t.Fatalf("reading the queue's depth: %v", err)
	}
	visible, _ := strconv.Atoi(out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessages)])
	hidden, _ := strconv.Atoi(out.Attributes[string(sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible)])
	return visible + hidden
}

// runSQSReplicas uploads the corpus (each upload notifies the queue), then starts `replicas` collector processes on the
// queue and waits until every record arrived and every message was deleted.
func runSQSReplicas(t *testing.T, replicas, objects, records int, deadline time.Duration) throughput {
	t.Helper()
	nb := newNotifiedBucket(t)
	c, _ := corpus(t, faults.DefaultFolders, objects, records)
	d := newDeployment(t, deadline)
	c.Upload(d.ctx, t, nb.s3, nb.bucket, 0)
	// S3 sends an s3:TestEvent when the notification is configured: the replicas must delete it too.
	if n := nb.messages(t); n != objects+1 {
		t.Fatalf("the queue holds %d messages after %d uploads, want %d notifications and the s3:TestEvent", n, objects, objects)
	}

	d.start(replicas, func(_ int, cfg *ReplicaConfig) {
		cfg.Endpoint, cfg.Region, cfg.QueueURL = nb.moto.Endpoint, nb.moto.Region, nb.queueURL
	})
	elapsed := d.waitForAll(c.EventIDs)
	d.settle(2 * time.Second)
	for nb.messages(t) != 0 {
		if d.ctx.Err() != nil {
			t.Fatalf("%d messages left in the queue after every record arrived", nb.messages(t))
		}
		time.Sleep(100 * time.Millisecond)
	}
	scrapes := d.scrape()
	_, perReplica := sum(scrapes, "otelcol_receiver_cloudtrails3_objects_processed")
	run := throughput{replicas: replicas, objects: objects, records: len(c.EventIDs), elapsed: elapsed, perReplica: perReplica, cpu: d.cpu()}
	if processed, _ := sum(scrapes, "otelcol_receiver_cloudtrails3_sqs_messages", `outcome="processed"`); processed != objects {
		t.Errorf("the replicas processed %d messages between them, want one per object (%d)", processed, objects)
	}
	if ignored, _ := sum(scrapes, "otelcol_receiver_cloudtrails3_sqs_messages", `outcome="ignored"`); ignored != 1 {
		t.Errorf("the replicas ignored (and deleted) %d messages between them, want 1: the s3:TestEvent", ignored)
	}
	tally := d.requireExactlyOnce(c.EventIDs)
	d.stop()
	t.Logf("SQS mode: %s; %s", run, tally)
	return run
}

// TestSQSThreeProcesses: three collector processes on one queue, 300 objects whose S3 event notifications fill it:
// every record is delivered exactly once, every message is deleted, and each process reads part of the objects.
func TestSQSThreeProcesses(t *testing.T) {
	run := runSQSReplicas(t, 3, 300, 20, 4*time.Minute)
	total := 0
	for i, n := range run.perReplica {
		if n == 0 {
			t.Errorf("replica %d read no object: the queue should spread the work over every replica (%v)", i, run.perReplica)
		}
		total += n
	}
	if total != run.objects {
		t.Errorf("the replicas read %d objects between them, want %d (%v)", total, run.objects, run.perReplica)
	}
}

// TestMeasureSQSOneVersusThree prints objects/s and records/s for 1 and 3 processes on one queue (600 objects of 100
// records). It runs only with SCALEOUT_MEASURE=1 (make scaleout-measure).
func TestMeasureSQSOneVersusThree(t *testing.T) {
	skipUnlessMeasuring(t)
	for _, replicas := range []int{1, 3} {
		t.Run(fmt.Sprintf("replicas=%d", replicas), func(t *testing.T) {
			runSQSReplicas(t, replicas, 600, 100, 10*time.Minute)
		})
	}
}
