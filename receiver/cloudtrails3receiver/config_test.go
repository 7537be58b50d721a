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
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/cloudtrail"
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
		MaxValueBytes:      65536,
		IncludeObjectKey:   true,
		SemanticAttributes: true,
		StorageID:          &storageID,
		SQS:                createDefaultConfig().(*Config).SQS,
		Integrity: IntegrityConfig{
			Enabled:      true,
			PublicKeys:   []string{"testdata/cloudtrail-public-key.pem"},
			Alert:        "record",
			MissingAfter: 45 * time.Minute,
		},
	}, full)
	assert.Equal(t, "org-trail/", full.keyPrefix())

	static := loadConfig(t, "static_keys")
	require.NoError(t, confmap.Validate(static))
	assert.Equal(t, "AKIAEXAMPLE", string(static.AccessKeyID))
}

func TestLoadSQSAndShardConfig(t *testing.T) {
	cfg := loadConfig(t, "sqs")
	require.NoError(t, confmap.Validate(cfg))
	assert.True(t, cfg.sqsMode())
	assert.Empty(t, cfg.Bucket, "the bucket comes from each notification")
	assert.Equal(t, SQSConfig{
		QueueURL: "https://sqs.eu-west-1.amazonaws.com/111122223333/cloudtrail-objects",
		Config: awsconfig.Config{
			RoleARN:    "arn:aws:iam::111122223333:role/queue-reader",
			ExternalID: "queue-ext",
		},
		WaitTime:               10 * time.Second,
		MaxMessages:            5,
		VisibilityTimeout:      2 * time.Minute,
		MaxVisibilityExtension: 30 * time.Minute,
		MaxReceiveCount:        5,
	}, cfg.SQS)
	// The sqs block names a role: it is assumed with the base credentials of the sqs block (none: the default chain),
	// not with the bucket's keys; the region comes from the queue URL.
	q := cfg.sqsAWSConfig()
	assert.Equal(t, "eu-west-1", q.Region)
	assert.Equal(t, "arn:aws:iam::111122223333:role/queue-reader", q.RoleARN)
	assert.Empty(t, string(q.AccessKeyID))

	// Without credentials of its own, the queue is read with the bucket's.
	cfg.SQS.RoleARN, cfg.SQS.ExternalID = "", ""
	q = cfg.sqsAWSConfig()
	assert.Equal(t, "AKIABUCKETREADER", string(q.AccessKeyID))
	assert.Equal(t, "bucket-secret", string(q.SecretAccessKey))

	defaults := createDefaultConfig().(*Config).SQS
	assert.Equal(t, 20*time.Second, defaults.WaitTime)
	assert.Equal(t, 10, defaults.MaxMessages)
	assert.Equal(t, 5*time.Minute, defaults.VisibilityTimeout)
	assert.Equal(t, time.Hour, defaults.MaxVisibilityExtension)
	assert.Zero(t, defaults.MaxReceiveCount)

	sharded := loadConfig(t, "sharded")
	require.NoError(t, confmap.Validate(sharded))
	assert.Equal(t, ShardConfig{Count: 3, IndexFromHostname: true}, sharded.Shard)
	assert.False(t, sharded.sqsMode())
}

func TestValidateIntegrityMistakes(t *testing.T) {
	err := confmap.Validate(loadConfig(t, "invalid_integrity"))
	require.Error(t, err)
	for _, want := range []string{
		`integrity.alert "email" must be "log" or "record"`,
		"integrity.missing_after must be positive",
		"integrity.public_keys: reading public key file",
	} {
		assert.ErrorContains(t, err, want)
	}

	assert.ErrorContains(t, err, `integrity.endpoint "cloudtrail.local" must be an absolute http:// or https:// URL`)

	cfg := loadConfig(t, "full")
	cfg.Integrity.PublicKeys = nil
	assert.NoError(t, confmap.Validate(cfg), "without public_keys the keys come from ListPublicKeys")

	sqs := loadConfig(t, "sqs")
	sqs.Integrity = loadConfig(t, "full").Integrity
	assert.ErrorContains(t, confmap.Validate(sqs), "integrity is supported in polling mode only")

	assert.Equal(t, IntegrityConfig{Alert: "log", MissingAfter: 30 * time.Minute}, createDefaultConfig().(*Config).Integrity)
}

