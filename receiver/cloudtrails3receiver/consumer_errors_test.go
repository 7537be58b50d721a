// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
)

// flakyConsumer refuses the first `failures` calls, then passes batches to the sink.
type flakyConsumer struct {
	consumertest.LogsSink
	mu        sync.Mutex
	failures  int
	permanent func(plog.Logs) bool
}

func (f *flakyConsumer) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	if f.permanent != nil && f.permanent(ld) {
		return consumererror.NewPermanent(errors.New("record too large for the exporter"))
	}
	f.mu.Lock()
	if f.failures > 0 {
		f.failures--
		f.mu.Unlock()
		return errors.New("sending queue is full")
	}
	f.mu.Unlock()
	return f.LogsSink.ConsumeLogs(ctx, ld)
}

func TestRetryableConsumerErrorsAreRetriedUntilAccepted(t *testing.T) {
	fake := newMemS3()
	const bucket = "busy-bucket"
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 25)
	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.MaxBatchRecords = 10
	next := &flakyConsumer{failures: 7}
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, next, tel, fake)
	receiveExactlyOnce(t, r, nil, &next.LogsSink, want, nil, 0)
	assert.Equal(t, 8, fake.getCount(trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")),
		"read again after each of the 7 refusals, without sending the batches already accepted again")
	assert.Equal(t, 3, len(next.AllLogs()), "25 records in batches of at most 10")
	assert.Positive(t, counterValue(t, tel, "otelcol_receiver_refused_log_records"))
}

func TestPermanentConsumerErrorDropsTheBatchAndTheRestFlows(t *testing.T) {
	fake := newMemS3()
	const bucket = "refused-bucket"
	putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 3)
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(time.Minute), "BBBBBBBBBBBBBBBB", 3)
	refusedKey := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	cfg := testConfig(bucket)
	cfg.StartTime = base
	next := &flakyConsumer{permanent: func(ld plog.Logs) bool {
		v, _ := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Attributes().Get("aws.s3.key")
		return v.Str() == refusedKey
	}}
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, next, tel, fake)
	receiveExactlyOnce(t, r, nil, &next.LogsSink, want, fake, 5)
	assert.Equal(t, 1, fake.getCount(refusedKey), "a permanently refused object is not read again")
	assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonRefused))
	assert.Equal(t, int64(3), counterValue(t, tel, "otelcol_receiver_refused_log_records"))
}

func TestShutdownWhilePipelineRefusesDoesNotAcknowledge(t *testing.T) {
	fake := newMemS3()
	const bucket = "stuck-bucket"
	host, storageID := newStorageHost()
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.StorageID = storageID
	stuck := &flakyConsumer{failures: 1 << 30}
	r1 := testReceiver(t, cfg, stuck, nil, fake)
	startReceiver(t, r1, host)
	key := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	require.Eventually(t, func() bool { return fake.getCount(key) >= 1 }, 10*time.Second, 10*time.Millisecond)
	stopReceiver(t, r1)

	sink := new(consumertest.LogsSink)
	r2 := testReceiver(t, cfg, sink, nil, fake)
	receiveExactlyOnce(t, r2, host, sink, want, nil, 0)
}

var _ consumer.Logs = (*flakyConsumer)(nil)

// takingConsumer accepts the first `accept` batches, then takes the records of the next `refuse` batches (as a queue
// batching across callers moves them into its own batch) and refuses them, then accepts again.
type takingConsumer struct {
	consumertest.LogsSink
	accept, refuse int
	calls          int
}

func (c *takingConsumer) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	c.calls++
	if c.calls > c.accept && c.calls <= c.accept+c.refuse {
		taken := plog.NewLogs()
		ld.ResourceLogs().MoveAndAppendTo(taken.ResourceLogs())
		return consumererror.NewLogs(errors.New("listener unavailable"), taken)
	}
	return c.LogsSink.ConsumeLogs(ctx, ld)
}

// TestRefusedBatchWhoseRecordsWereTakenIsReadAgain: the pipeline refuses the third batch of a 25-record object after
// taking its records. The object is read again from S3, and its first two batches, already accepted, are not sent
// again: every record once.
func TestRefusedBatchWhoseRecordsWereTakenIsReadAgain(t *testing.T) {
	fake := newMemS3()
	const bucket = "taken-bucket"
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 25)
	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.MaxBatchRecords = 10
	cfg.Workers = 1
	next := &takingConsumer{accept: 2, refuse: 2}
	r := testReceiver(t, cfg, next, nil, fake)
	receiveExactlyOnce(t, r, nil, &next.LogsSink, want, nil, 0)
	assert.Equal(t, 3, fake.getCount(trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")), "read once, then again after each refusal")
}
