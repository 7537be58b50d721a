// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/yamlprovider"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/extension"
	"go.opentelemetry.io/collector/otelcol"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/batchprocessor"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/service/telemetry"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// deliveries records what reached the end of a pipeline: how many records per S3 key, and every eventID.
type deliveries struct {
	mu       sync.Mutex
	perKey   map[string]int
	eventIDs map[string]int
	records  int
}

func newDeliveries() *deliveries {
	return &deliveries{perKey: map[string]int{}, eventIDs: map[string]int{}}
}

func (d *deliveries) ConsumeLogs(_ context.Context, ld plog.Logs) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := 0; i < ld.ResourceLogs().Len(); i++ {
		sls := ld.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				lr := lrs.At(k)
				key, _ := lr.Attributes().Get("aws.s3.key")
				d.perKey[key.Str()]++
				if id, ok := lr.Body().Map().Get("eventID"); ok {
					d.eventIDs[id.Str()]++
				}
				d.records++
			}
		}
	}
	return nil
}

func (*deliveries) Capabilities() consumer.Capabilities { return consumer.Capabilities{} }

func (d *deliveries) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.records
}

// requireExactly fails unless every key in want arrived with exactly its number of records, nothing else arrived,
// and no eventID arrived twice.
func (d *deliveries) requireExactly(t *testing.T, want map[string]int) {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	require.Equal(t, want, d.perKey)
	for id, n := range d.eventIDs {
		require.Equal(t, 1, n, "eventID %s delivered %d times", id, n)
	}
}

func (d *deliveries) waitFor(t *testing.T, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return d.count() >= n }, 60*time.Second, 50*time.Millisecond,
		"expected %d records", n)
}

// sinkExporterFactory is an exporter "sink" that hands everything to d (a deliveries value, or another recorder).
func sinkExporterFactory(d consumer.Logs) exporter.Factory {
	type sinkConfig struct{}
	return exporter.NewFactory(component.MustNewType("sink"),
		func() component.Config { return &sinkConfig{} },
		exporter.WithLogs(func(context.Context, exporter.Settings, component.Config) (exporter.Logs, error) {
			return sinkExporter{Logs: d}, nil
		}, component.StabilityLevelDevelopment))
}

type sinkExporter struct{ consumer.Logs }

func (sinkExporter) Start(context.Context, component.Host) error { return nil }
func (sinkExporter) Shutdown(context.Context) error              { return nil }

// collectorRun is one running collector process (in-process): cloudtrails3 → batch → sink, with file_storage.
type collectorRun struct {
	col  *otelcol.Collector
	done chan error
}

// runCollector starts a collector with the given receiver settings (YAML lines under receivers.cloudtrails3) and
// storage directory; logs go to logs when not nil.
func runCollector(t *testing.T, d consumer.Logs, receiverYAML, storageDir string, logs zapcore.Core, metrics sdkmetric.Reader) *collectorRun {
	t.Helper()
	config := fmt.Sprintf(`
extensions:
  file_storage:
    directory: %s
receivers:
  cloudtrails3:
%s
    storage: file_storage
processors:
  batch:
    timeout: 20ms
exporters:
  sink:
service:
  extensions: [file_storage]
  pipelines:
    logs:
      receivers: [cloudtrails3]
      processors: [batch]
      exporters: [sink]
`, storageDir, indent(receiverYAML, "    "))
	col, err := otelcol.NewCollector(otelcol.CollectorSettings{
		BuildInfo:               component.NewDefaultBuildInfo(),
		DisableGracefulShutdown: true,
		Factories: func() (otelcol.Factories, error) {
			return otelcol.Factories{
				Receivers:  map[component.Type]receiver.Factory{NewFactory().Type(): NewFactory()},
				Processors: map[component.Type]processor.Factory{batchprocessor.NewFactory().Type(): batchprocessor.NewFactory()},
				Exporters:  map[component.Type]exporter.Factory{component.MustNewType("sink"): sinkExporterFactory(d)},
				Extensions: map[component.Type]extension.Factory{filestorage.NewFactory().Type(): filestorage.NewFactory()},
				Telemetry:  testTelemetryFactory(logs, metrics),
			}, nil
		},
		ConfigProviderSettings: otelcol.ConfigProviderSettings{
			ResolverSettings: confmap.ResolverSettings{
				URIs:              []string{"yaml:" + config},
				ProviderFactories: []confmap.ProviderFactory{yamlprovider.NewFactory()},
			},
		},
	})
	require.NoError(t, err)
	run := &collectorRun{col: col, done: make(chan error, 1)}
	go func() { run.done <- col.Run(context.Background()) }()
	deadline := time.Now().Add(30 * time.Second)
	for col.GetState() != otelcol.StateRunning {
		select {
		case err := <-run.done:
			t.Fatalf("collector stopped before running: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
		require.True(t, time.Now().Before(deadline), "collector did not start")
	}
	t.Cleanup(func() { run.stop(t) })
	return run
}

func (r *collectorRun) stop(t *testing.T) {
	t.Helper()
	if r.col == nil {
		return
	}
	r.col.Shutdown()
	select {
	case err := <-r.done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("collector did not stop")
	}
	r.col = nil
}

// testTelemetryFactory gives the collector's components a logger writing to logs and a meter provider read by
// metrics (either may be nil), instead of the production telemetry with its own servers.
func testTelemetryFactory(logs zapcore.Core, metrics sdkmetric.Reader) telemetry.Factory {
	type telemetryConfig struct{}
	return telemetry.NewFactory(func() component.Config { return &telemetryConfig{} },
		telemetry.WithCreateLogger(func(context.Context, telemetry.LoggerSettings, component.Config) (*zap.Logger, component.ShutdownFunc, error) {
			if logs == nil {
				return zap.NewNop(), nil, nil
			}
			return zap.New(logs), nil, nil
		}),
		telemetry.WithCreateMeterProvider(func(context.Context, telemetry.MeterSettings, component.Config) (telemetry.MeterProvider, error) {
			if metrics == nil {
				return sdkmetric.NewMeterProvider(), nil
			}
			return sdkmetric.NewMeterProvider(sdkmetric.WithReader(metrics)), nil
		}))
}

// indent shifts YAML lines written from column 0 by `by`, keeping their relative indentation.
func indent(s, by string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = by + strings.TrimRight(l, " \t")
	}
	return strings.Join(lines, "\n")
}

func newStorageDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "storage")
	require.NoError(t, os.MkdirAll(dir, 0o750))
	return dir
}
