// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/awsconfig"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/confighint"
)

// Defaults of the options (also documented in README.md).
const (
	defaultPollInterval      = 60 * time.Second
	defaultDiscoveryInterval = 5 * time.Minute
	defaultLookBack          = 15 * time.Minute
	defaultWorkers           = 4
	// defaultInFlightPerWorker sets max_objects_in_flight when it is 0: objects waiting for the pipeline per worker.
	defaultInFlightPerWorker = 4
	defaultMaxBatchRecords   = 1000
	defaultMaxObjectBytes    = int64(1) << 30 // 1 GiB of decompressed JSON
	// defaultMaxValueBytes is Logz.io's limit for one field: a longer value never reaches it whole anyway.
	defaultMaxValueBytes = 32700
	minMaxValueBytes     = 256

	// Minimums of the durations: below them a value is surely a mistake, most often a number written without a unit
	// (a bare 60 is 60ns). A poll lists every account/region folder: a runaway interval is a LIST bill.
	minPollInterval      = time.Second
	minDiscoveryInterval = time.Second
	minLookBack          = time.Second // or 0, which turns re-listing off
	minSQSWaitTime       = time.Second // or 0, short polling; SQS counts whole seconds
	minSQSVisibility     = time.Second
	minMissingAfter      = time.Second

	// bucketPlaceholder is the bucket of the shipped config.yaml when CLOUDTRAIL_BUCKET is not set. The shipped file
	// validates as it is, so the placeholder is refused when the receiver starts, not by validate.
	bucketPlaceholder = "replace-with-your-cloudtrail-bucket"
)

// unitlessBelow: a YAML number without a unit decodes as nanoseconds, so any duration under a millisecond is taken for
// one (60 → 60ns).
const unitlessBelow = time.Millisecond

