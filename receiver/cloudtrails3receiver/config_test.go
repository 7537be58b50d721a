// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/awsconfig"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
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
		MaxObjectsInFlight: 64,
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

// pass_through is off unless set: processors that read body fields need the map.
func TestPassThroughOption(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	assert.False(t, cfg.PassThrough)
	require.NoError(t, confmap.NewFromStringMap(map[string]any{"bucket": "my-trail-bucket", "pass_through": true}).Unmarshal(cfg))
	assert.True(t, cfg.PassThrough)
	require.NoError(t, confmap.Validate(cfg))
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
		"poll_interval must be positive, e.g. 60s",
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
		"max_objects_in_flight (2) must be at least workers (4)":         func(c *Config) { c.MaxObjectsInFlight = 2 },
		"max_object_bytes must be at least 1":                            func(c *Config) { c.MaxObjectBytes = 0 },
		"max_value_bytes must be 0 (strings kept whole) or at least 256": func(c *Config) { c.MaxValueBytes = 100 },
		"discovery_interval must be positive":                            func(c *Config) { c.DiscoveryInterval = 0 },
		"external_id is only used with role_arn":                         func(c *Config) { c.ExternalID = "x" },
		`region "eu-west1" is not an AWS region code: write it in lowercase with a hyphen before the number, e.g. us-east-1 or eu-west-1`:                                              func(c *Config) { c.Region = "eu-west1" },
		`bucket "<bucket>" is not a valid S3 bucket name: write the name of the bucket the trail delivers to (lowercase letters, digits, dots and hyphens), e.g. my-cloudtrail-bucket`: func(c *Config) { c.Bucket = "<bucket>" },
		`bucket "REPLACE_ME" is not a valid S3 bucket name`: func(c *Config) { c.Bucket = "REPLACE_ME" },
	}
	for want, mutate := range cases {
		cfg := createDefaultConfig().(*Config)
		cfg.Bucket = "my-trail-bucket"
		mutate(cfg)
		assert.ErrorContains(t, confmap.Validate(cfg), want)
	}
}

func TestStartTimeForms(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 30, 0, 0, time.UTC)
	configNow = func() time.Time { return now }
	t.Cleanup(func() { configNow = time.Now })

	for in, want := range map[string]time.Time{
		"2026-01-02T15:04:05+02:00": time.Date(2026, 1, 2, 13, 4, 5, 0, time.UTC),
		"2026-01-02T15:04:05Z":      time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC),
		"2026-01-02":                time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
		"-24h":                      now.Add(-24 * time.Hour),
		"-90m":                      now.Add(-90 * time.Minute),
		"-7d":                       now.Add(-7 * 24 * time.Hour),
		"":                          {},
	} {
		cfg := createDefaultConfig().(*Config)
		require.NoError(t, confmap.NewFromStringMap(map[string]any{"bucket": "b-1-2", "start_time": in}).Unmarshal(cfg), in)
		assert.True(t, want.Equal(cfg.StartTime), "%s: got %s, want %s", in, cfg.StartTime, want)
	}

	for in, want := range map[any]string{
		"yesterday":  `start_time "yesterday" is not a time: write an RFC 3339 time (2026-01-02T15:04:05Z), a date (2026-01-02, midnight UTC) or how long before the start (-24h, -7d)`,
		"2026-13-01": `start_time "2026-13-01" is not a time: write an RFC 3339 time (2026-01-02T15:04:05Z)`,
		1767225600:   `start_time "1767225600" is not a time: write an RFC 3339 time (2026-01-02T15:04:05Z)`,
		"24h":        `start_time "24h" is not before the start: a relative start_time counts back, e.g. -24h`,
		"7d":         `start_time "7d" is not before the start: a relative start_time counts back, e.g. -24h`,
	} {
		cfg := createDefaultConfig().(*Config)
		err := confmap.NewFromStringMap(map[string]any{"bucket": "b-1-2", "start_time": in}).Unmarshal(cfg)
		assert.ErrorContains(t, err, want, in)
	}
}

func TestStartTimeFromYAML(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 30, 0, 0, time.UTC)
	configNow = func() time.Time { return now }
	t.Cleanup(func() { configNow = time.Now })

	date := loadConfig(t, "start_date")
	require.NoError(t, confmap.Validate(date))
	assert.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), date.StartTime)
	assert.Equal(t, "my-trail-bucket", date.Bucket, "the other options still load")

	relative := loadConfig(t, "start_relative")
	assert.Equal(t, time.Date(2026, 2, 28, 10, 30, 0, 0, time.UTC), relative.StartTime)

	assert.True(t, loadConfig(t, "").StartTime.IsZero(), "not set: from the first start")
}

