// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"
)

// defaultBacklogInterval is how often each replica reads the queue's backlog: one GetQueueAttributes request a
// minute, on the scale at which SQS's approximate counts move anyway.
const defaultBacklogInterval = time.Minute

// backlogStates maps the queue attributes read to the state attribute of the sqs_backlog gauge.
var backlogStates = []struct {
	attribute types.QueueAttributeName
	state     string
}{
	{types.QueueAttributeNameApproximateNumberOfMessages, "visible"},             // waiting to be received
	{types.QueueAttributeNameApproximateNumberOfMessagesNotVisible, "in_flight"}, // received, not deleted yet
}

// recordOldestAge records how long the oldest message of one receive waited in the queue (now minus its
// SentTimestamp), 0 when the receive returned nothing: nothing was waiting.
func (c *sqsConsumer) recordOldestAge(ctx context.Context, msgs []types.Message, now time.Time) {
	oldest := 0.0
	for _, m := range msgs {
		sent, err := strconv.ParseInt(m.Attributes[string(types.MessageSystemAttributeNameSentTimestamp)], 10, 64)
		if err != nil {
			continue
		}
		oldest = max(oldest, now.Sub(time.UnixMilli(sent)).Seconds())
	}
	c.telemetry.ReceiverCloudtrails3SqsOldestMessageAge.Record(ctx, oldest)
}

// pollBacklog reads the queue's backlog now and every backlogEvery until ctx ends. A failure is logged once per
// distinct error; it changes nothing else (the gauge keeps its last value).
func (c *sqsConsumer) pollBacklog(ctx context.Context) {
	if c.backlogEvery <= 0 {
		return
	}
	lastErr := ""
	for {
		err := c.readBacklog(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil && err.Error() != lastErr:
			lastErr = err.Error()
			c.logger.Warn("Reading the queue's backlog with GetQueueAttributes failed; the sqs_backlog metric is not updated until it works. The credentials need sqs:GetQueueAttributes on the queue.",
				zap.String("queue_url", c.queueURL), zap.Error(err))
		case err == nil && lastErr != "":
			lastErr = ""
			c.logger.Info("Reading the queue's backlog works again", zap.String("queue_url", c.queueURL))
		}
		if !sleep(ctx, c.backlogEvery) {
			return
		}
	}
}

func (c *sqsConsumer) readBacklog(ctx context.Context) error {
	names := make([]types.QueueAttributeName, len(backlogStates))
	for i, b := range backlogStates {
		names[i] = b.attribute
	}
	out, err := c.client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(c.queueURL), AttributeNames: names})
	if err != nil {
		return err
	}
	for _, b := range backlogStates {
		n, err := strconv.ParseInt(out.Attributes[string(b.attribute)], 10, 64)
		if err != nil {
			continue
		}
		c.telemetry.ReceiverCloudtrails3SqsBacklog.Record(ctx, n, metric.WithAttributes(attribute.String("state", b.state)))
	}
	return nil
}
