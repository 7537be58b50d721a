// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/exporter/exportertest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter/internal/metadata"
)

func TestFactory(t *testing.T) {
	factory := NewFactory()
	assert.Equal(t, metadata.Type, factory.Type())
	assert.Equal(t, component.StabilityLevelAlpha, factory.LogsStability())
	assert.Equal(t, component.StabilityLevelAlpha, factory.MetricsStability())
	require.NoError(t, componenttest.CheckConfigStruct(factory.CreateDefaultConfig()))
}

func TestEachPipelineNeedsOnlyItsToken(t *testing.T) {
	factory := NewFactory()
	set := exportertest.NewNopSettings(metadata.Type)

	logsOnly := factory.CreateDefaultConfig().(*Config)
	logsOnly.Logs.Token = configopaque.String(testLogsToken)
	require.NoError(t, logsOnly.Validate())
	logsExp, err := factory.CreateLogs(context.Background(), set, logsOnly)
	require.NoError(t, err)
	require.NoError(t, logsExp.Start(context.Background(), componenttest.NewNopHost()))
	require.NoError(t, logsExp.Shutdown(context.Background()))
	_, err = factory.CreateMetrics(context.Background(), set, logsOnly)
	require.Error(t, err)
	assert.ErrorContains(t, err, "metrics.token is not set")
	assert.ErrorContains(t, err, "${env:LOGZIO_METRICS_TOKEN}")

	metricsOnly := factory.CreateDefaultConfig().(*Config)
	metricsOnly.Metrics.Token = configopaque.String(testMetricsToken)
	require.NoError(t, metricsOnly.Validate())
	metricsExp, err := factory.CreateMetrics(context.Background(), set, metricsOnly)
	require.NoError(t, err)
	require.NoError(t, metricsExp.Start(context.Background(), componenttest.NewNopHost()))
	require.NoError(t, metricsExp.Shutdown(context.Background()))
	_, err = factory.CreateLogs(context.Background(), set, metricsOnly)
	require.Error(t, err)
	assert.ErrorContains(t, err, "logs.token is not set")
	assert.NotContains(t, err.Error(), testMetricsToken)
}

func TestUserAgent(t *testing.T) {
	assert.Equal(t, "otelcol-logzio-aws/1.2.3", userAgent(component.BuildInfo{Command: "otelcol-logzio-aws", Version: "1.2.3"}))
	assert.Equal(t, "otelcol-logzio-aws", userAgent(component.BuildInfo{}))
}

func TestStartFailsOnBadTLSFiles(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.Logs.Token = configopaque.String(testLogsToken)
	cfg.ClientConfig.TLS.CAFile = "/nonexistent/ca.pem"
	exp, err := NewFactory().CreateLogs(context.Background(), exportertest.NewNopSettings(metadata.Type), cfg)
	require.NoError(t, err)
	err = exp.Start(context.Background(), componenttest.NewNopHost())
	require.Error(t, err)
	assert.ErrorContains(t, err, "HTTP client for the Logz.io log listener")
	assert.NoError(t, exp.Shutdown(context.Background()))
}