// checkDuration refuses a duration under minimum, saying how to write it. Callers handle 0 and negative values.
func checkDuration(name string, d, minimum time.Duration, example string) error {
	switch {
	case d < unitlessBelow:
		return fmt.Errorf("%s is %s: durations need a unit, e.g. %s", name, d, example)
	case d < minimum:
		return fmt.Errorf("%s is %s, below its minimum of %s: e.g. %s", name, d, minimum, example)
	}
	return nil
}

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

	// StartTime reads files delivered at or after this time. In YAML it is an RFC 3339 time (2026-01-02T15:04:05Z), a
	// date (2026-01-02, midnight UTC) or a negative duration counted back from when the configuration is loaded, i.e.
	// at start (-24h, -7d); see Unmarshal. When not set (or empty) the receiver starts with files delivered after it was
	// first started; that moment is persisted in the storage extension.
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
	// MaxObjectsInFlight is how many objects (SQS mode: messages) are read or wait for the pipeline to accept their
	// last batch at the same time; 0 means 4 × Workers. An object whose last batch waits holds no worker: its
	// decoder buffers and connection are released, so a slow listener is answered with more objects in flight,
	// each holding only its last batch.
	MaxObjectsInFlight int `mapstructure:"max_objects_in_flight"`

	// MaxBatchRecords is the largest number of records handed to the pipeline in one ConsumeLogs call.
	MaxBatchRecords int `mapstructure:"max_batch_records"`
	// MaxObjectBytes caps the decompressed size of one object; larger objects are skipped and counted.
	MaxObjectBytes int64 `mapstructure:"max_object_bytes"`
	// MaxValueBytes caps every string value (and member name) of a record: a longer one is cut while it is read and
	// ends with "...truncated", so one huge string costs at most this much memory. 0 keeps strings whole.
	MaxValueBytes int `mapstructure:"max_value_bytes"`
	// IncludeObjectKey adds the attribute s3_object_key = "<bucket>/<key>" to every record.
	IncludeObjectKey bool `mapstructure:"include_object_key"`
	// SemanticAttributes adds OpenTelemetry semantic-convention attributes (contrib's awslogsencoding names).
	SemanticAttributes bool `mapstructure:"semantic_attributes"`
	PassThrough        bool `mapstructure:"pass_through"` // each record's JSON text as its body: README, Pass-through
	// EventSelection chooses which records ship (include and exclude rules over eventSource, eventName, readOnly,
	// ...). It is decided on the scanned record, before anything is built: a dropped record costs only its scan.
	EventSelection cloudtrail.SelectionConfig `mapstructure:"event_selection"`

	// StorageID names a storage extension (e.g. file_storage) that keeps the position across restarts.
	StorageID *component.ID `mapstructure:"storage"`

	// SQS switches to notification mode: objects are read when the queue names them, and nothing is listed. Set
	// sqs.queue_url to enable it; it excludes polling (and shard).
	SQS SQSConfig `mapstructure:"sqs"`
	// Shard splits polling between several replicas without coordination.
	Shard ShardConfig `mapstructure:"shard"`
	// Integrity validates log files against CloudTrail's signed digest files (polling mode only).
	Integrity IntegrityConfig `mapstructure:"integrity"`

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
	case c.Bucket == "" && c.sqsMode():
		// In SQS mode the bucket comes from each notification; bucket, when set, only filters.
	case c.Bucket == "":
		errs = append(errs, errors.New("bucket is required: set it to the name of the S3 bucket the trail delivers to"))
	case strings.HasPrefix(c.Bucket, "s3://") || strings.Contains(c.Bucket, "/"):
		errs = append(errs, fmt.Errorf("bucket %q must be a bucket name only: put key prefixes in prefix", c.Bucket))
	case !bucketNamePattern.MatchString(c.Bucket):
		errs = append(errs, fmt.Errorf("bucket %q is not a valid S3 bucket name: write the name of the bucket the trail delivers to (lowercase letters, digits, dots and hyphens), e.g. my-cloudtrail-bucket", c.Bucket))
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
	} else {
		errs = append(errs, checkDuration("poll_interval", c.PollInterval, minPollInterval, "60s"))
	}
	if c.DiscoveryInterval <= 0 {
		errs = append(errs, errors.New("discovery_interval must be positive, e.g. 5m"))
	} else {
		errs = append(errs, checkDuration("discovery_interval", c.DiscoveryInterval, minDiscoveryInterval, "5m"))
	}
	if c.LookBack < 0 {
		errs = append(errs, errors.New("look_back must not be negative (0 disables re-listing for late files)"))
	} else if c.LookBack > 0 {
		errs = append(errs, checkDuration("look_back", c.LookBack, minLookBack, "15m (0 turns re-listing off)"))
	}
	if c.Workers < 1 {
		errs = append(errs, errors.New("workers must be at least 1"))
	}
	if c.MaxObjectsInFlight != 0 && c.MaxObjectsInFlight < c.Workers {
		errs = append(errs, fmt.Errorf("max_objects_in_flight (%d) must be at least workers (%d), or 0 for 4 × workers", c.MaxObjectsInFlight, c.Workers))
	}
	if c.MaxBatchRecords < 1 {
		errs = append(errs, errors.New("max_batch_records must be at least 1"))
	}
	if c.MaxObjectBytes < 1 {
		errs = append(errs, errors.New("max_object_bytes must be at least 1"))
	}
	if c.MaxValueBytes != 0 && c.MaxValueBytes < minMaxValueBytes {
		errs = append(errs, fmt.Errorf("max_value_bytes must be 0 (strings kept whole) or at least %d (default %d, Logz.io's limit for one field)", minMaxValueBytes, defaultMaxValueBytes))
	}
	if c.sqsMode() {
		errs = append(errs, c.SQS.validate())
		if c.Shard.enabled() {
			errs = append(errs, errors.New("shard is for polling mode only: with sqs.queue_url the queue already spreads the work over every replica; remove shard"))
		}
		if c.StorageID != nil {
			errs = append(errs, errors.New("storage is not used in SQS mode (the queue keeps the state): remove storage, or remove sqs to poll the bucket"))
		}
	} else {
		errs = append(errs, c.SQS.validateUnused())
		errs = append(errs, c.Shard.validate())
	}
	errs = append(errs, c.Integrity.validate(c.sqsMode()))
	if c.Integrity.Enabled && c.Integrity.MissingAfter > 0 {
		errs = append(errs, checkDuration("integrity.missing_after", c.Integrity.MissingAfter, minMissingAfter, "30m"))
	}
	errs = append(errs, c.EventSelection.Validate())
	return errors.Join(errs...)
}

// startError refuses, when the receiver starts, a configuration that validates but cannot be meant: the shipped
// config.yaml's bucket placeholder (the file must validate as shipped, with nothing set).
func (c *Config) startError() error {
	if c.Bucket == bucketPlaceholder {
		return fmt.Errorf("bucket is still the placeholder %s: set CLOUDTRAIL_BUCKET (or bucket:) to your trail's bucket", bucketPlaceholder)
	}
	return nil
}

// contribOptions are option names of contrib's awss3receiver that users bring along, with what to write here instead.
var contribOptions = []confighint.Hint{
	{Name: "s3_force_path_style", Message: "s3_force_path_style is the awss3 receiver's name: write force_path_style: true"},
	{Name: "s3downloader", Message: "s3downloader is the awss3 receiver's block: write bucket, prefix, region, endpoint and force_path_style at the top level of cloudtrails3"},
	{Name: "starttime", Message: "starttime is the awss3 receiver's name: write start_time, e.g. start_time: 2026-01-02T15:04:05Z"},
}

