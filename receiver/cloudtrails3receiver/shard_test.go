// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer/consumertest"
)

// shardSubtrees are eight account/region folders that the FNV-1a hash spreads over all of 3 shards (and of 2).
var shardSubtrees = []subtree{
	{Account: acctA, Region: "us-east-1"},
	{Account: acctA, Region: "eu-west-1"},
	{Account: acctA, Region: "ap-south-1"},
	{Account: acctB, Region: "us-east-1"},
	{Account: acctB, Region: "us-west-2"},
	{OrgID: orgID, Account: acctB, Region: "us-west-2"},
	{OrgID: orgID, Account: "333333333333", Region: "eu-central-1"},
	{OrgID: orgID, Account: "333333333333", Region: "sa-east-1"},
}

// TestShardOfNeverChanges pins the hash: replicas of different versions must put every folder in the same shard.
func TestShardOfNeverChanges(t *testing.T) {
	want3 := []int{2, 2, 0, 0, 0, 1, 1, 0}
	want2 := []int{1, 1, 0, 1, 0, 1, 0, 0}
	for i, s := range shardSubtrees {
		assert.Equal(t, want3[i], shardOf(s, 3), s.String())
		assert.Equal(t, want2[i], shardOf(s, 2), s.String())
		insights := s
		insights.Insights = true
		assert.Equal(t, shardOf(s, 3), shardOf(insights, 3), "the Insights folder goes with its trail folder")
	}
	all := shard{}.filter(shardSubtrees)
	assert.Len(t, all, len(shardSubtrees), "no sharding: every folder")
	total := 0
	for i := range 3 {
		total += len(shard{index: i, count: 3}.filter(shardSubtrees))
	}
	assert.Equal(t, len(shardSubtrees), total, "each folder in exactly one shard")
}

func TestShardIndexFromHostname(t *testing.T) {
	host := func(name string) func() (string, error) { return func() (string, error) { return name, nil } }
	s, err := ShardConfig{Count: 3, IndexFromHostname: true}.resolve(host("cloudtrail-poller-2"))
	require.NoError(t, err)
	assert.Equal(t, shard{index: 2, count: 3}, s)
	s, err = ShardConfig{Count: 3, IndexFromHostname: true}.resolve(host("cloudtrail-poller-0.cloudtrail-poller.logging.svc"))
	require.NoError(t, err)
	assert.Equal(t, shard{index: 0, count: 3}, s)

	_, err = ShardConfig{Count: 3, IndexFromHostname: true}.resolve(host("cloudtrail-poller-3"))
	assert.ErrorContains(t, err, "has ordinal 3 but shard.count is 3")
	_, err = ShardConfig{Count: 3, IndexFromHostname: true}.resolve(host("poller"))
	assert.ErrorContains(t, err, "does not end with -<ordinal>")
	_, err = ShardConfig{Count: 3, IndexFromHostname: true}.resolve(host("poller-x"))
	assert.ErrorContains(t, err, "does not end with -<ordinal>")
	_, err = ShardConfig{Count: 3, IndexFromHostname: true}.resolve(func() (string, error) { return "", errors.New("boom") })
	assert.ErrorContains(t, err, "reading the host name")
	s, err = ShardConfig{Index: 1, Count: 2}.resolve(nil)
	require.NoError(t, err)
	assert.Equal(t, shard{index: 1, count: 2}, s)
}

// putShardFiles writes files into every folder of shardSubtrees at minute offsets and returns their eventIDs.
func putShardFiles(t *testing.T, fake *memS3, bucket string, from time.Time, files int) []string {
	t.Helper()
	var want []string
	for _, s := range shardSubtrees {
		for f := range files {
			at := from.Add(time.Duration(f) * time.Minute)
			want = append(want, putTrailFile(t, fake, bucket, "", s.OrgID, s.Account, s.Region, at, fmt.Sprintf("F%015d", f), 2)...)
		}
	}
	return want
}

// runShards runs count pollers over the bucket until they delivered want between them, and returns each one's sink.
func runShards(t *testing.T, fake *memS3, cfg func(index int) *Config, count int, host func(index int) func() (string, error), want int, hostExt *storageHost) []*consumertest.LogsSink {
	t.Helper()
	sinks := make([]*consumertest.LogsSink, count)
	receivers := make([]*cloudTrailReceiver, count)
	for i := range count {
		sinks[i] = new(consumertest.LogsSink)
		receivers[i] = testReceiver(t, cfg(i), sinks[i], nil, fake)
		if host != nil {
			receivers[i].hostname = host(i)
		}
		var h component.Host
		if hostExt != nil {
			h = *hostExt
		}
		startReceiver(t, receivers[i], h)
	}
	require.Eventually(t, func() bool {
		n := 0
		for _, s := range sinks {
			n += s.LogRecordCount()
		}
		return n >= want
	}, 30*time.Second, 10*time.Millisecond)
	fake.waitForMoreLists(t, 10*count)
	for _, r := range receivers {
		stopReceiver(t, r)
	}
	return sinks
}

func TestShardedPollingSplitsTheBucketWithoutDuplicates(t *testing.T) {
	fake := newMemS3()
	const bucket = "sharded-bucket"
	want := putShardFiles(t, fake, bucket, base, 3)
	sinks := runShards(t, fake, func(index int) *Config {
		cfg := testConfig(bucket)
		cfg.StartTime = base
		cfg.Shard = ShardConfig{Index: index, Count: 3}
		return cfg
	}, 3, nil, len(want), nil)

	var all []string
	for i, sink := range sinks {
		ids := eventIDs(sink)
		assert.NotEmpty(t, ids, "shard %d read nothing", i)
		all = append(all, ids...)
		for _, ld := range sink.AllLogs() {
			key, _ := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Attributes().Get("aws.s3.key")
			lf, err := parseLogKey("", key.Str())
			require.NoError(t, err)
			assert.Equal(t, i, shardOf(lf.Subtree, 3), "shard %d read %s", i, key.Str())
		}
	}
	requireExactlyOnce(t, want, all)
}

// TestShardCountChangeHandsOverAtStoredWatermarks goes from 2 to 3 replicas on shared storage (every replica reads
// and writes the same positions, as with a database-backed storage extension): folders that change hands resume at
// the watermark their previous owner stored, so nothing is read twice or missed.
func TestShardCountChangeHandsOverAtStoredWatermarks(t *testing.T) {
	fake := newMemS3()
	const bucket = "handover-bucket"
	host, storageID := newStorageHost()
	config := func(count int) func(int) *Config {
		return func(int) *Config {
			cfg := testConfig(bucket)
			cfg.StartTime = base
			cfg.StorageID = storageID
			cfg.Shard = ShardConfig{Count: count, IndexFromHostname: true}
			return cfg
		}
	}
	podName := func(index int) func() (string, error) {
		return func() (string, error) { return fmt.Sprintf("cloudtrail-poller-%d", index), nil }
	}

	first := putShardFiles(t, fake, bucket, base, 2)
	var got []string
	for _, sink := range runShards(t, fake, config(2), 2, podName, len(first), &host) {
		got = append(got, eventIDs(sink)...)
	}
	requireExactlyOnce(t, first, got)

	second := putShardFiles(t, fake, bucket, base.Add(time.Hour), 2)
	got = nil
	for _, sink := range runShards(t, fake, config(3), 3, podName, len(second), &host) {
		got = append(got, eventIDs(sink)...)
	}
	requireExactlyOnce(t, second, got)
}
