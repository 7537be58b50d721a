// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter/internal/metadata"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/logziotest"
)

// fullDisk wraps a real storage extension: while full is set, every write fails with ENOSPC (as bbolt reports a
// full file system), reads still work.
type fullDisk struct {
	storage.Extension
	full *atomic.Bool
}

func (d fullDisk) GetClient(ctx context.Context, kind component.Kind, id component.ID, name string) (storage.Client, error) {
	c, err := d.Extension.GetClient(ctx, kind, id, name)
	if err != nil {
		return nil, err
	}
	return fullDiskClient{Client: c, full: d.full}, nil
}

type fullDiskClient struct {
	storage.Client
	full *atomic.Bool
}

var errDiskFull = fmt.Errorf("write /var/lib/otelcol-logzio-aws/exporter_logzio__logs: %w", syscall.ENOSPC)

func (c fullDiskClient) Set(ctx context.Context, key string, value []byte) error {
	if c.full.Load() {
		return errDiskFull
	}
	return c.Client.Set(ctx, key, value)
}

func (c fullDiskClient) Delete(ctx context.Context, key string) error {
	if c.full.Load() {
		return errDiskFull
	}
	return c.Client.Delete(ctx, key)
}

func (c fullDiskClient) Batch(ctx context.Context, ops ...*storage.Operation) error {
	if c.full.Load() && hasWrite(ops) {
		return errDiskFull
	}
	return c.Client.Batch(ctx, ops...)
}

// seqLogs is a batch of n records numbered from first (body field seq).
func seqLogs(first, n int) plog.Logs {
	ld := numberedLogs(n, 10, nil)
	records := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	for i := range records.Len() {
		records.At(i).Body().Map().PutInt("seq", int64(first+i))
	}
	return ld
}

// TestPersistentQueueDiskFull: batches accepted into the persistent queue must all be sent although the disk fills
// up after they were queued (the queue cannot write its metadata when it dispatches or removes them), and a batch
// that cannot be queued must be refused with a retryable error, so that the receiver keeps it and retries.
// Without safeQueueClient the exporterhelper drops the items whose dispatch could not be written: they never arrive.
func TestPersistentQueueDiskFull(t *testing.T) {
	dir := t.TempDir()
	l := logziotest.New(t, logziotest.Options{})
	l.Always(&logziotest.Answer{Status: http.StatusServiceUnavailable})

	cfg := testConfig(l.URL, "")
	queue := exporterhelper.NewDefaultQueueConfig()
	queue.StorageID = &fileStorageID
	queue.NumConsumers = 1
	cfg.QueueConfig = configoptional.Some(queue)
	cfg.BackOffConfig.InitialInterval = 10 * time.Millisecond
	cfg.BackOffConfig.MaxInterval = 50 * time.Millisecond
	cfg.BackOffConfig.MaxElapsedTime = 0 // retry until shut down

	var full atomic.Bool
	host, ext := startFileStorage(t, dir)
	host.extensions = map[component.ID]component.Component{fileStorageID: fullDisk{Extension: ext.(storage.Extension), full: &full}}
	h := newHarness(t)
	set := h.settings()
	set.ID = component.NewIDWithName(metadata.Type, "diskfull")
	exp, err := NewFactory().CreateLogs(context.Background(), set, cfg)
	require.NoError(t, err)
	require.NoError(t, exp.Start(context.Background(), host))

	// Three batches are queued while the listener is down; the only consumer holds the first one and retries it.
	const perBatch = 10
	for b := range 3 {
		require.NoError(t, h.consumeLogs(exp, seqLogs(b*perBatch, perBatch)))
	}
	require.Eventually(t, func() bool { return len(l.Requests()) >= 1 }, 30*time.Second, 5*time.Millisecond,
		"the consumer is retrying the first batch")

	// The disk is full: a new batch cannot be queued, and the caller must learn it can retry.
	full.Store(true)
	err = h.consumeLogs(exp, seqLogs(3*perBatch, perBatch))
	require.Error(t, err, "a batch that could not be written to the queue must not be acknowledged")
	require.ErrorIs(t, err, syscall.ENOSPC)
	require.False(t, consumererror.IsPermanent(err), "an enqueue failure is retryable (the receiver keeps the object and retries): %v", err)

	// The listener recovers while the disk is still full: every queued batch is sent.
	l.Always(nil)
	require.Eventually(t, func() bool { return len(l.Docs()) >= 3*perBatch }, 30*time.Second, 5*time.Millisecond,
		"the batches queued before the disk filled up are sent while it is full")

	// The disk has room again: the refused batch is accepted on retry and sent.
	full.Store(false)
	require.NoError(t, h.consumeLogs(exp, seqLogs(3*perBatch, perBatch)))
	require.Eventually(t, func() bool { return len(l.Docs()) >= 4*perBatch }, 30*time.Second, 5*time.Millisecond)
	require.NoError(t, exp.Shutdown(context.Background()))
	assertEachSeqOnce(t, l, 4*perBatch)
	assertNoViolations(t, l)
	require.NotEmpty(t, h.logged("cannot write to its storage (disk full?)"), "the write failures are logged with what to do")

	// The sent items whose removal could not be written while the disk was full were removed with the next write:
	// nothing is left in the queue's storage to fill the disk (or to be sent again).
	client, err := ext.(storage.Extension).GetClient(context.Background(), component.KindExporter, set.ID, "logs")
	require.NoError(t, err)
	for index := range 6 {
		value, err := client.Get(context.Background(), strconv.Itoa(index))
		require.NoError(t, err)
		require.Nil(t, value, "queue item %d is still stored after it was sent", index)
	}
	require.NoError(t, client.Close(context.Background()))
	require.NoError(t, ext.Shutdown(context.Background()))
}
