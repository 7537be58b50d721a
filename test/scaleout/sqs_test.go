// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package scaleout

import (
	"fmt"
	"testing"
	"time"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"
)

// runSQSReplicas uploads the corpus (each upload notifies the queue), then starts `replicas` collector processes on the
// queue and waits until every record arrived and every message was deleted.
func runSQSReplicas(t *testing.T, replicas, objects, records int, deadline time.Duration) throughput {
	t.Helper()
	moto := testpeers.Moto(t)
	queue := testpeers.NewNotifiedQueue(t, moto, 30*time.Second)
	c, _ := corpus(t, faults.DefaultFolders, objects, records)
	d := newDeployment(t, deadline)
	c.Upload(d.ctx, t, queue.S3, queue.Bucket, 0)
	// S3 sends an s3:TestEvent when the notification is configured: the replicas must delete it too.
	if n := queue.Depth(t); n != objects+1 {
		t.Fatalf("the queue holds %d messages after %d uploads, want %d notifications and the s3:TestEvent", n, objects, objects)
	}

	sqsProxy := newReceiveSerializer(t, moto.Endpoint)
	d.start(replicas, func(_ int, cfg *faults.PipelineConfig) {
		cfg.S3Endpoint, cfg.Region, cfg.QueueURL, cfg.SQSEndpoint = moto.Endpoint, moto.Region, queue.URL, sqsProxy.URL
	})
	elapsed := d.waitForAll(c.EventIDs)
	d.settle(2 * time.Second)
	for queue.Depth(t) != 0 {
		if d.ctx.Err() != nil {
			t.Fatalf("%d messages left in the queue after every record arrived", queue.Depth(t))
		}
		time.Sleep(100 * time.Millisecond)
	}
	scrapes := d.scrape()
	_, perReplica := sum(scrapes, "otelcol_receiver_cloudtrails3_objects_processed")
	run := throughput{replicas: replicas, objects: objects, records: len(c.EventIDs), elapsed: elapsed, perReplica: perReplica, cpu: d.cpu()}
	receives, messages, repeats := sqsProxy.stats()
	// moto_server can still hand a message out twice now and then (see receiveSerializer; SQS would not within the
	// visibility timeout): each repeat may be processed once more. The records must arrive exactly once all the same.
	if processed, _ := sum(scrapes, "otelcol_receiver_cloudtrails3_sqs_messages", `outcome="processed"`); processed < objects || processed > objects+repeats {
		t.Errorf("the replicas processed %d messages between them, want one per object (%d, plus at most the %d the queue handed out twice)", processed, objects, repeats)
	}
	if ignored, _ := sum(scrapes, "otelcol_receiver_cloudtrails3_sqs_messages", `outcome="ignored"`); ignored != 1 {
		t.Errorf("the replicas ignored (and deleted) %d messages between them, want 1: the s3:TestEvent", ignored)
	}
	if receives == 0 {
		t.Errorf("no ReceiveMessage went through the serializing proxy: the replicas did not use sqs.endpoint")
	}
	if repeats != 0 {
		t.Logf("moto_server handed %d messages out more than once (%d distinct, %d receives)", repeats, messages, receives)
	}
	tally := d.requireExactlyOnce(c.EventIDs)
	d.stop()
	t.Logf("SQS mode: %s; %s; %d receives handed out %d messages", run, tally, receives, messages)
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
