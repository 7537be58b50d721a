// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configcompression"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter/internal/metadata"
)

func loadConfig(t *testing.T, name string) *Config {
	t.Helper()
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	sub, err := cm.Sub(component.NewIDWithName(metadata.Type, name).String())
	require.NoError(t, err)
	cfg := createDefaultConfig().(*Config)
	require.NoError(t, sub.Unmarshal(cfg))
	return cfg
}

func TestLoadConfigValid(t *testing.T) {
	t.Run("logs_only", func(t *testing.T) {
		cfg := loadConfig(t, "logs_only")
		require.NoError(t, confmap.Validate(cfg))
		assert.Equal(t, configopaque.String("logs-token-for-config-test"), cfg.Logs.Token)
		assert.Equal(t, "us", cfg.Region)
		assert.Equal(t, "cloudtrail", cfg.Logs.Type)
		assert.Equal(t, 3*1024*1024, cfg.Logs.MaxRequestBytes)
		assert.Equal(t, configcompression.TypeGzip, cfg.ClientConfig.Compression)
		assert.Equal(t, 30*time.Second, cfg.ClientConfig.Timeout)
		assert.True(t, cfg.QueueConfig.HasValue())
		assert.True(t, cfg.BackOffConfig.Enabled)
		assert.Equal(t, "https://listener.logz.io:8071", cfg.logsEndpoint())
		assert.Equal(t, "https://listener.logz.io:8053", cfg.metricsEndpoint())
	})

	t.Run("metrics_only", func(t *testing.T) {
		cfg := loadConfig(t, "metrics_only")
		require.NoError(t, confmap.Validate(cfg))
		assert.Empty(t, cfg.Logs.Token)
		assert.Equal(t, map[string]string{"p8s_logzio_name": "production"}, cfg.Metrics.ExternalLabels)
		assert.Equal(t, "https://listener-eu.logz.io:8053", cfg.metricsEndpoint())
	})

	t.Run("full", func(t *testing.T) {
		cfg := loadConfig(t, "full")
		require.NoError(t, confmap.Validate(cfg))
		assert.Equal(t, "uk", cfg.Region)
		assert.Equal(t, configcompression.Type("none"), cfg.ClientConfig.Compression)
		assert.Equal(t, 10*time.Second, cfg.ClientConfig.Timeout)
		assert.Equal(t, "http://proxy.internal:3128", cfg.ClientConfig.ProxyURL)
		assert.Equal(t, "https://listener.example.internal:8071", cfg.logsEndpoint())
		assert.Equal(t, "http://prometheus.example.internal:8052", cfg.metricsEndpoint())
		assert.Equal(t, "cloudtrail_custom", cfg.Logs.Type)
		assert.Equal(t, 1048576, cfg.Logs.MaxRequestBytes)
		assert.Equal(t, map[string]string{"p8s_logzio_name": "staging"}, cfg.Metrics.ExternalLabels)
		queue := cfg.QueueConfig.Get()
		require.NotNil(t, queue)
		assert.Equal(t, 4, queue.NumConsumers)
		assert.Equal(t, int64(500), queue.QueueSize)
		require.NotNil(t, queue.StorageID)
		assert.Equal(t, "file_storage", queue.StorageID.String())
		assert.Equal(t, 2*time.Second, cfg.BackOffConfig.InitialInterval)
		assert.Equal(t, 30*time.Minute, cfg.BackOffConfig.MaxElapsedTime)
	})
}

func TestLoadConfigInvalid(t *testing.T) {
	tests := []struct {
		name    string
		wantErr []string
	}{
		{name: "bad_region", wantErr: []string{`region "us-east-1" is not a Logz.io region`, "us, au, ca, eu, uk"}},
		{name: "no_token", wantErr: []string{"logs.token", "metrics.token"}},
		{name: "too_big", wantErr: []string{"logs.max_request_bytes is 20000000", "10485760"}},
		{name: "bad_logs", wantErr: []string{`compression "zstd"`, `logs.type "cloud trail"`, "logs.endpoint must start with http:// or https://"}},
		{name: "shared_endpoint", wantErr: []string{"endpoint is not used", "logs.endpoint"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := confmap.Validate(loadConfig(t, tt.name))
			require.Error(t, err)
			for _, want := range tt.wantErr {
				assert.ErrorContains(t, err, want)
			}
		})
	}
}

func TestValidateRules(t *testing.T) {
	valid := func() *Config {
		cfg := createDefaultConfig().(*Config)
		cfg.Logs.Token = "logs-token-for-config-test"
		return cfg
	}
	require.NoError(t, valid().Validate())

	tests := []struct {
		name    string
		mutate  func(*Config)
		wantErr string
	}{
		{"max_request_bytes too small", func(c *Config) { c.Logs.MaxRequestBytes = 100 }, "between 1024 and 10485760"},
		{"max_request_bytes at the listener limit", func(c *Config) { c.Logs.MaxRequestBytes = 10_485_760 }, ""},
		{"endpoint without host", func(c *Config) { c.Metrics.Endpoint = "https://" }, "metrics.endpoint has no host"},
		{"endpoint carrying the token", func(c *Config) { c.Logs.Endpoint = "https://listener.logz.io:8071/?token=abc" }, "must not carry the token"},
		{"external label with a dot", func(c *Config) { c.Metrics.ExternalLabels = map[string]string{"p8s.name": "x"} }, `label "p8s.name"`},
		{"external label with an empty value", func(c *Config) { c.Metrics.ExternalLabels = map[string]string{"p8s_logzio_name": ""} }, "non-empty value"},
		{"empty type", func(c *Config) { c.Logs.Type = "" }, "logs.type"},
		{"every documented region", func(c *Config) {
			for _, r := range []string{"us", "au", "ca", "eu", "uk"} {
				c.Region = r
			}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := valid()
			tt.mutate(cfg)
			err := cfg.Validate()
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestListenerHosts(t *testing.T) {
	for region, host := range map[string]string{
		"us": "listener.logz.io",
		"au": "listener-au.logz.io",
		"ca": "listener-ca.logz.io",
		"eu": "listener-eu.logz.io",
		"uk": "listener-uk.logz.io",
	} {
		cfg := createDefaultConfig().(*Config)
		cfg.Region = region
		assert.Equal(t, "https://"+host+":8071", cfg.logsEndpoint(), region)
		assert.Equal(t, "https://"+host+":8053", cfg.metricsEndpoint(), region)
	}
}

func TestMaxLineBytes(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	assert.Equal(t, 500_000, cfg.maxLineBytes(), "the listener's line limit applies under the default request size")
	cfg.Logs.MaxRequestBytes = 4096
	assert.Equal(t, 4095, cfg.maxLineBytes(), "a line and its newline must fit in one request")
}
