// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"
	"time"

	"go.uber.org/zap"
)

// keepHidden extends the visibility of a message every half visibility timeout while its objects are read, so that no
// other consumer receives it meanwhile. Once the next extension would pass max_visibility_extension after the receipt,
// it cancels the message's work with errVisibilityExhausted instead: the message then becomes visible again and is
// read from the start, by this replica or another. The returned function stops the heartbeat and waits for it.
func (c *sqsConsumer) keepHidden(ctx context.Context, cancel context.CancelCauseFunc, id, receipt string, receivedAt time.Time) func() {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		ticker := time.NewTicker(c.visibility / 2)
		defer ticker.Stop()
		warned := false
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case now := <-ticker.C:
				remaining := c.maxExtension - now.Sub(receivedAt)
				if remaining <= c.visibility/2 {
					c.logger.Warn("Stopped reading a message whose visibility was extended up to sqs.max_visibility_extension; it becomes visible again and is read from the start. Raise sqs.max_visibility_extension if objects take this long (a slow or blocked pipeline).",
						zap.String("message_id", id), zap.Duration("max_visibility_extension", c.maxExtension))
					cancel(errVisibilityExhausted)
					return
				}
				if err := c.extend(ctx, receipt, min(c.visibility, remaining)); err != nil && ctx.Err() == nil && !warned {
					warned = true
					c.logger.Warn("Extending the visibility of a message failed; another consumer may receive it while it is read (its records may be sent twice). The credentials need sqs:ChangeMessageVisibility on the queue.",
						zap.String("message_id", id), zap.Error(err))
				}
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
	}
}

func (c *sqsConsumer) extend(ctx context.Context, receipt string, d time.Duration) error {
	_, err := c.client.ChangeMessageVisibility(ctx, changeVisibility(c.queueURL, receipt, d))
	if err == nil {
		c.telemetry.ReceiverCloudtrails3SqsVisibilityExtended.Add(ctx, 1)
	}
	return err
}
