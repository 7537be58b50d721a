// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.opentelemetry.io/collector/component"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/awsconfig"
)

// Defaults of the options (also documented in README.md).
const (
	defaultPollInterval      = 60 * time.Second
	defaultDiscoveryInterval = 5 * time.Minute
	defaultLookBack          = 15 * time.Minute
	defaultWorkers           = 4
	defaultMaxBatchRecords   = 1000
	defaultMaxObjectBytes    = int64(1) << 30 // 1 GiB of decompressed JSON
)

// Config is the configuration of the cloudtrails3 receiver.
type Config struct {
	// AWS access: region, endpoint, profile, static keys, role_arn + external_id + session_name.
	// When region is empty the bucket's region is found with GetBucketLocation.
	awsconfig.Config `mapstructure:",squash"`
	// ForcePathStyle addresses the bucket as <endpoint>/<bucket> instead of <bucket>.<endpoint>; needed by most
	// S3-compatible servers.
	ForcePathStyle bool `mapstructure:"force_path_style"`

	// Bucket is the S3 bucket the trail delivers to (name only, no s3:// and no key).
	Bucket string `mapstructure:"bucket"`
	// Prefix is the trail's "S3 key prefix"; logs are read under <prefix>/AWSLogs/.
	Prefix string `mapstructure:"prefix"`
	// Accounts, when not empty, restricts reading to these 12-digit account IDs.
	Accounts []string `mapstructure:"accounts"`
	// Regions, when not empty, restricts reading to these regions.
	Regions []string `mapstructure:"regions"`
	// IncludeInsights also reads CloudTrail Insights files (CloudTrail-Insight/ folders).
	IncludeInsights bool `mapstructure:"include_insights"`

	// StartTime (RFC 3339, e.g. 2026-01-02T15:04:05Z) reads files delivered at or after this time. When not set the
	// receiver starts with files delivered after it was first started; that moment is persisted in the storage
	// extension.
	StartTime time.Time `mapstructure:"start_time"`
	// PollInterval is the time between two listings of every account/region.
	PollInterval time.Duration `mapstructure:"poll_interval"`
	// DiscoveryInterval is the time between two discoveries of accounts and regions under AWSLogs/.
	DiscoveryInterval time.Duration `mapstructure:"discovery_interval"`
	// LookBack is how far behind the newest file read (in file-name time) every poll lists again, to catch files
	// that CloudTrail delivered late.
	LookBack time.Duration `mapstructure:"look_back"`
	// Workers is how many objects are fetched and decoded at the same time.
	Workers int `mapstructure:"workers"`

	// MaxBatchRecords is the largest number of records handed to the pipeline in one ConsumeLogs call.
	MaxBatchRecords int `mapstructure:"max_batch_records"`
	// MaxObjectBytes caps the decompressed size of one object; larger objects are skipped and counted.
	MaxObjectBytes int64 `mapstructure:"max_object_bytes"`
	// IncludeObjectKey adds the attribute s3_object_key = "<bucket>/<key>" to every record.
	IncludeObjectKey bool `mapstructure:"include_object_key"`
	// SemanticAttributes adds OpenTelemetry semantic-convention attributes (contrib's awslogsencoding names).
	SemanticAttributes bool `mapstructure:"semantic_attributes"`

	// StorageID names a storage extension (e.g. file_storage) that keeps the position across restarts.
	StorageID *component.ID `mapstructure:"storage"`

	_ struct{}
}

var (
	accountIDPattern  = regexp.MustCompile(`^[0-9]{12}$`)
	regionNamePattern = regexp.MustCompile(`^[a-z]{2}(-[a-z0-9]+)+-[0-9]+$`)
	bucketNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.\-_]{1,253}[a-z0-9]$`)
)

// Validate reports configuration mistakes with what to change. The embedded AWS settings are validated by their own
// Validate, which the collector calls as well.
func (c *Config) Validate() error {
	var errs []error
	switch {
	case c.Bucket == "":
		errs = append(errs, errors.New("bucket is required: set it to the name of the S3 bucket the trail delivers to"))
	case strings.HasPrefix(c.Bucket, "s3://") || strings.Contains(c.Bucket, "/"):
		errs = append(errs, fmt.Errorf("bucket %q must be a bucket name only: put key prefixes in prefix", c.Bucket))
	case !bucketNamePattern.MatchString(c.Bucket):
		errs = append(errs, fmt.Errorf("bucket %q is not a valid S3 bucket name", c.Bucket))
	}
	if strings.HasPrefix(c.Prefix, "/") {
		errs = append(errs, fmt.Errorf("prefix %q must not start with '/': S3 keys have no leading slash", c.Prefix))
	}
	if strings.Contains(c.Prefix, "AWSLogs") {
		errs = append(errs, fmt.Errorf("prefix %q must stop before AWSLogs/: it is the trail's S3 key prefix, the receiver finds accounts and regions itself", c.Prefix))
	}
	for _, a := range c.Accounts {
		if !accountIDPattern.MatchString(a) {
			errs = append(errs, fmt.Errorf("accounts: %q is not a 12-digit AWS account ID", a))
		}
	}
	for _, r := range c.Regions {
		if !regionNamePattern.MatchString(r) {
			errs = append(errs, fmt.Errorf("regions: %q is not an AWS region name such as us-east-1", r))
		}
	}
	if c.PollInterval <= 0 {
		errs = append(errs, errors.New("poll_interval must be positive, e.g. 60s"))
	}
	if c.DiscoveryInterval <= 0 {
		errs = append(errs, errors.New("discovery_interval must be positive, e.g. 5m"))
	}
	if c.LookBack < 0 {
		errs = append(errs, errors.New("look_back must not be negative (0 disables re-listing for late files)"))
	}
	if c.Workers < 1 {
		errs = append(errs, errors.New("workers must be at least 1"))
	}
	if c.MaxBatchRecords < 1 {
		errs = append(errs, errors.New("max_batch_records must be at least 1"))
	}
	if c.MaxObjectBytes < 1 {
		errs = append(errs, errors.New("max_object_bytes must be at least 1"))
	}
	return errors.Join(errs...)
}

// keyPrefix is the configured prefix as it appears in keys: empty, or ending in exactly one '/'.
func (c *Config) keyPrefix() string {
	p := strings.TrimRight(c.Prefix, "/")
	if p == "" {
		return ""
	}
	return p + "/"
}
