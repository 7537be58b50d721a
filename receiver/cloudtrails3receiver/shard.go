// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// shard is the part of the account/region folders one replica polls. Each folder belongs to exactly one shard,
// chosen by a stable hash of "<org>/<account>/<region>": replicas with the same count and different indexes split a
// bucket without talking to each other, and a folder stays in its shard across restarts and versions. The Insights
// folder of an account/region goes with its trail folder.
type shard struct {
	index int
	count int // 0: every folder
}

// owns says whether the replica polls the subtree.
func (s shard) owns(t subtree) bool {
	return s.count <= 1 || shardOf(t, s.count) == s.index
}

func (s shard) filter(subtrees []subtree) []subtree {
	if s.count <= 1 {
		return subtrees
	}
	owned := subtrees[:0:0]
	for _, t := range subtrees {
		if s.owns(t) {
			owned = append(owned, t)
		}
	}
	return owned
}

// shardOf is the shard of a subtree: FNV-1a (32 bit) of "<org>/<account>/<region>" modulo count. Never change it:
// replicas of different versions must agree.
func shardOf(t subtree, count int) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(t.OrgID + "/" + t.Account + "/" + t.Region))
	return int(h.Sum32() % uint32(count))
}

// resolve turns the shard options into the replica's shard, reading the host name when index_from_hostname is set.
func (c ShardConfig) resolve(hostname func() (string, error)) (shard, error) {
	if !c.IndexFromHostname {
		return shard{index: c.Index, count: c.Count}, nil
	}
	host, err := hostname()
	if err != nil {
		return shard{}, fmt.Errorf("shard.index_from_hostname: reading the host name: %w", err)
	}
	index, err := ordinalOf(host)
	if err != nil {
		return shard{}, fmt.Errorf("shard.index_from_hostname: %w", err)
	}
	if index >= c.Count {
		return shard{}, fmt.Errorf("shard.index_from_hostname: host %q has ordinal %d but shard.count is %d: set shard.count to the StatefulSet's replicas", host, index, c.Count)
	}
	return shard{index: index, count: c.Count}, nil
}

// ordinalOf is the trailing "-<n>" of a host name, the ordinal of a StatefulSet pod (cloudtrail-poller-2 → 2).
func ordinalOf(host string) (int, error) {
	host, _, _ = strings.Cut(host, ".")
	i := strings.LastIndexByte(host, '-')
	if i < 0 || i == len(host)-1 {
		return 0, fmt.Errorf("host name %q does not end with -<ordinal> like a StatefulSet pod (name-0, name-1, …): set shard.index instead", host)
	}
	n, err := strconv.Atoi(host[i+1:])
	if err != nil || n < 0 {
		return 0, fmt.Errorf("host name %q does not end with -<ordinal> like a StatefulSet pod (name-0, name-1, …): set shard.index instead", host)
	}
	return n, nil
}
