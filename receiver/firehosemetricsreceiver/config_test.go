// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/confmap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metadata"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream"
)

func loadConfig(t *testing.T, name string) (*Config, error) {
	t.Helper()
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	require.NoError(t, firehosetest.LoadConf(t, metadata.Type, name).Unmarshal(cfg))
	return cfg, confmap.Validate(cfg)
}

const accessKeysRequired = "access_keys is empty: set access_keys to the Firehose stream's access key, e.g. access_keys: [${env:FIREHOSE_ACCESS_KEY}], or set allow_unauthenticated: true to accept requests from any client"

func TestDefaultConfig(t *testing.T) {
	// The default has no access key: it must be given one, or told to serve without (allow_unauthenticated).
	cfg, err := loadConfig(t, "")
	require.EqualError(t, err, accessKeysRequired)
	assert.False(t, cfg.AllowUnauthenticated)
	assert.Equal(t, "0.0.0.0:4433", cfg.ServerConfig.NetAddr.Endpoint)
	assert.Equal(t, int64(64<<20), cfg.ServerConfig.MaxRequestBodySize)
	assert.Equal(t, 256, cfg.MaxConcurrentRequests)
	assert.Equal(t, 256<<10, cfg.MaxRequestHeaderSize)
	server := firehosetest.EffectiveServer(t, &cfg.ServerConfig)
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
	server := firehosetest.EffectiveServer(t, &cfg.ServerConfig)
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
		"empty_key":             "access_keys[0] is empty: remove it or set the key configured on the Firehose stream; written as ${env:NAME}, that environment variable is unset or empty (the shipped config reads FIREHOSE_ACCESS_KEY)",
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

func TestAccessKeysOrExplicitOptOut(t *testing.T) {
	cfg, err := loadConfig(t, "unauthenticated")
	require.NoError(t, err, "allow_unauthenticated: true is the explicit opt-out")
	assert.True(t, cfg.AllowUnauthenticated)
	assert.Empty(t, cfg.AccessKeys)

	_, err = loadConfig(t, "empty_access_keys")
	require.EqualError(t, err, accessKeysRequired)

	_, err = loadConfig(t, "both_auth")
	require.EqualError(t, err, "allow_unauthenticated: true and access_keys are both set: remove allow_unauthenticated to require the keys, or remove access_keys")

	_, err = loadConfig(t, "full")
	require.NoError(t, err)
}

func TestEndpointIsHostPort(t *testing.T) {
	for name, want := range map[string]string{
		"scheme_endpoint":   `endpoint "https://0.0.0.0:4433" has a scheme: write host:port, e.g. 0.0.0.0:4433 (set tls: for HTTPS, path: for the URL path)`,
		"portless_endpoint": `endpoint "0.0.0.0" has no port: write host:port, e.g. 0.0.0.0:4433`,
		"path_endpoint":     `endpoint "0.0.0.0:4433/firehose" has a path: write host:port, e.g. 0.0.0.0:4433 (set path: for the URL path)`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := loadConfig(t, name)
			require.EqualError(t, err, want)
		})
	}
	cfg := testConfig()
	cfg.ServerConfig.NetAddr.Endpoint = ""
	assert.EqualError(t, cfg.Validate(), "endpoint is empty: write host:port, e.g. 0.0.0.0:4433")
	for _, ok := range []string{"0.0.0.0:4433", ":4433", "[::]:4433", "localhost:8443", "127.0.0.1:0"} {
		cfg.ServerConfig.NetAddr.Endpoint = ok
		assert.NoError(t, cfg.Validate(), ok)
	}
	// A unix socket is not host:port.
	cfg.ServerConfig.NetAddr.Transport = "unix"
	cfg.ServerConfig.NetAddr.Endpoint = "/run/firehose.sock"
	assert.NoError(t, cfg.Validate())
}

