// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package testpeers // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// NotifiedQueue is an SQS queue in moto_server fed by a bucket's S3 event notifications (s3:ObjectCreated:*), the way
// users set up the CloudTrail receiver's SQS mode.
type NotifiedQueue struct {
	SQS    *sqs.Client
	S3     *s3.Client
	URL    string
	ARN    string
	Bucket string
}

// NewNotifiedQueue creates a queue (visibility: its default visibility timeout; 0 keeps SQS's 30 s) and a bucket
// whose ObjectCreated notifications go to it. Saving the notification configuration makes S3 send one s3:TestEvent
// to the queue, as AWS does.
func NewNotifiedQueue(t testing.TB, moto *MotoServer, visibility time.Duration) *NotifiedQueue {
	t.Helper()
	ctx := context.Background()
	q := &NotifiedQueue{SQS: sqs.NewFromConfig(moto.S3().AWSConfig()), S3: S3Client(t, moto.S3())}
	in := &sqs.CreateQueueInput{QueueName: aws.String(UniqueName(t, "objects"))}
	if visibility > 0 {
		in.Attributes = map[string]string{"VisibilityTimeout": strconv.Itoa(int(visibility.Seconds()))}
	}
	out, err := q.SQS.CreateQueue(ctx, in)
	if err != nil {
		t.Fatalf("creating the queue: %v", err)
	}
	q.URL = aws.ToString(out.QueueUrl)
	attrs, err := q.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: out.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn},
	})
	if err != nil {
		t.Fatalf("reading the queue's ARN: %v", err)
	}
	q.ARN = attrs.Attributes[string(sqstypes.QueueAttributeNameQueueArn)]
	q.Bucket = UniqueName(t, "notified")
	CreateBucket(t, q.S3, q.Bucket)
	_, err = q.S3.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{
		Bucket: aws.String(q.Bucket),
		NotificationConfiguration: &s3types.NotificationConfiguration{QueueConfigurations: []s3types.QueueConfiguration{{
			QueueArn: aws.String(q.ARN), Events: []s3types.Event{s3types.EventS3ObjectCreated},
		}}},
	})
	if err != nil {
		t.Fatalf("configuring the bucket's event notifications: %v", err)
	}
	return q
}

// Send puts a message with the given body on the queue (hand-made SNS, EventBridge or CloudTrail envelopes).
func (q *NotifiedQueue) Send(t testing.TB, body string) {
	t.Helper()
	if _, err := q.SQS.SendMessage(context.Background(), &sqs.SendMessageInput{QueueUrl: aws.String(q.URL), MessageBody: aws.String(body)}); err != nil {
		t.Fatalf("sending a message: %v", err)
	}
}

// Depth is the queue's ApproximateNumberOfMessages plus ApproximateNumberOfMessagesNotVisible: what was not deleted.
func (q *NotifiedQueue) Depth(t testing.TB) int {
	t.Helper()
	out, err := q.SQS.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(q.URL),
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
