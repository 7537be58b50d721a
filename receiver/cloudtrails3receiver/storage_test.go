// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/extension"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.uber.org/zap"
)

// sharedStorage is a storage extension whose client outlives receivers, like file_storage across restarts.
type sharedStorage struct {
	extension.Extension
	client *memoryStorage
}

func (s *sharedStorage) GetClient(context.Context, component.Kind, component.ID, string) (storage.Client, error) {
	return s.client, nil
}

type storageHost struct {
	component.Host
	ext map[component.ID]component.Component
}

func (h storageHost) GetExtensions() map[component.ID]component.Component { return h.ext }

func newStorageHost() (storageHost, *component.ID) {
	id := component.MustNewID("file_storage")
	ext := &sharedStorage{Extension: nopExtension{}, client: newMemoryStorage()}
	return storageHost{Host: componenttest.NewNopHost(), ext: map[component.ID]component.Component{id: ext}}, &id
}

type nopExtension struct{}

func (nopExtension) Start(context.Context, component.Host) error { return nil }

func (nopExtension) Shutdown(context.Context) error { return nil }

func TestRestartResumesFromTheStoredPosition(t *testing.T) {
	fake := newMemS3()
	const bucket = "restart-bucket"
	host, storageID := newStorageHost()
	first := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	first = append(first, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(30*time.Minute), "BBBBBBBBBBBBBBBB", 2)...)
	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.StorageID = storageID

	sink1 := new(consumertest.LogsSink)
	r1 := testReceiver(t, cfg, sink1, nil, fake)
	receiveExactlyOnce(t, r1, host, sink1, first, nil, 0)

	second := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(40*time.Minute), "CCCCCCCCCCCCCCCC", 2)
	second = append(second, putTrailFile(t, fake, bucket, "", "", acctA, "eu-west-1", base.Add(time.Minute), "DDDDDDDDDDDDDDDD", 2)...)
	sink2 := new(consumertest.LogsSink)
	r2 := testReceiver(t, cfg, sink2, nil, fake)
	receiveExactlyOnce(t, r2, host, sink2, second, fake, 5)
	assert.Equal(t, 1, fake.getCount(trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")))
}

func TestDefaultStartSkipsOlderFilesAndIsKeptAcrossRestarts(t *testing.T) {
	fake := newMemS3()
	const bucket = "default-start"
	host, storageID := newStorageHost()
	firstStart := base.Add(24 * time.Hour)
	putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2) // a day before the first start
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", firstStart.Add(5*time.Minute), "BBBBBBBBBBBBBBBB", 2)
	cfg := testConfig(bucket)
	cfg.StorageID = storageID

	sink1 := new(consumertest.LogsSink)
	r1 := testReceiver(t, cfg, sink1, nil, fake)
	r1.now = func() time.Time { return firstStart }
	receiveExactlyOnce(t, r1, host, sink1, want, fake, 5)

	// A region that appears later, with files delivered after the first start but before this restart: read, because
	// the first start is persisted.
	later := putTrailFile(t, fake, bucket, "", "", acctA, "eu-west-1", firstStart.Add(time.Hour), "CCCCCCCCCCCCCCCC", 2)
	sink2 := new(consumertest.LogsSink)
	r2 := testReceiver(t, cfg, sink2, nil, fake)
	r2.now = func() time.Time { return firstStart.Add(48 * time.Hour) }
	receiveExactlyOnce(t, r2, host, sink2, later, fake, 5)
}

func TestStartFailsWithAClearErrorForAMissingStorageExtension(t *testing.T) {
	cfg := testConfig("bucket-x")
	id := component.MustNewID("file_storage")
	cfg.StorageID = &id
	r := testReceiver(t, cfg, new(consumertest.LogsSink), nil, newMemS3())
	err := r.Start(context.Background(), componenttest.NewNopHost())
	require.ErrorContains(t, err, `storage extension "file_storage" is not configured`)
	require.NoError(t, r.Shutdown(context.Background()))
}

