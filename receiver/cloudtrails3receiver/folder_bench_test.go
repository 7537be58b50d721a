// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/extension/extensiontest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/benchtest"
)

// newFileStorageHost starts contrib's file_storage extension (bbolt) in a temporary directory: the storage the
// distribution ships with, so checkpoint costs are measured as users meet them.
func newFileStorageHost(tb testing.TB) (storageHost, *component.ID) {
	tb.Helper()
	f := filestorage.NewFactory()
	cfg := f.CreateDefaultConfig().(*filestorage.Config)
	cfg.Directory = tb.TempDir()
	ext, err := f.Create(context.Background(), extensiontest.NewNopSettings(f.Type()), cfg)
	require.NoError(tb, err)
	require.NoError(tb, ext.Start(context.Background(), componenttest.NewNopHost()))
	tb.Cleanup(func() { require.NoError(tb, ext.Shutdown(context.Background())) })
	id := component.NewID(f.Type())
	return storageHost{Host: componenttest.NewNopHost(), ext: map[component.ID]component.Component{id: ext}}, &id
}

// BenchmarkKeysInOneFolder: one account/region folder holding many keys inside the look-back window, read with the
// position in file_storage. Reports keys handled per second of wall time (and per CPU-second) from start until
// every record arrived. Shapes: the (most keys are empty objects, one in 28 holds a record) and every key a
// one-record file.
func BenchmarkKeysInOneFolder(b *testing.B) {
	for _, bc := range []struct {
		name           string
		keys, nonEmpty int
	}{{"20000-keys-700-files", 20000, 700}, {"20000-files", 20000, 20000}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				fake := newMemS3()
				const bucket = "many-keys"
				at := base
				var want int
				every := bc.keys / bc.nonEmpty
				for i := range bc.keys {
					// All within one minute's folder day and inside look_back: ~1.3 keys per second of name time.
					key := trailKey("", "", acctA, "us-east-1", at.Add(time.Duration(i)*45*time.Millisecond).Truncate(time.Minute), fmt.Sprintf("K%015d", i))
					if i%every == 0 && want < bc.nonEmpty {
						fake.put(bucket, key, trailBody(b, fmt.Sprintf("k%d", i), 1, acctA, "us-east-1", at))
						want++
					} else {
						fake.put(bucket, key, nil)
					}
				}
				host, storageID := newFileStorageHost(b)
				cfg := testConfig(bucket)
				cfg.StartTime = base
				cfg.StorageID = storageID
				sink := new(consumertest.LogsSink)
				r := testReceiver(b, cfg, sink, nil, fake)
				cpu := benchtest.ProcessCPUTime()
				started := time.Now()
				require.NoError(b, r.Start(context.Background(), host))
				for sink.LogRecordCount() < want {
					time.Sleep(10 * time.Millisecond)
				}
				elapsed := time.Since(started)
				used := benchtest.ProcessCPUTime() - cpu
				require.NoError(b, r.Shutdown(context.Background()))
				b.ReportMetric(float64(bc.keys)/elapsed.Seconds(), "keys/s")
				b.ReportMetric(float64(bc.keys)/used.Seconds(), "keys/cpu-s")
				b.ReportMetric(elapsed.Seconds(), "s-to-finish")
			}
		})
	}
}
