// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/awsconfig"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/metadata"
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

func TestLoadConfig(t *testing.T) {
	minimal := loadConfig(t, "")
	require.NoError(t, confmap.Validate(minimal))
	want := createDefaultConfig().(*Config)
	want.Bucket = "my-trail-bucket"
	assert.Equal(t, want, minimal)
	assert.Equal(t, 60*time.Second, minimal.PollInterval)
	assert.Equal(t, 15*time.Minute, minimal.LookBack)
	assert.Equal(t, 4, minimal.Workers)
	assert.Equal(t, 1000, minimal.MaxBatchRecords)
	assert.Equal(t, int64(1<<30), minimal.MaxObjectBytes)

	full := loadConfig(t, "full")
	require.NoError(t, confmap.Validate(full))
	storageID := component.MustNewID("file_storage")
	assert.Equal(t, &Config{
		Config: awsconfig.Config{
			Region:      "eu-west-1",
			Endpoint:    "https://s3.eu-west-1.amazonaws.com",
			RoleARN:     "arn:aws:iam::111122223333:role/logzio-cloudtrail-reader",
			ExternalID:  "logzio-1234",
			SessionName: "otelcol-cloudtrail",
		},
		ForcePathStyle:     true,
		Bucket:             "my-trail-bucket",
		Prefix:             "org-trail",
		Accounts:           []string{"111122223333", "444455556666"},
		Regions:            []string{"us-east-1", "eu-west-1"},
		IncludeInsights:    true,
		StartTime:          time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		PollInterval:       30 * time.Second,
		DiscoveryInterval:  10 * time.Minute,
		LookBack:           20 * time.Minute,
		Workers:            8,
		MaxBatchRecords:    500,
		MaxObjectBytes:     256 << 20,
		IncludeObjectKey:   true,
		SemanticAttributes: true,
		StorageID:          &storageID,
	}, full)
	assert.Equal(t, "org-trail/", full.keyPrefix())

	static := loadConfig(t, "static_keys")
	require.NoError(t, confmap.Validate(static))
	assert.Equal(t, "AKIAEXAMPLE", string(static.AccessKeyID))
}

func TestValidateExplainsEachMistake(t *testing.T) {
	err := confmap.Validate(loadConfig(t, "invalid"))
	require.Error(t, err)
	for _, want := range []string{
		`bucket "s3://my-trail-bucket/AWSLogs" must be a bucket name only`,
		`accounts: "12345" is not a 12-digit AWS account ID`,
		`regions: "US_EAST" is not an AWS region name`,
		"poll_interval must be positive",
		"workers must be at least 1",
	} {
		assert.ErrorContains(t, err, want)
	}

	cases := map[string]func(*Config){
		"bucket is required":                     func(c *Config) { c.Bucket = "" },
		"must not start with '/'":                func(c *Config) { c.Prefix = "/trail" },
		"must stop before AWSLogs/":              func(c *Config) { c.Prefix = "trail/AWSLogs/" },
		"look_back must not be negative":         func(c *Config) { c.LookBack = -time.Minute },
		"max_batch_records must be at least 1":   func(c *Config) { c.MaxBatchRecords = 0 },
		"max_object_bytes must be at least 1":    func(c *Config) { c.MaxObjectBytes = 0 },
		"discovery_interval must be positive":    func(c *Config) { c.DiscoveryInterval = 0 },
		"external_id is only used with role_arn": func(c *Config) { c.ExternalID = "x" },
	}
	for want, mutate := range cases {
		cfg := createDefaultConfig().(*Config)
		cfg.Bucket = "my-trail-bucket"
		mutate(cfg)
		assert.ErrorContains(t, confmap.Validate(cfg), want)
	}
}

func TestStartTimeMustBeRFC3339(t *testing.T) {
	cm := confmap.NewFromStringMap(map[string]any{"bucket": "b-1-2", "start_time": "yesterday"})
	cfg := createDefaultConfig().(*Config)
	assert.ErrorContains(t, cm.Unmarshal(cfg), "start_time")
	cm = confmap.NewFromStringMap(map[string]any{"bucket": "b-1-2", "start_time": "2026-01-02T15:04:05+02:00"})
	require.NoError(t, cm.Unmarshal(cfg))
	assert.Equal(t, time.Date(2026, 1, 2, 13, 4, 5, 0, time.UTC), cfg.StartTime.UTC())
}

func TestKeyPrefixNormalisation(t *testing.T) {
	for prefix, want := range map[string]string{"": "", "trail": "trail/", "trail/": "trail/", "a/b//": "a/b/"} {
		cfg := &Config{Prefix: prefix}
		assert.Equal(t, want, cfg.keyPrefix(), prefix)
	}
}

func TestFactory(t *testing.T) {
	f := NewFactory()
	assert.Equal(t, metadata.Type, f.Type())
	assert.Equal(t, metadata.LogsStability, f.LogsStability())
	require.NoError(t, componenttest.CheckConfigStruct(f.CreateDefaultConfig()))
}
