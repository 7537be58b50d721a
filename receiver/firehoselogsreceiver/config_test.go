// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/confmap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver/internal/metadata"
)

func loadConfig(t *testing.T, name string) (*Config, error) {
	t.Helper()
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	if err := firehosetest.LoadConf(t, metadata.Type, name).Unmarshal(cfg); err != nil {
		return cfg, err
	}
	return cfg, confmap.Validate(cfg)
}

func TestDefaultConfig(t *testing.T) {
	// Like firehosemetrics, the default has no access key: it must be given one, or told to serve without.
	cfg, err := loadConfig(t, "")
	require.EqualError(t, err, "access_keys is empty: set access_keys to the Firehose stream's access key, e.g. access_keys: [${env:FIREHOSE_ACCESS_KEY}], or set allow_unauthenticated: true to accept requests from any client")
	assert.Equal(t, "0.0.0.0:4434", cfg.ServerConfig.NetAddr.Endpoint, "next to firehosemetrics' 4433")
	assert.Equal(t, int64(64<<20), cfg.ServerConfig.MaxRequestBodySize)
	assert.Equal(t, 256, cfg.MaxConcurrentRequests)
	assert.Equal(t, 256<<10, cfg.MaxRequestHeaderSize)
	server := firehosetest.EffectiveServer(t, &cfg.ServerConfig)
	assert.Equal(t, 10*time.Second, server.ReadHeaderTimeout)
	assert.Equal(t, 60*time.Second, server.ReadTimeout)
	assert.Equal(t, 3*time.Minute, server.WriteTimeout)
	assert.Equal(t, 120*time.Second, server.IdleTimeout)
	assert.Equal(t, "/", cfg.Path)
	assert.Equal(t, FormatAuto, cfg.Format)
	assert.Equal(t, 1_024_000, cfg.MaxRecordSize)
	assert.Equal(t, 16<<20, cfg.MaxDecompressedRecordSize)
	assert.Equal(t, int64(256<<20), cfg.MaxDecompressedRequestSize)
	assert.Equal(t, 60*time.Second, cfg.ConsumeTimeout)
	assert.Equal(t, 15*time.Minute, cfg.DedupWindow)
	assert.Equal(t, CloudTrailConfig{Enabled: true, MaxValueBytes: 32700}, cfg.CloudTrail, "CloudTrail records shaped as on the S3 path, with cloudtrails3's defaults")

	cfg, err = loadConfig(t, "minimal")
	require.NoError(t, err)
	assert.Equal(t, []configopaque.String{"current-key"}, cfg.AccessKeys)
}

func TestFullConfig(t *testing.T) {
	cfg, err := loadConfig(t, "full")
	require.NoError(t, err)
	assert.Equal(t, "0.0.0.0:8444", cfg.ServerConfig.NetAddr.Endpoint)
	assert.Equal(t, "/cloudwatch-logs", cfg.Path)
	assert.Equal(t, int64(32<<20), cfg.ServerConfig.MaxRequestBodySize)
	assert.Equal(t, 128<<10, cfg.MaxRequestHeaderSize)
	assert.Equal(t, 64, cfg.MaxConcurrentRequests)
	server := firehosetest.EffectiveServer(t, &cfg.ServerConfig)
	assert.Equal(t, 5*time.Second, server.ReadHeaderTimeout)
	assert.Equal(t, 30*time.Second, server.ReadTimeout)
	assert.Equal(t, 2*time.Minute, server.WriteTimeout)
	assert.Equal(t, 90*time.Second, server.IdleTimeout, "keepalive::idle_timeout, folded by confighttp's own Unmarshal")
	assert.False(t, cfg.ServerConfig.Keepalive.HasValue(), "confighttp's Unmarshal ran on the squashed server options")
	require.True(t, cfg.ServerConfig.TLS.HasValue())
	assert.Equal(t, "/etc/otelcol/tls/server.crt", cfg.ServerConfig.TLS.Get().CertFile)
	assert.Equal(t, []configopaque.String{"current-key", "previous-key"}, cfg.AccessKeys)
	assert.Equal(t, FormatSubscription, cfg.Format)
	assert.Equal(t, 512000, cfg.MaxRecordSize)
	assert.Equal(t, 8<<20, cfg.MaxDecompressedRecordSize)
	assert.Equal(t, int64(128<<20), cfg.MaxDecompressedRequestSize)
	assert.Equal(t, 45*time.Second, cfg.ConsumeTimeout)
	assert.Equal(t, 30*time.Minute, cfg.DedupWindow)
	readOnly := true
	assert.Equal(t, CloudTrailConfig{
		Enabled: true, PassThrough: true, SemanticAttributes: true, MaxValueBytes: 16384,
		EventSelection: cloudtrail.SelectionConfig{
			Include: []cloudtrail.EventRule{{EventSource: []string{"iam.amazonaws.com", "signin.amazonaws.com"}}, {UserIdentityType: []string{"Root"}}},
			Exclude: []cloudtrail.EventRule{{ReadOnly: &readOnly}},
		},
	}, cfg.CloudTrail)

	cfg, err = loadConfig(t, "cloudtrail_off")
	require.NoError(t, err)
	assert.False(t, cfg.CloudTrail.Enabled)
}

func TestInvalidConfigs(t *testing.T) {
	for name, want := range map[string]string{
		"bad_format":                   `format "json" is not supported: use auto (default), subscription or messages`,
		"no_record_cap":                "max_decompressed_record_size must be a positive number of bytes (default 16777216)",
		"record_cap_over_request_cap":  "max_decompressed_record_size cannot be larger than max_decompressed_request_size",
		"slow_pipeline":                "consume_timeout must be positive and under Firehose's 3m0s request timeout",
		"unitless":                     "consume_timeout is 60ns: durations need a unit, e.g. 60s",
		"unitless_keepalive":           "keepalive::idle_timeout is 120ns: durations need a unit, e.g. 120s",
		"contrib_record_type":          "record_type is the awsfirehosereceiver's option: this receiver reads CloudWatch Logs subscriptions only",
		"mixed_keepalive":              "cannot use deprecated keepalive fields (idle_timeout, keep_alives_enabled) alongside the 'keepalive' section",
		"misspelt":                     "has invalid keys: acess_keys, max_decompresed_record_size (not options of firehoselogs: check the spelling against the receiver's README)",
		"cloudtrail_small_values":      "cloudtrail.max_value_bytes must be 0 (strings kept whole) or at least 256 (default 32700, Logz.io's limit for one field)",
		"cloudtrail_empty_rule":        "cloudtrail.event_selection.exclude[0]: the rule sets no condition and would match every record",
		"cloudtrail_misspelt_rule":     "event_nme",
		"cloudtrail_misspelt_option":   "has invalid keys: cloudtrail::passthrough",
		"cloudtrail_options_while_off": "cloudtrail.pass_through, semantic_attributes and event_selection apply to CloudTrail records only: remove them, or set cloudtrail.enabled: true",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := loadConfig(t, name)
			require.Error(t, err)
			assert.ErrorContains(t, err, want)
		})
	}
}
