// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/extension"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter/internal/metadata"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/logziotest"
)

// storageHost is a host with one storage extension, like a collector with file_storage configured.
type storageHost struct {
	component.Host
	extensions map[component.ID]component.Component
}

func (h storageHost) GetExtensions() map[component.ID]component.Component { return h.extensions }

var fileStorageID = component.MustNewID("file_storage")

// startFileStorage starts a file_storage extension on dir and returns a host offering it.
func startFileStorage(t *testing.T, dir string) (storageHost, extension.Extension) {
	t.Helper()
	factory := filestorage.NewFactory()
	cfg := factory.CreateDefaultConfig().(*filestorage.Config)
	cfg.Directory = dir
	cfg.Compaction.Directory = dir
	ext, err := factory.Create(context.Background(), extension.Settings{
		ID:                fileStorageID,
		TelemetrySettings: componenttest.NewNopTelemetrySettings(),
		BuildInfo:         component.NewDefaultBuildInfo(),
	}, cfg)
	require.NoError(t, err)
	require.NoError(t, ext.Start(context.Background(), componenttest.NewNopHost()))
	return storageHost{Host: componenttest.NewNopHost(), extensions: map[component.ID]component.Component{fileStorageID: ext}}, ext
}

// TestPersistentQueueSurvivesRestart sends while the listener is down, stops the collector, starts a new one on
// the same storage directory with the listener back, and checks every line arrives exactly once.
func TestPersistentQueueSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	l := logziotest.New(t, logziotest.Options{})
	l.Always(&logziotest.Answer{Status: http.StatusServiceUnavailable})

	newConfig := func() *Config {
		cfg := testConfig(l.URL, "")
		queue := exporterhelper.NewDefaultQueueConfig()
		queue.StorageID = &fileStorageID
		queue.NumConsumers = 1
		cfg.QueueConfig = configoptional.Some(queue)
		cfg.BackOffConfig.MaxElapsedTime = 0 // retry until shut down
		return cfg
	}

	// First collector run: the listener is down.
	h1 := newHarness(t)
	host1, storage1 := startFileStorage(t, dir)
	// The queue is stored under the exporter's ID: both runs use the same one, as a restarted collector does.
	id := component.NewIDWithName(metadata.Type, "persistent")
	set1 := h1.settings()
	set1.ID = id
	exp1, err := NewFactory().CreateLogs(context.Background(), set1, newConfig())
	require.NoError(t, err)
	require.NoError(t, exp1.Start(context.Background(), host1))
	const batches, perBatch = 3, 10
	for b := range batches {
		ld := numberedLogs(perBatch, 10, nil)
		records := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
		for i := range records.Len() {
			records.At(i).Body().Map().PutInt("seq", int64(b*perBatch+i))
		}
		require.NoError(t, h1.consumeLogs(exp1, ld), "the queue accepts the batch while the listener is down")
	}
	require.Eventually(t, func() bool { return len(l.Requests()) >= 2 }, 30*time.Second, 10*time.Millisecond,
		"the exporter is retrying against the failing listener")
	require.NoError(t, exp1.Shutdown(context.Background()))
	require.NoError(t, storage1.Shutdown(context.Background()))
	require.Empty(t, l.Docs(), "nothing was delivered while the listener was down")

	// Second run on the same directory: the listener is back.
	l.Always(nil)
	h2 := newHarness(t)
	host2, storage2 := startFileStorage(t, dir)
	set2 := h2.settings()
	set2.ID = id
	exp2, err := NewFactory().CreateLogs(context.Background(), set2, newConfig())
	require.NoError(t, err)
	require.NoError(t, exp2.Start(context.Background(), host2))
	require.Eventually(t, func() bool { return len(l.Docs()) >= batches*perBatch }, 30*time.Second, 10*time.Millisecond,
		"the queued batches are sent after the restart")
	require.NoError(t, exp2.Shutdown(context.Background()))
	require.NoError(t, storage2.Shutdown(context.Background()))

	assertEachSeqOnce(t, l, batches*perBatch)
	assertNoViolations(t, l)
}
