// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// memSQS is an in-process queue with SQS's visibility semantics: a received message is hidden until its visibility
// timeout ends, then received again with a higher receive count, until it is deleted.
type memSQS struct {
	mu       sync.Mutex
	seq      int
	messages map[string]*memMessage // by message id
	deleted  map[string]bool
	changes  []time.Duration // every ChangeMessageVisibility timeout, in order
	receives int
}

type memMessage struct {
	id, body     string
	receipt      string
	receiveCount int
	sentAt       time.Time
	visibleAt    time.Time
}

func newMemSQS() *memSQS {
	return &memSQS{messages: map[string]*memMessage{}, deleted: map[string]bool{}}
}

func (q *memSQS) send(body string) string {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.seq++
	id := fmt.Sprintf("msg-%d", q.seq)
	q.messages[id] = &memMessage{id: id, body: body, sentAt: time.Now()}
	return id
}

func (q *memSQS) ReceiveMessage(ctx context.Context, in *sqs.ReceiveMessageInput, _ ...func(*sqs.Options)) (*sqs.ReceiveMessageOutput, error) {
	deadline := time.Now().Add(time.Duration(in.WaitTimeSeconds) * time.Second)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		q.mu.Lock()
		q.receives++
		now := time.Now()
		var out []types.Message
		for _, m := range q.messages {
			if len(out) == int(in.MaxNumberOfMessages) {
				break
			}
			if now.Before(m.visibleAt) {
				continue
			}
			m.receiveCount++
			m.receipt = fmt.Sprintf("%s#%d", m.id, m.receiveCount)
			m.visibleAt = now.Add(time.Duration(in.VisibilityTimeout) * time.Second)
			out = append(out, types.Message{
				MessageId: aws.String(m.id), ReceiptHandle: aws.String(m.receipt), Body: aws.String(m.body),
				Attributes: map[string]string{
					"ApproximateReceiveCount": strconv.Itoa(m.receiveCount),
					"SentTimestamp":           strconv.FormatInt(m.sentAt.UnixMilli(), 10),
				},
			})
		}
		q.mu.Unlock()
		if len(out) > 0 || !time.Now().Before(deadline) {
			return &sqs.ReceiveMessageOutput{Messages: out}, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func (q *memSQS) find(receipt string) (*memMessage, error) {
	for _, m := range q.messages {
		if m.receipt == receipt {
			return m, nil
		}
	}
	return nil, fmt.Errorf("ReceiptHandleIsInvalid: %s", receipt)
}

func (q *memSQS) DeleteMessage(_ context.Context, in *sqs.DeleteMessageInput, _ ...func(*sqs.Options)) (*sqs.DeleteMessageOutput, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	m, err := q.find(aws.ToString(in.ReceiptHandle))
	if err != nil {
		return nil, err
	}
	delete(q.messages, m.id)
	q.deleted[m.id] = true
	return &sqs.DeleteMessageOutput{}, nil
}

func (q *memSQS) ChangeMessageVisibility(_ context.Context, in *sqs.ChangeMessageVisibilityInput, _ ...func(*sqs.Options)) (*sqs.ChangeMessageVisibilityOutput, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	m, err := q.find(aws.ToString(in.ReceiptHandle))
	if err != nil {
		return nil, err
	}
	d := time.Duration(in.VisibilityTimeout) * time.Second
	q.changes = append(q.changes, d)
	m.visibleAt = time.Now().Add(d)
	return &sqs.ChangeMessageVisibilityOutput{}, nil
}

// GetQueueAttributes answers the approximate backlog: messages visible now and messages hidden (in flight).
func (q *memSQS) GetQueueAttributes(_ context.Context, _ *sqs.GetQueueAttributesInput, _ ...func(*sqs.Options)) (*sqs.GetQueueAttributesOutput, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	visible, hidden := 0, 0
	now := time.Now()
	for _, m := range q.messages {
		if now.Before(m.visibleAt) {
			hidden++
		} else {
			visible++
		}
	}
	return &sqs.GetQueueAttributesOutput{Attributes: map[string]string{
		"ApproximateNumberOfMessages":           strconv.Itoa(visible),
		"ApproximateNumberOfMessagesNotVisible": strconv.Itoa(hidden),
	}}, nil
}

func (q *memSQS) isDeleted(id string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.deleted[id]
}

func (q *memSQS) receiveCount(id string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if m, ok := q.messages[id]; ok {
		return m.receiveCount
	}
	return -1
}

func (q *memSQS) visibilityChanges() []time.Duration {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]time.Duration(nil), q.changes...)
}

// receivedMessages is how many messages were handed out in total (counting repeats).
func (q *memSQS) receivedMessages() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for _, m := range q.messages {
		n += m.receiveCount
	}
	for range q.deleted {
		n++
	}
	return n
}