// TestDurationsWithoutUnit: a bare YAML number is nanoseconds; every duration option names the fix.
func TestDurationsWithoutUnit(t *testing.T) {
	err := confmap.Validate(loadConfig(t, "unitless"))
	require.Error(t, err)
	for _, want := range []string{
		"poll_interval is 60ns: durations need a unit, e.g. 60s",
		"discovery_interval is 300ns: durations need a unit, e.g. 5m",
		"look_back is 900ns: durations need a unit, e.g. 15m (0 turns re-listing off)",
		"integrity.missing_after is 1.8µs: durations need a unit, e.g. 30m",
	} {
		assert.ErrorContains(t, err, want)
	}

	err = confmap.Validate(loadConfig(t, "unitless_sqs"))
	require.Error(t, err)
	for _, want := range []string{
		"sqs.wait_time is 20ns: durations need a unit, e.g. 20s (0 turns long polling off)",
		"sqs.visibility_timeout is 300ns: durations need a unit, e.g. 5m",
		"sqs.max_visibility_extension is 3.6µs: durations need a unit, e.g. 1h",
	} {
		assert.ErrorContains(t, err, want)
	}

	// With a unit but under the minimum.
	for want, mutate := range map[string]func(*Config){
		"poll_interval is 500ms, below its minimum of 1s: e.g. 60s":                     func(c *Config) { c.PollInterval = 500 * time.Millisecond },
		"discovery_interval is 200ms, below its minimum of 1s: e.g. 5m":                 func(c *Config) { c.DiscoveryInterval = 200 * time.Millisecond },
		"look_back is 10ms, below its minimum of 1s: e.g. 15m (0 turns re-listing off)": func(c *Config) { c.LookBack = 10 * time.Millisecond },
		"integrity.missing_after is 100ms, below its minimum of 1s: e.g. 30m": func(c *Config) {
			c.Integrity.Enabled, c.Integrity.MissingAfter = true, 100*time.Millisecond
		},
	} {
		cfg := createDefaultConfig().(*Config)
		cfg.Bucket = "my-trail-bucket"
		mutate(cfg)
		assert.ErrorContains(t, confmap.Validate(cfg), want)
	}
	cfg := createDefaultConfig().(*Config)
	cfg.SQS.QueueURL = testQueueURL
	cfg.SQS.WaitTime = 500 * time.Millisecond
	assert.ErrorContains(t, confmap.Validate(cfg), "sqs.wait_time is 500ms, below its minimum of 1s: e.g. 20s (0 turns long polling off)")

	// The minimums themselves, and 0 where 0 means off, pass.
	cfg = createDefaultConfig().(*Config)
	cfg.Bucket = "my-trail-bucket"
	cfg.PollInterval, cfg.DiscoveryInterval, cfg.LookBack = time.Second, time.Second, 0
	cfg.Integrity.Enabled, cfg.Integrity.MissingAfter = true, time.Second
	assert.NoError(t, confmap.Validate(cfg))
	cfg = createDefaultConfig().(*Config)
	cfg.SQS.QueueURL = testQueueURL
	cfg.SQS.WaitTime, cfg.SQS.VisibilityTimeout, cfg.SQS.MaxVisibilityExtension = 0, time.Second, time.Second
	assert.NoError(t, confmap.Validate(cfg))
}

func TestContribOptionNames(t *testing.T) {
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	sub, err := cm.Sub(component.NewIDWithName(metadata.Type, "contrib_names").String())
	require.NoError(t, err)
	err = sub.Unmarshal(createDefaultConfig().(*Config))
	require.Error(t, err)
	assert.ErrorContains(t, err, "s3_force_path_style is the awss3 receiver's name: write force_path_style: true")
	assert.ErrorContains(t, err, "starttime is the awss3 receiver's name: write start_time, e.g. start_time: 2026-01-02T15:04:05Z")

	err = confmap.NewFromStringMap(map[string]any{"s3downloader": map[string]any{"s3_bucket": "b"}}).Unmarshal(createDefaultConfig().(*Config))
	assert.ErrorContains(t, err, "s3downloader is the awss3 receiver's block: write bucket, prefix, region, endpoint and force_path_style at the top level of cloudtrails3")

	// Other unknown keys are still refused by confmap.
	err = confmap.NewFromStringMap(map[string]any{"bucket": "b-1-2", "no_such_option": 1}).Unmarshal(createDefaultConfig().(*Config))
	assert.ErrorContains(t, err, "no_such_option")
}

// TestBucketPlaceholderFailsAtStart: the shipped config's placeholder validates (the file must validate as shipped)
// and is refused when the receiver starts, in polling and in SQS mode.
func TestBucketPlaceholderFailsAtStart(t *testing.T) {
	for name, mutate := range map[string]func(*Config){
		"polling": func(*Config) {},
		"sqs":     func(c *Config) { c.SQS.QueueURL = testQueueURL },
	} {
		t.Run(name, func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			cfg.Bucket = "replace-with-your-cloudtrail-bucket"
			mutate(cfg)
			require.NoError(t, confmap.Validate(cfg), "validate accepts the shipped placeholder")
			r, err := NewFactory().CreateLogs(context.Background(), receivertest.NewNopSettings(metadata.Type), cfg, consumertest.NewNop())
			require.NoError(t, err)
			err = r.Start(context.Background(), componenttest.NewNopHost())
			require.EqualError(t, err, "bucket is still the placeholder replace-with-your-cloudtrail-bucket: set CLOUDTRAIL_BUCKET (or bucket:) to your trail's bucket")
			assert.NoError(t, r.Shutdown(context.Background()))
		})
	}
}

// validateFastPolling validates cfg as if its poll and discovery intervals, which unit tests shorten below the
// minimums to run quickly, were at least the minimums.
func validateFastPolling(cfg *Config) error {
	c := *cfg
	c.PollInterval = max(c.PollInterval, minPollInterval)
	c.DiscoveryInterval = max(c.DiscoveryInterval, minDiscoveryInterval)
	return c.Validate()
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
