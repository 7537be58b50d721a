// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/ctgen"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/metadata"
)

// scaleOutRun is what several receivers on one queue delivered.
type scaleOutRun struct {
	want     map[string]int
	replicas []*deliveries
	elapsed  time.Duration
	records  int
}

// runReplicasOnQueue writes `objects` CloudTrail files (S3 notifications fill the queue), then starts `replicas`
// receivers on the queue, each with its own SQS consumer and S3 clients as separate collector processes would have,
// and waits until every record arrived and the queue is empty.
func runReplicasOnQueue(t *testing.T, replicas, objects, recordsPerObject int) scaleOutRun {
	t.Helper()
	q := newMotoQueue(t, 30*time.Second)
	at := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	regions := []string{"us-east-1", "us-west-2", "eu-west-1", "ap-south-1", "sa-east-1", "eu-central-1"}
	run := scaleOutRun{want: map[string]int{}}
	for i := range objects {
		region := regions[i%len(regions)]
		key := trailKey("", "", testpeers.MotoAccountID, region, at.Add(time.Duration(i)*time.Minute), fmt.Sprintf("SCALE%011d", i))
		testpeers.PutObject(t, q.s3, q.bucket, key, ctgen.File(int64(i), recordsPerObject, testpeers.MotoAccountID, region, at))
		run.want[key] = recordsPerObject
		run.records += recordsPerObject
	}
	start := time.Now()
	var receivers []receiver.Logs
	for range replicas {
		d := newDeliveries()
		run.replicas = append(run.replicas, d)
		cfg := q.config()
		cfg.SQS.VisibilityTimeout = 30 * time.Second
		receivers = append(receivers, startSQSReceiver(t, cfg, d, receivertest.NewNopSettings(metadata.Type)))
	}
	require.Eventually(t, func() bool {
		n := 0
		for _, d := range run.replicas {
			n += d.count()
		}
		return n >= run.records
	}, 120*time.Second, 20*time.Millisecond)
	run.elapsed = time.Since(start)
	require.Eventually(t, func() bool { return q.remaining(t) == 0 }, 30*time.Second, 50*time.Millisecond, "every message deleted")
	for _, r := range receivers {
		require.NoError(t, r.Shutdown(context.Background()))
	}
	return run
}

// merged is every replica's deliveries together, checked for exactly-once delivery.
func (r scaleOutRun) requireExactlyOnce(t *testing.T) {
	t.Helper()
	all := newDeliveries()
	for _, d := range r.replicas {
		d.mu.Lock()
		for k, n := range d.perKey {
			all.perKey[k] += n
		}
		for id, n := range d.eventIDs {
			all.eventIDs[id] += n
		}
		d.mu.Unlock()
	}
	all.requireExactly(t, r.want)
}

func (r scaleOutRun) report(t *testing.T, replicas int) {
	objects := float64(len(r.want)) / r.elapsed.Seconds()
	records := float64(r.records) / r.elapsed.Seconds()
	perReplica := make([]int, len(r.replicas))
	for i, d := range r.replicas {
		d.mu.Lock()
		perReplica[i] = len(d.perKey)
		d.mu.Unlock()
	}
	t.Logf("replicas=%d objects=%d records=%d elapsed=%s objects/s=%.1f records/s=%.0f objects per replica=%v",
		replicas, len(r.want), r.records, r.elapsed.Round(time.Millisecond), objects, records, perReplica)
}

// TestMotoSQSScaleOutThreeReplicas runs three receivers on one queue (in one test process, each with its own SQS
// consumer, S3 clients and pipeline): 300 objects, every record delivered exactly once, and every replica does part of
// the work.
func TestMotoSQSScaleOutThreeReplicas(t *testing.T) {
	run := runReplicasOnQueue(t, 3, 300, 20)
	run.requireExactlyOnce(t)
	for i, d := range run.replicas {
		d.mu.Lock()
		assert.NotEmpty(t, d.perKey, "replica %d read no object", i)
		d.mu.Unlock()
	}
	run.report(t, 3)
}

// TestMotoSQSThroughputOneVersusThreeReplicas measures objects/s and records/s on loopback for 1 and 3 replicas.
// It takes about a minute, so it runs only with CLOUDTRAILS3_THROUGHPUT=1 (make -f ... cloudtrails3-throughput).
func TestMotoSQSThroughputOneVersusThreeReplicas(t *testing.T) {
	if os.Getenv("CLOUDTRAILS3_THROUGHPUT") == "" {
		t.Skip("set CLOUDTRAILS3_THROUGHPUT=1 to measure throughput")
	}
	for _, replicas := range []int{1, 3} {
		run := runReplicasOnQueue(t, replicas, 600, 100)
		run.requireExactlyOnce(t)
		run.report(t, replicas)
	}
}
