// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/extension/xextension/storage"
)

// slowStorage is a storage client whose writes take a while, like a disk under load, and are counted per key prefix.
type slowStorage struct {
	*memoryStorage
	delay          time.Duration
	positionWrites atomic.Int32
}

func (s *slowStorage) count(key string) {
	if strings.HasPrefix(key, "subtree/") {
		s.positionWrites.Add(1)
	}
}

func (s *slowStorage) Set(ctx context.Context, key string, value []byte) error {
	time.Sleep(s.delay)
	s.count(key)
	return s.memoryStorage.Set(ctx, key, value)
}

func (s *slowStorage) Batch(ctx context.Context, ops ...*storage.Operation) error {
	time.Sleep(s.delay)
	for _, op := range ops {
		if op.Type == storage.Set {
			s.count(op.Key)
		}
	}
	return s.memoryStorage.Batch(ctx, ops...)
}

type slowStorageExtension struct {
	nopExtension
	client *slowStorage
}

func (s *slowStorageExtension) GetClient(context.Context, component.Kind, component.ID, string) (storage.Client, error) {
	return s.client, nil
}

// TestPositionWritesCoalesce: objects of one account/region finishing while the position is being written do not
// each write it: the writer writes once more for all of them (group commit). Every object is still in the stored
// position: a restart reads none again.
func TestPositionWritesCoalesce(t *testing.T) {
	const (
		bucket  = "coalesce-bucket"
		objects = 64
	)
	fake := newMemS3()
	var want []string
	for i := range objects {
		at := base.Add(time.Duration(i) * time.Second)
		want = append(want, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", at, fmt.Sprintf("%016d", i), 2)...)
	}
	id := component.MustNewID("file_storage")
	slow := &slowStorage{memoryStorage: newMemoryStorage(), delay: 50 * time.Millisecond}
	host := storageHost{Host: componenttest.NewNopHost(), ext: map[component.ID]component.Component{id: &slowStorageExtension{client: slow}}}
	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.StorageID = &id
	cfg.Workers = 16

	sink := new(consumertest.LogsSink)
	r := testReceiver(t, cfg, sink, nil, fake)
	receiveExactlyOnce(t, r, host, sink, want, nil, 0)
	writes := slow.positionWrites.Load()
	t.Logf("%d objects, %d position writes", objects, writes)
	assert.Less(t, writes, int32(objects/2), "objects finished during a write share the next one")

	again := new(consumertest.LogsSink)
	r2 := testReceiver(t, cfg, again, nil, fake)
	startReceiver(t, r2, host)
	fake.waitForMoreLists(t, 3)
	stopReceiver(t, r2)
	require.Zero(t, again.LogRecordCount(), "every finished object is in the stored position")
}