// TestDurationsWithoutUnit: a bare YAML number is nanoseconds; every duration option names the fix.
func TestDurationsWithoutUnit(t *testing.T) {
	_, err := loadConfig(t, "unitless")
	require.Error(t, err)
	for _, want := range []string{
		"read_header_timeout is 10ns: durations need a unit, e.g. 10s",
		"read_timeout is 60ns: durations need a unit, e.g. 60s",
		"write_timeout is 180ns: durations need a unit, e.g. 3m",
		"consume_timeout is 60ns: durations need a unit, e.g. 60s",
		"dedup_window is 900ns: durations need a unit, e.g. 15m (0 turns deduplication off)",
		"resource_tags: refresh_interval is 300ns: durations need a unit, e.g. 5m",
	} {
		assert.ErrorContains(t, err, want)
	}

	err = firehosetest.LoadConf(t, metadata.Type, "unitless_keepalive").Unmarshal(NewFactory().CreateDefaultConfig().(*Config))
	require.ErrorContains(t, err, "keepalive::idle_timeout is 120ns: durations need a unit, e.g. 120s")
	err = confmap.NewFromStringMap(map[string]any{"access_keys": []any{"k"}, "idle_timeout": 120}).Unmarshal(NewFactory().CreateDefaultConfig().(*Config))
	require.ErrorContains(t, err, "idle_timeout is 120ns: durations need a unit, e.g. 120s")
	cfg := testConfig()
	cfg.ServerConfig.Keepalive.Get().IdleTimeout = 500 * time.Millisecond
	require.EqualError(t, cfg.Validate(), "keepalive::idle_timeout is 500ms, below its minimum of 1s: e.g. 120s")

	_, err = loadConfig(t, "subsecond")
	require.Error(t, err)
	for _, want := range []string{
		"read_timeout is 500ms, below its minimum of 1s: e.g. 60s",
		"consume_timeout is 100ms, below its minimum of 1s: e.g. 60s",
		"dedup_window is 10ms, below its minimum of 1s: e.g. 15m (0 turns deduplication off)",
	} {
		assert.ErrorContains(t, err, want)
	}

	// 0 keeps meaning "off" (no server timeout, no deduplication); the minimum itself passes.
	cfg = testConfig()
	cfg.ServerConfig.ReadTimeout, cfg.DedupWindow, cfg.ConsumeTimeout = 0, 0, time.Second
	assert.NoError(t, cfg.Validate())
}

func TestContribOptionNames(t *testing.T) {
	for name, want := range map[string][]string{
		"contrib_access_key": {"access_key is the awsfirehosereceiver's name: this receiver takes a list, access_keys: [<the Firehose stream's access key>] (several keys for a rotation)"},
		"contrib_record_type": {
			"record_type is the awsfirehosereceiver's option: this receiver reads CloudWatch metric streams only; remove it (format: auto detects json, opentelemetry0.7 and opentelemetry1.0)",
			"encoding is the awsfirehosereceiver's option: this receiver reads CloudWatch metric streams only; remove it, or set format: json, opentelemetry0.7 or opentelemetry1.0 (default auto)",
		},
	} {
		t.Run(name, func(t *testing.T) {
			err := firehosetest.LoadConf(t, metadata.Type, name).Unmarshal(NewFactory().CreateDefaultConfig().(*Config))
			require.Error(t, err)
			for _, w := range want {
				assert.ErrorContains(t, err, w)
			}
		})
	}
}

// TestMisspeltOptionsAreRefused: confmap alone would ignore them (IgnoreUnused beside ServerConfig's Unmarshal).
func TestMisspeltOptionsAreRefused(t *testing.T) {
	err := firehosetest.LoadConf(t, metadata.Type, "misspelt").Unmarshal(NewFactory().CreateDefaultConfig().(*Config))
	require.ErrorContains(t, err, "has invalid keys: acess_keys, resource_tags::enabeld (not options of firehosemetrics: check the spelling against the receiver's README)")

	// Every option of the full example, squashed server options and nested sections included, is known.
	_, err = loadConfig(t, "full")
	require.NoError(t, err)
	err = firehosetest.LoadConf(t, metadata.Type, "mixed_keepalive").Unmarshal(NewFactory().CreateDefaultConfig().(*Config))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "has invalid keys", "deprecated server keys are still known")
}

// TestServerConfigUnmarshalStillRuns: the receiver's own Unmarshal must leave confighttp.ServerConfig's Unmarshal in
// charge of the squashed server options (it folds the keepalive section and refuses mixed representations).
func TestServerConfigUnmarshalStillRuns(t *testing.T) {
	cfg, err := loadConfig(t, "full")
	require.NoError(t, err)
	assert.False(t, cfg.ServerConfig.Keepalive.HasValue(), "ServerConfig.Unmarshal folds keepalive into its fields")
	assert.Equal(t, 90*time.Second, firehosetest.EffectiveServer(t, &cfg.ServerConfig).IdleTimeout)
	assert.Equal(t, 30*time.Second, cfg.ServerConfig.ReadTimeout)
	assert.Equal(t, "0.0.0.0:8443", cfg.ServerConfig.NetAddr.Endpoint)

	err = firehosetest.LoadConf(t, metadata.Type, "mixed_keepalive").Unmarshal(NewFactory().CreateDefaultConfig().(*Config))
	assert.ErrorContains(t, err, "cannot use deprecated keepalive fields (idle_timeout, keep_alives_enabled) alongside the 'keepalive' section")
}

func TestConfigNeverPrintsAccessKeys(t *testing.T) {
	cfg, err := loadConfig(t, "full")
	require.NoError(t, err)
	assert.NotContains(t, fmtValue(cfg.AccessKeys), "current-key")
}

func fmtValue(v any) string { return fmt.Sprintf("%v %+v %#v", v, v, v) }
