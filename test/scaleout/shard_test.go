// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package scaleout

import (
	"fmt"
	"hash/fnv"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"
)

// shardedFolders are nine account/region subtrees; with shard.count 3 each shard owns at least one of them.
var shardedFolders = []faults.Folder{
	{Account: "111122223333", Region: "us-east-1"},
	{Account: "111122223333", Region: "eu-west-1"},
	{Account: "111122223333", Region: "ap-southeast-2"},
	{Account: "444455556666", Region: "us-east-1"},
	{Account: "444455556666", Region: "eu-west-1"},
	{Account: "444455556666", Region: "ap-southeast-2"},
	{Account: "777788889999", Region: "us-east-1"},
	{Account: "777788889999", Region: "eu-west-1"},
	{Account: "777788889999", Region: "ap-southeast-2"},
}

// documentedShard is the shard the receiver's README promises for a (non-organization) subtree: FNV-1a (32 bit) of
// "/<account>/<region>" modulo the count. It is computed here independently of the receiver's code, so a change of
// the hash, which would move subtrees between replicas of different versions, fails this test.
func documentedShard(f faults.Folder, count int) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte("/" + f.Account + "/" + f.Region))
	return int(h.Sum32() % uint32(count))
}

// runShardedReplicas uploads the corpus, then starts `replicas` processes polling the bucket with shard.count
// `replicas` and waits until every record arrived. It returns the run and the objects each shard owns.
func runShardedReplicas(t *testing.T, replicas, objects, records int, deadline time.Duration) (throughput, []int) {
	t.Helper()
	moto := testpeers.Moto(t)
	client := testpeers.S3Client(t, moto.S3())
	bucket := testpeers.UniqueName(t, "sharded")
	testpeers.CreateBucket(t, client, bucket)
	c, first := corpus(t, shardedFolders, objects, records)
	d := newDeployment(t, deadline)
	c.Upload(d.ctx, t, client, bucket, 0)

	owned := make([]int, replicas)
	for _, o := range c.Objects {
		owned[documentedShard(folderOf(t, o.Key), replicas)]++
	}
	d.start(replicas, func(index int, cfg *faults.PipelineConfig) {
		cfg.S3Endpoint, cfg.Region, cfg.Bucket = moto.Endpoint, moto.Region, bucket
		cfg.StartTime = first.Add(-time.Hour)
		if replicas > 1 {
			cfg.ShardIndex, cfg.ShardCount = index, replicas
		}
	})
	elapsed := d.waitForAll(c.EventIDs)
	d.settle(3 * time.Second) // a few poll intervals: a replica reading a foreign subtree would show up here
	_, perReplica := sum(d.scrape(), "otelcol_receiver_cloudtrails3_objects_processed")
	run := throughput{replicas: replicas, objects: objects, records: len(c.EventIDs), elapsed: elapsed, perReplica: perReplica, cpu: d.cpu()}
	tally := d.requireExactlyOnce(c.EventIDs)
	d.stop()
	t.Logf("sharded polling: %s; objects per shard by the documented hash %v; %s", run, owned, tally)
	return run, owned
}

// folderOf reads the account and region back from a trail key AWSLogs/<account>/CloudTrail/<region>/....
func folderOf(t *testing.T, key string) faults.Folder {
	parts := strings.Split(key, "/")
	if len(parts) < 4 || parts[0] != "AWSLogs" || parts[2] != "CloudTrail" {
		t.Fatalf("not a trail key: %s", key)
	}
	return faults.Folder{Account: parts[1], Region: parts[3]}
}

// TestShardedPollingThreeProcesses: three collector processes poll one bucket of nine account/region subtrees with
// shard.count 3 and no coordination: every record is delivered exactly once, and each process read exactly the
// objects of the subtrees its shard owns.
func TestShardedPollingThreeProcesses(t *testing.T) {
	run, owned := runShardedReplicas(t, 3, 300, 20, 4*time.Minute)
	for i, n := range run.perReplica {
		if owned[i] == 0 {
			t.Fatalf("shard %d owns no subtree: choose folders that hash into every shard (%v)", i, owned)
		}
		if n != owned[i] {
			t.Errorf("replica %d read %d objects, its shard owns %d (per replica %v, per shard %v)", i, n, owned[i], run.perReplica, owned)
		}
	}
}

// TestMeasureShardedOneVersusThree prints objects/s and records/s for 1 process and 3 sharded processes (600 objects
// of 100 records). It runs only with SCALEOUT_MEASURE=1 (make scaleout-measure).
func TestMeasureShardedOneVersusThree(t *testing.T) {
	skipUnlessMeasuring(t)
	for _, replicas := range []int{1, 3} {
		t.Run(fmt.Sprintf("replicas=%d", replicas), func(t *testing.T) {
			runShardedReplicas(t, replicas, 600, 100, 10*time.Minute)
		})
	}
}

func skipUnlessMeasuring(t *testing.T) {
	if os.Getenv("SCALEOUT_MEASURE") == "" {
		t.Skip("set SCALEOUT_MEASURE=1 (make scaleout-measure) to measure 1 versus 3 replicas")
	}
}
