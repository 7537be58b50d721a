package firehosemetricsreceiver

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metadata"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream"
)

func loadConfig(t *testing.T, name string) (*Config, error) {
	t.Helper()
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	sub, err := cm.Sub(component.NewIDWithName(metadata.Type, name).String())
	require.NoError(t, err)
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	require.NoError(t, sub.Unmarshal(cfg))
	return cfg, confmap.Validate(cfg)
}

func TestDefaultConfig(t *testing.T) {
	cfg, err := loadConfig(t, "")
	require.NoError(t, err)
	assert.Equal(t, "0.0.0.0:4433", cfg.ServerConfig.NetAddr.Endpoint)
	assert.Equal(t, int64(64<<20), cfg.ServerConfig.MaxRequestBodySize)
	assert.Equal(t, 256, cfg.MaxConcurrentRequests)
	assert.Equal(t, 256<<10, cfg.MaxRequestHeaderSize)
	server := effectiveServer(t, cfg)
	assert.Equal(t, 10*time.Second, server.ReadHeaderTimeout)
	assert.Equal(t, 60*time.Second, server.ReadTimeout)
	assert.Equal(t, 3*time.Minute, server.WriteTimeout)
	assert.Equal(t, 120*time.Second, server.IdleTimeout)
	assert.Equal(t, "/", cfg.Path)
	assert.Empty(t, cfg.AccessKeys)
	assert.Equal(t, metricstream.FormatAuto, cfg.Format)
	assert.Equal(t, metricstream.NamingLogzio, cfg.Naming)
	assert.Equal(t, []string{"all-namespaces"}, cfg.Namespaces)
	assert.Equal(t, 1_024_000, cfg.MaxRecordSize)
	assert.Equal(t, 60*time.Second, cfg.ConsumeTimeout)
	assert.Equal(t, 15*time.Minute, cfg.DedupWindow)
	assert.False(t, cfg.ResourceTags.Enabled)
	assert.Equal(t, 5*time.Minute, cfg.ResourceTags.RefreshInterval)
	assert.True(t, cfg.ResourceTags.InfoMetric)
	assert.False(t, cfg.ResourceTags.Enrich)
}

func TestFullConfig(t *testing.T) {
	cfg, err := loadConfig(t, "full")
	require.NoError(t, err)
	assert.Equal(t, "0.0.0.0:8443", cfg.ServerConfig.NetAddr.Endpoint)
	assert.Equal(t, "/firehose", cfg.Path)
	assert.Equal(t, int64(32<<20), cfg.ServerConfig.MaxRequestBodySize)
	assert.Equal(t, 128<<10, cfg.MaxRequestHeaderSize)
	assert.Equal(t, 64, cfg.MaxConcurrentRequests)
	server := effectiveServer(t, cfg)
	assert.Equal(t, 5*time.Second, server.ReadHeaderTimeout)
	assert.Equal(t, 30*time.Second, server.ReadTimeout)
	assert.Equal(t, 2*time.Minute, server.WriteTimeout)
	assert.Equal(t, 90*time.Second, server.IdleTimeout)
	require.True(t, cfg.ServerConfig.TLS.HasValue())
	assert.Equal(t, "/etc/otelcol/tls/server.crt", cfg.ServerConfig.TLS.Get().CertFile)
	assert.Equal(t, []configopaque.String{"current-key", "previous-key"}, cfg.AccessKeys)
	assert.Equal(t, metricstream.FormatOTel10, cfg.Format)
	assert.Equal(t, []string{"AWS/EC2", "AWS/Lambda", "CWAgent"}, cfg.Namespaces)
	assert.Equal(t, 512000, cfg.MaxRecordSize)
	assert.Equal(t, 45*time.Second, cfg.ConsumeTimeout)
	assert.Equal(t, 30*time.Minute, cfg.DedupWindow)
	assert.Equal(t, "production", cfg.LogzioName)
	rt := cfg.ResourceTags
	assert.True(t, rt.Enabled)
	assert.True(t, rt.Enrich)
	assert.True(t, rt.InfoMetric)
	assert.Equal(t, 10*time.Minute, rt.RefreshInterval)
	assert.Equal(t, []string{"us-east-1", "eu-west-1"}, rt.Regions)
	assert.Equal(t, "arn:aws:iam::123456789012:role/otelcol-tags", rt.AWS.RoleARN)
	assert.Equal(t, configopaque.String("otelcol"), rt.AWS.ExternalID)
}

func TestInvalidConfigs(t *testing.T) {
	for name, want := range map[string]string{
		"bad_format":            `format "protobuf" is not supported`,
		"empty_key":             "access_keys[0] is empty",
		"slow_pipeline":         "consume_timeout must be positive and under Firehose's 3m0s request timeout",
		"negative_dedup_window": "dedup_window must not be negative",
		"compression":           "compression_algorithms is not supported",
		"tags_without_mapping":  "none of the namespaces has taggable resources",
		"enrich_without_tags":   "enrich needs enabled: true",
		"fast_refresh":          "refresh_interval must be at least 1m0s",
		"no_concurrency":        "max_concurrent_requests must be positive",
		"tiny_headers":          "max_request_header_size must be at least 16384 bytes",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := loadConfig(t, name)
			require.Error(t, err)
			assert.Contains(t, err.Error(), want)
		})
	}
}

func TestConfigNeverPrintsAccessKeys(t *testing.T) {
	cfg, err := loadConfig(t, "full")
	require.NoError(t, err)
	assert.NotContains(t, fmtValue(cfg.AccessKeys), "current-key")
}

// effectiveServer is the http.Server the configuration's server settings build (timeouts as net/http applies them).
func effectiveServer(t *testing.T, cfg *Config) *http.Server {
	t.Helper()
	server, err := cfg.ServerConfig.ToServer(context.Background(), nil, componenttest.NewNopTelemetrySettings(), http.NotFoundHandler())
	require.NoError(t, err)
	return server
}

func fmtValue(v any) string { return fmt.Sprintf("%v %+v %#v", v, v, v) }