// failingStorage is a storage extension whose file cannot be opened (a damaged bbolt file answers "invalid database").
type failingStorage struct{ nopExtension }

func (failingStorage) GetClient(context.Context, component.Kind, component.ID, string) (storage.Client, error) {
	return nil, errors.New("invalid database")
}

// TestStartFailsWithTheStorageError: the storage extension's error (file_storage names a damaged file and the remedy:
// extension/checkedfilestorage) reaches the user with the extension's name.
func TestStartFailsWithTheStorageError(t *testing.T) {
	cfg := testConfig("bucket-x")
	id := component.MustNewID("file_storage")
	cfg.StorageID = &id
	r := testReceiver(t, cfg, new(consumertest.LogsSink), nil, newMemS3())
	host := storageHost{Host: componenttest.NewNopHost(), ext: map[component.ID]component.Component{id: failingStorage{}}}
	err := r.Start(context.Background(), host)
	require.ErrorContains(t, err, `opening storage extension "file_storage": invalid database`)
	require.NoError(t, r.Shutdown(context.Background()))
}

// TestStartWithoutStoredPositionSaysSoLoudly: with a storage extension but no stored position (a first start, or a
// lost or recreated file), the receiver warns, since files delivered while the position was lost are not read.
func TestStartWithoutStoredPositionSaysSoLoudly(t *testing.T) {
	host, storageID := newStorageHost()
	cfg := testConfig("bucket-y")
	cfg.StorageID = storageID
	r := testReceiver(t, cfg, new(consumertest.LogsSink), nil, newMemS3())
	logs := observeLogs(r, zap.WarnLevel)
	require.NoError(t, r.Start(context.Background(), host))
	require.NoError(t, r.Shutdown(context.Background()))
	assert.Equal(t, 1, logs.FilterMessageSnippet("No stored position for this bucket and prefix").Len())

	// Started again on the same storage: the position is there, nothing to warn about.
	r2 := testReceiver(t, cfg, new(consumertest.LogsSink), nil, newMemS3())
	logs2 := observeLogs(r2, zap.WarnLevel)
	require.NoError(t, r2.Start(context.Background(), host))
	require.NoError(t, r2.Shutdown(context.Background()))
	assert.Zero(t, logs2.FilterMessageSnippet("No stored position").Len())
}

// TestStoredPositionInTheFutureRecovers: a position that an earlier version moved to a future-named file is not
// resumed from (nothing after it would ever be listed): the subtree is read again from the start time.
func TestStoredPositionInTheFutureRecovers(t *testing.T) {
	fake := newMemS3()
	const bucket = "future-position"
	host, storageID := newStorageHost()
	future := time.Now().AddDate(1, 0, 0).Truncate(time.Minute)
	s := subtree{Account: acctA, Region: "us-east-1"}
	store := &checkpointStore{client: host.ext[*storageID].(*sharedStorage).client, bucket: bucket}
	futureKey := trailKey("", "", acctA, "us-east-1", future, "FFFFFFFFFFFFFFFF")
	require.NoError(t, store.saveSubtree(context.Background(), s, subtreeCheckpoint{
		Watermark: futureKey, WatermarkTime: future, NewestTime: future, Done: []string{futureKey},
	}, nil, false))
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(time.Hour), "AAAAAAAAAAAAAAAA", 2)
	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.StorageID = storageID
	sink := new(consumertest.LogsSink)
	r := testReceiver(t, cfg, sink, nil, fake)
	logs := observeLogs(r, zap.InfoLevel)
	receiveExactlyOnce(t, r, host, sink, want, fake, 5)
	assert.Equal(t, 1, logs.FilterMessageSnippet("stored position of this account/region lies in the future").Len())

	cp, found, err := store.loadSubtree(context.Background(), s)
	require.NoError(t, err)
	require.True(t, found)
	assert.False(t, cp.inFuture(time.Now()), "the stored position is back in the past: %+v", cp)
}