func TestQueueURLRegion(t *testing.T) {
	for in, want := range map[string]string{
		"https://sqs.ap-southeast-2.amazonaws.com/111122223333/q":    "ap-southeast-2",
		"https://eu-west-1.queue.amazonaws.com/111122223333/q":       "eu-west-1",
		"https://sqs.cn-north-1.amazonaws.com.cn/111122223333/q":     "cn-north-1",
		"http://127.0.0.1:15000/123456789012/q":                      "",
		"https://vpce-1a2b3c4d.sqs.us-east-1.vpce.amazonaws.com/1/q": "",
		"::not a url": "",
	} {
		assert.Equal(t, want, queueURLRegion(in), in)
	}
	cfg := createDefaultConfig().(*Config)
	cfg.Region = "us-west-2"
	cfg.SQS.QueueURL = "http://127.0.0.1:15000/123456789012/q"
	assert.Equal(t, "us-west-2", cfg.sqsAWSConfig().Region, "falls back to the bucket's region")
}

func TestValidateSQSAndShardMistakes(t *testing.T) {
	err := confmap.Validate(loadConfig(t, "invalid_sqs"))
	require.Error(t, err)
	for _, want := range []string{
		`sqs.queue_url "sqs-queue" is not a queue URL`,
		"sqs.wait_time must be between 0s and 20s",
		"sqs.max_messages must be between 1 and 10",
		"sqs.visibility_timeout must be between 1s and 12h0m0s",
		"sqs.max_receive_count must not be negative",
		"shard is for polling mode only",
		"storage is not used in SQS mode",
	} {
		assert.ErrorContains(t, err, want)
	}
	assert.NotContains(t, err.Error(), "bucket is required")

	err = confmap.Validate(loadConfig(t, "invalid_shard"))
	require.Error(t, err)
	assert.ErrorContains(t, err, "shard.index 3 must be between 0 and shard.count-1 (2)")
	assert.ErrorContains(t, err, "sqs.* access settings are set but sqs.queue_url is empty")

	for want, shard := range map[string]ShardConfig{
		"shard.count must not be negative":                {Count: -1},
		"need shard.count":                                {IndexFromHostname: true},
		"either shard.index or shard.index_from_hostname": {Index: 1, Count: 3, IndexFromHostname: true},
	} {
		cfg := createDefaultConfig().(*Config)
		cfg.Bucket = "my-trail-bucket"
		cfg.Shard = shard
		assert.ErrorContains(t, confmap.Validate(cfg), want)
	}
	cfg := createDefaultConfig().(*Config)
	cfg.SQS.QueueURL = testQueueURL
	cfg.SQS.MaxVisibilityExtension = time.Minute
	assert.ErrorContains(t, confmap.Validate(cfg), "sqs.max_visibility_extension must be at least sqs.visibility_timeout")
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
		"bucket is required":                                             func(c *Config) { c.Bucket = "" },
		"must not start with '/'":                                        func(c *Config) { c.Prefix = "/trail" },
		"must stop before AWSLogs/":                                      func(c *Config) { c.Prefix = "trail/AWSLogs/" },
		"look_back must not be negative":                                 func(c *Config) { c.LookBack = -time.Minute },
		"max_batch_records must be at least 1":                           func(c *Config) { c.MaxBatchRecords = 0 },
		"max_object_bytes must be at least 1":                            func(c *Config) { c.MaxObjectBytes = 0 },
		"max_value_bytes must be 0 (strings kept whole) or at least 256": func(c *Config) { c.MaxValueBytes = 100 },
		"discovery_interval must be positive":                            func(c *Config) { c.DiscoveryInterval = 0 },
		"external_id is only used with role_arn":                         func(c *Config) { c.ExternalID = "x" },
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

func TestLoadEventSelection(t *testing.T) {
	cfg := loadConfig(t, "selection")
	require.NoError(t, confmap.Validate(cfg))
	yes, no := true, false
	assert.Equal(t, cloudtrail.SelectionConfig{Exclude: []cloudtrail.EventRule{
		{ReadOnly: &yes, ManagementEvent: &yes, Error: &no},
		{EventSource: []string{"kms.amazonaws.com", "sts.amazonaws.com"}, UserIdentityType: []string{"AWSService"}},
	}}, cfg.EventSelection)
	assert.False(t, createDefaultConfig().(*Config).EventSelection.Enabled(), "no selection by default: every record ships")

	err := confmap.Validate(loadConfig(t, "invalid_selection"))
	require.Error(t, err)
	for _, want := range []string{
		"event_selection.include[0]: the rule sets no condition and would match every record",
		"event_selection.exclude[0]: event_name is an empty list, which matches nothing",
		"event_selection.exclude[1]: event_source has an empty value",
	} {
		assert.ErrorContains(t, err, want)
	}
}