// configNow is the clock a relative start_time counts back from (replaced in tests).
var configNow = time.Now

// plainConfig is Config without its Unmarshal method, so that Unmarshal can decode into it.
type plainConfig Config

// Unmarshal names this receiver's options when contrib's awss3receiver names are used (confmap would only report
// "invalid keys"), and reads start_time in its three forms (see parseStartTime).
func (c *Config) Unmarshal(conf *confmap.Conf) error {
	if err := confighint.Check(conf, contribOptions); err != nil {
		return err
	}
	var start *time.Time
	if conf.IsSet("start_time") {
		t, err := parseStartTime(conf.Get("start_time"), configNow())
		if err != nil {
			return err
		}
		start = &t
		conf.Delete("start_time")
	}
	if err := conf.Unmarshal((*plainConfig)(c)); err != nil {
		return err
	}
	if start != nil {
		c.StartTime = *start
	}
	return nil
}

// sqsMode says whether objects come from SQS notifications instead of polling.
func (c *Config) sqsMode() bool { return c.SQS.QueueURL != "" }

// keyPrefix is the configured prefix as it appears in keys: empty, or ending in exactly one '/'.
func (c *Config) keyPrefix() string {
	p := strings.TrimRight(c.Prefix, "/")
	if p == "" {
		return ""
	}
	return p + "/"
}

// Defaults and limits of the SQS options.
const (
	defaultSQSWaitTime               = 20 * time.Second
	defaultSQSMaxMessages            = 10
	defaultSQSVisibilityTimeout      = 5 * time.Minute
	defaultSQSMaxVisibilityExtension = time.Hour
	maxSQSWaitTime                   = 20 * time.Second
	maxSQSMessages                   = 10
	maxSQSVisibility                 = 12 * time.Hour // SQS refuses a visibility beyond 12 hours after the receipt
)

// SQSConfig configures notification mode: S3 event notifications (direct, through SNS or EventBridge) or CloudTrail's
// own SNS notifications, delivered to an SQS queue.
type SQSConfig struct {
	// QueueURL is the URL of the queue, e.g. https://sqs.us-east-1.amazonaws.com/111122223333/cloudtrail-objects.
	QueueURL string `mapstructure:"queue_url"`
	// AWS access to the queue: region (default: the queue URL's region), endpoint, and credentials. When none of
	// access_key_id, profile and role_arn is set here, the queue is read with the bucket's credentials.
	awsconfig.Config `mapstructure:",squash"`
	// WaitTime is the long-poll wait of ReceiveMessage (0 to 20s).
	WaitTime time.Duration `mapstructure:"wait_time"`
	// MaxMessages is the largest number of messages one ReceiveMessage asks for (1 to 10).
	MaxMessages int `mapstructure:"max_messages"`
	// VisibilityTimeout hides a received message from other consumers while it is read; it is extended every half
	// timeout while the message's objects are still being read.
	VisibilityTimeout time.Duration `mapstructure:"visibility_timeout"`
	// MaxVisibilityExtension bounds how long after its receipt a message is kept hidden; past it the receiver stops
	// reading the message's objects and lets the message become visible again.
	MaxVisibilityExtension time.Duration `mapstructure:"max_visibility_extension"`
	// MaxReceiveCount, when positive, leaves a message received more often than this for the queue's dead-letter
	// redrive instead of reading it again. 0 reads every message however often it was received.
	MaxReceiveCount int `mapstructure:"max_receive_count"`

	_ struct{}
}

