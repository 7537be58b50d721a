// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package logzioexporter exports logs to the Logz.io bulk log listener and metrics to the Logz.io Prometheus
// remote-write listener.
package logzioexporter // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"

import (
	"context"
	"fmt"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configcompression"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configretry"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/exporterhelper"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter/internal/metadata"
)

// defaultTimeout is the timeout of one HTTP request (Logz.io recommends 30s for remote write).
const defaultTimeout = 30 * time.Second

// NewFactory returns the factory of the logzio exporter.
func NewFactory() exporter.Factory {
	return exporter.NewFactory(
		metadata.Type,
		createDefaultConfig,
		exporter.WithLogs(createLogsExporter, metadata.LogsStability),
		exporter.WithMetrics(createMetricsExporter, metadata.MetricsStability),
	)
}

// defaultIdleConnsPerHost is how many idle connections to the listener are kept: one per queue consumer (the shipped
// config has 16). Go keeps 2 per host, and each request of the other consumers then opened a connection, a TLS
// handshake with Logz.io, since a consumer's connection goes idle while it builds its next batch.
const defaultIdleConnsPerHost = 64

// defaultKeepalive is confighttp's keepalive default with defaultIdleConnsPerHost.
func defaultKeepalive() confighttp.KeepaliveClientConfig {
	ka := confighttp.NewDefaultKeepaliveClientConfig()
	ka.MaxIdleConnsPerHost = defaultIdleConnsPerHost
	return ka
}

func createDefaultConfig() component.Config {
	clientCfg := confighttp.NewDefaultClientConfig()
	clientCfg.Timeout = defaultTimeout
	clientCfg.Compression = configcompression.TypeGzip
	clientCfg.Keepalive = configoptional.Some(defaultKeepalive())
	return &Config{
		ClientConfig:  clientCfg,
		QueueConfig:   configoptional.Some(exporterhelper.NewDefaultQueueConfig()),
		BackOffConfig: configretry.NewDefaultBackOffConfig(),
		Region:        defaultRegion,
		Logs: LogsConfig{
			Type:            defaultLogType,
			MaxRequestBytes: defaultMaxRequestBytes,
		},
	}
}

func createLogsExporter(ctx context.Context, set exporter.Settings, cfg component.Config) (exporter.Logs, error) {
	c := cfg.(*Config)
	if c.Logs.Token == "" {
		return nil, fmt.Errorf("the logzio exporter %q is in a logs pipeline but logs.token is not set: set it to the account's log shipping token, e.g. ${env:LOGZIO_LOGS_TOKEN}", set.ID)
	}
	telemetry, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	exp, err := newLogsExporter(c, set, telemetry)
	if err != nil {
		return nil, err
	}
	logs, err := exporterhelper.NewLogs(ctx, set, cfg, exp.pushLogs, helperOptions(c, exp.start, exp.shutdown, telemetry, consumer.Capabilities{MutatesData: false})...)
	if err != nil {
		return nil, err
	}
	return safeQueueLogs(logs, queueStorageID(c), set.Logger), nil
}

func createMetricsExporter(ctx context.Context, set exporter.Settings, cfg component.Config) (exporter.Metrics, error) {
	c := cfg.(*Config)
	if c.Metrics.Token == "" {
		return nil, fmt.Errorf("the logzio exporter %q is in a metrics pipeline but metrics.token is not set: set it to the account's metrics (Prometheus) shipping token, e.g. ${env:LOGZIO_METRICS_TOKEN}", set.ID)
	}
	telemetry, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	exp := newMetricsExporter(c, set, telemetry)
	metrics, err := exporterhelper.NewMetrics(ctx, set, cfg, exp.pushMetrics, helperOptions(c, exp.start, exp.shutdown, telemetry,
		// The resource attributes are added to the data points in place (withResourceLabels).
		consumer.Capabilities{MutatesData: true})...)
	if err != nil {
		return nil, err
	}
	return safeQueueMetrics(metrics, queueStorageID(c), set.Logger), nil
}

// queueStorageID is the storage extension of a persistent sending queue, nil for an in-memory queue or none.
func queueStorageID(cfg *Config) *component.ID {
	if !cfg.QueueConfig.HasValue() {
		return nil
	}
	return cfg.QueueConfig.Get().StorageID
}

// helperOptions are the exporterhelper settings shared by both signals. The exporterhelper timeout is off:
// timeout applies to each HTTP request instead (confighttp), because one batch can take several requests.
func helperOptions(cfg *Config, start component.StartFunc, shutdown func(), telemetry *metadata.TelemetryBuilder, capabilities consumer.Capabilities) []exporterhelper.Option {
	return []exporterhelper.Option{
		exporterhelper.WithStart(start),
		exporterhelper.WithShutdown(func(context.Context) error {
			shutdown()
			telemetry.Shutdown()
			return nil
		}),
		exporterhelper.WithCapabilities(capabilities),
		exporterhelper.WithTimeout(exporterhelper.TimeoutConfig{Timeout: 0}),
		exporterhelper.WithRetry(cfg.BackOffConfig),
		exporterhelper.WithQueue(cfg.QueueConfig),
	}
}

// userAgent names the collector build in requests, e.g. otelcol-logzio-aws/0.1.0.
func userAgent(info component.BuildInfo) string {
	command := info.Command
	if command == "" {
		command = "otelcol-logzio-aws"
	}
	if info.Version == "" {
		return command
	}
	return command + "/" + info.Version
}
