// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter/internal/metadata"
)

// Tokens used by the tests. They are fake, but every test asserts that neither ever shows up in a log entry or
// in an error the exporter returns.
const (
	testLogsToken    = "LOGS-tok3n-0123456789abcdef"
	testMetricsToken = "METRICS-tok3n-fedcba9876543210"
)

// harness builds exporters with observed logs and in-memory telemetry, and checks on cleanup that no token leaked.
type harness struct {
	t         *testing.T
	logger    *zap.Logger
	logs      *observer.ObservedLogs
	telemetry *componenttest.Telemetry
	errs      []error
}

func newHarness(t *testing.T) *harness {
	core, logs := observer.New(zap.DebugLevel)
	h := &harness{t: t, logger: zap.New(core), logs: logs, telemetry: componenttest.NewTelemetry()}
	t.Cleanup(func() {
		h.assertNoTokenLeaked()
		require.NoError(t, h.telemetry.Shutdown(context.Background()))
	})
	return h
}

func (h *harness) settings() exporter.Settings {
	set := exportertest.NewNopSettings(metadata.Type)
	set.TelemetrySettings = h.telemetry.NewTelemetrySettings()
	set.Logger = h.logger
	return set
}

// logsExporter creates and starts a logs exporter; it is shut down when the test ends.
func (h *harness) logsExporter(cfg *Config) exporter.Logs {
	h.t.Helper()
	require.NoError(h.t, cfg.Validate())
	exp, err := NewFactory().CreateLogs(context.Background(), h.settings(), cfg)
	require.NoError(h.t, err)
	h.start(exp)
	return exp
}

// metricsExporter creates and starts a metrics exporter; it is shut down when the test ends.
func (h *harness) metricsExporter(cfg *Config) exporter.Metrics {
	h.t.Helper()
	require.NoError(h.t, cfg.Validate())
	exp, err := NewFactory().CreateMetrics(context.Background(), h.settings(), cfg)
	require.NoError(h.t, err)
	h.start(exp)
	return exp
}

func (h *harness) start(exp component.Component) {
	h.t.Helper()
	require.NoError(h.t, exp.Start(context.Background(), componenttest.NewNopHost()))
	h.t.Cleanup(func() { assert.NoError(h.t, exp.Shutdown(context.Background())) })
}

// consumeLogs sends ld through exp and keeps the returned error for the leak check.
func (h *harness) consumeLogs(exp exporter.Logs, ld plog.Logs) error {
	err := exp.ConsumeLogs(context.Background(), ld)
	h.keep(err)
	return err
}

func (h *harness) consumeMetrics(exp exporter.Metrics, md pmetric.Metrics) error {
	err := exp.ConsumeMetrics(context.Background(), md)
	h.keep(err)
	return err
}

// keep records an error for the leak check.
func (h *harness) keep(err error) {
	if err != nil {
		h.errs = append(h.errs, err)
	}
}

// assertNoTokenLeaked searches every message and field of every log entry, and every kept error, for a token.
func (h *harness) assertNoTokenLeaked() {
	h.t.Helper()
	var texts []string
	for _, entry := range h.logs.All() {
		texts = append(texts, entry.Message, entry.LoggerName, entry.Caller.String(), entry.Stack)
		for key, value := range entry.ContextMap() {
			texts = append(texts, key, fmt.Sprintf("%v", value), fmt.Sprintf("%+v", value))
		}
	}
	for _, err := range h.errs {
		texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
	}
	for _, text := range texts {
		for _, token := range []string{testLogsToken, testMetricsToken} {
			if strings.Contains(text, token) {
				h.t.Errorf("a token leaked into a log entry or an error: %s", strings.ReplaceAll(text, token, "<TOKEN>"))
			}
		}
	}
}

// counter returns the sum of an int counter of the exporter's own telemetry whose attributes include attrs.
func (h *harness) counter(name string, attrs map[string]string) int64 {
	h.t.Helper()
	m, err := h.telemetry.GetMetric(name)
	if err != nil {
		return 0
	}
	sum, ok := m.Data.(metricdata.Sum[int64])
	require.True(h.t, ok, "%s is an int64 sum", name)
	var total int64
	for _, dp := range sum.DataPoints {
		matches := true
		for k, v := range attrs {
			if got, found := dp.Attributes.Value(attribute.Key(k)); !found || got.AsString() != v {
				matches = false
			}
		}
		if matches {
			total += dp.Value
		}
	}
	return total
}

// logged returns the entries whose message contains text.
func (h *harness) logged(text string) []observer.LoggedEntry {
	return h.logs.FilterMessageSnippet(text).All()
}

// testConfig is a configuration for tests: both tokens, fast retries, no queue (so Consume* returns only
// once the batch is delivered or has finally failed).
func testConfig(logsEndpoint, metricsEndpoint string) *Config {
	cfg := createDefaultConfig().(*Config)
	cfg.Logs.Token = configopaque.String(testLogsToken)
	cfg.Logs.Endpoint = logsEndpoint
	cfg.Metrics.Token = configopaque.String(testMetricsToken)
	cfg.Metrics.Endpoint = metricsEndpoint
	cfg.QueueConfig = configoptional.None[exporterhelper.QueueBatchConfig]()
	cfg.BackOffConfig.InitialInterval = 10 * time.Millisecond
	cfg.BackOffConfig.MaxInterval = 50 * time.Millisecond
	cfg.BackOffConfig.MaxElapsedTime = time.Minute
	return cfg
}

func mustTelemetry(t *testing.T, h *harness) *metadata.TelemetryBuilder {
	t.Helper()
	tb, err := metadata.NewTelemetryBuilder(h.settings().TelemetrySettings)
	require.NoError(t, err)
	return tb
}

func nopHost() component.Host {
	return componenttest.NewNopHost()
}