func (s *SQSConfig) validate() error {
	var errs []error
	if u, err := url.Parse(s.QueueURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.Count(strings.Trim(u.Path, "/"), "/") != 1 {
		errs = append(errs, fmt.Errorf("sqs.queue_url %q is not a queue URL such as https://sqs.us-east-1.amazonaws.com/111122223333/my-queue", s.QueueURL))
	}
	if s.WaitTime < 0 || s.WaitTime > maxSQSWaitTime {
		errs = append(errs, fmt.Errorf("sqs.wait_time must be between 0s and %s (SQS long polling)", maxSQSWaitTime))
	} else if s.WaitTime > 0 {
		errs = append(errs, checkDuration("sqs.wait_time", s.WaitTime, minSQSWaitTime, "20s (0 turns long polling off)"))
	}
	if s.MaxMessages < 1 || s.MaxMessages > maxSQSMessages {
		errs = append(errs, fmt.Errorf("sqs.max_messages must be between 1 and %d", maxSQSMessages))
	}
	if s.VisibilityTimeout > 0 && s.VisibilityTimeout < unitlessBelow {
		errs = append(errs, checkDuration("sqs.visibility_timeout", s.VisibilityTimeout, minSQSVisibility, "5m"))
	} else if s.VisibilityTimeout < minSQSVisibility || s.VisibilityTimeout > maxSQSVisibility {
		errs = append(errs, fmt.Errorf("sqs.visibility_timeout must be between %s and %s", minSQSVisibility, maxSQSVisibility))
	}
	if s.MaxVisibilityExtension > 0 && s.MaxVisibilityExtension < unitlessBelow {
		errs = append(errs, checkDuration("sqs.max_visibility_extension", s.MaxVisibilityExtension, minSQSVisibility, "1h"))
	} else if s.MaxVisibilityExtension < s.VisibilityTimeout || s.MaxVisibilityExtension > maxSQSVisibility {
		errs = append(errs, fmt.Errorf("sqs.max_visibility_extension must be at least sqs.visibility_timeout and at most %s", maxSQSVisibility))
	}
	if s.MaxReceiveCount < 0 {
		errs = append(errs, errors.New("sqs.max_receive_count must not be negative (0 turns it off)"))
	}
	return errors.Join(errs...)
}

// validateUnused refuses SQS settings without a queue: they would be silently ignored.
func (s *SQSConfig) validateUnused() error {
	if s.Region != "" || s.Endpoint != "" || s.Profile != "" || s.AccessKeyID != "" || s.RoleARN != "" {
		return errors.New("sqs.* access settings are set but sqs.queue_url is empty: set sqs.queue_url to use SQS notification mode, or remove the sqs settings to poll the bucket")
	}
	return nil
}

// sqsAWSConfig is the AWS access used for the queue: the sqs block's, with the bucket's credentials when the sqs
// block names none, and the region taken from the queue URL when not set.
func (c *Config) sqsAWSConfig() awsconfig.Config {
	q := c.SQS.Config
	if q.AccessKeyID == "" && q.Profile == "" && q.RoleARN == "" {
		q.AccessKeyID, q.SecretAccessKey, q.SessionToken = c.AccessKeyID, c.SecretAccessKey, c.SessionToken
		q.Profile = c.Profile
		q.RoleARN, q.ExternalID, q.SessionName = c.RoleARN, c.ExternalID, c.SessionName
	}
	if q.Region == "" {
		q.Region = queueURLRegion(c.SQS.QueueURL)
	}
	if q.Region == "" {
		q.Region = c.Region
	}
	return q
}

// queueURLRegion is the region in an AWS queue URL (https://sqs.<region>.amazonaws.com/… or the legacy
// https://<region>.queue.amazonaws.com/…), or "".
func queueURLRegion(queueURL string) string {
	u, err := url.Parse(queueURL)
	if err != nil {
		return ""
	}
	labels := strings.Split(u.Hostname(), ".")
	switch {
	case len(labels) >= 4 && labels[0] == "sqs" && regionNamePattern.MatchString(labels[1]):
		return labels[1]
	case len(labels) >= 4 && labels[1] == "queue" && regionNamePattern.MatchString(labels[0]):
		return labels[0]
	}
	return ""
}

// ShardConfig splits polling between replicas: each polls only the account/region folders whose stable hash falls in
// its shard.
type ShardConfig struct {
	// Index of this replica, 0 to count-1.
	Index int `mapstructure:"index"`
	// Count of replicas; 0 (default) polls every account/region.
	Count int `mapstructure:"count"`
	// IndexFromHostname takes the index from the trailing "-<n>" of the host name, which is the pod ordinal of a
	// Kubernetes StatefulSet (e.g. cloudtrail-2 → 2). Index must then be left at 0.
	IndexFromHostname bool `mapstructure:"index_from_hostname"`

	_ struct{}
}

func (s *ShardConfig) enabled() bool { return s.Count > 0 || s.IndexFromHostname || s.Index != 0 }

func (s *ShardConfig) validate() error {
	var errs []error
	switch {
	case s.Count < 0:
		errs = append(errs, errors.New("shard.count must not be negative (0 turns sharding off)"))
	case s.Count == 0 && (s.Index != 0 || s.IndexFromHostname):
		errs = append(errs, errors.New("shard.index and shard.index_from_hostname need shard.count: set it to the number of replicas"))
	case s.Index < 0 || (s.Count > 0 && s.Index >= s.Count):
		errs = append(errs, fmt.Errorf("shard.index %d must be between 0 and shard.count-1 (%d)", s.Index, s.Count-1))
	case s.IndexFromHostname && s.Index != 0:
		errs = append(errs, errors.New("set either shard.index or shard.index_from_hostname, not both"))
	}
	return errors.Join(errs...)
}

// objectsInFlight is max_objects_in_flight, or its default.
func (c *Config) objectsInFlight() int {
	if c.MaxObjectsInFlight > 0 {
		return c.MaxObjectsInFlight
	}
	return defaultInFlightPerWorker * c.Workers
}
