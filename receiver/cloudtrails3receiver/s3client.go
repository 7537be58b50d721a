// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"go.uber.org/zap"
)

// Building the receiver's S3 clients: the AWS settings and retry policy, the bucket's region, and one client per
// region for notification mode.

// s3API is the part of the S3 client the receiver uses; unit tests inject faults through it.
type s3API interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// bucketLocator finds the region of a bucket.
type bucketLocator interface {
	GetBucketLocation(ctx context.Context, in *s3.GetBucketLocationInput, optFns ...func(*s3.Options)) (*s3.GetBucketLocationOutput, error)
}

// sdkRetry are the AWS SDK retry settings: throttling (503 SlowDown), 5xx and connection errors are retried by the SDK
// with exponential backoff and full jitter; what still fails is retried by the receiver on the next poll.
type sdkRetry struct {
	MaxAttempts int
	MaxBackoff  time.Duration
}

var defaultSDKRetry = sdkRetry{MaxAttempts: 8, MaxBackoff: 20 * time.Second}

func (r sdkRetry) retryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = r.MaxAttempts
		o.MaxBackoff = r.MaxBackoff
		// No client-side retry quota: a long throttling episode must slow the receiver down, not make requests
		// fail fast (the quota is meant for latency-sensitive callers).
		o.RateLimiter = ratelimit.None
	})
}

// newS3Client builds the S3 client from the receiver's AWS settings. When no region is configured the bucket's region
// is found with GetBucketLocation.
func newS3Client(ctx context.Context, cfg *Config, retrySettings sdkRetry, logger *zap.Logger) (*s3.Client, error) {
	awsCfg, options, err := loadS3Settings(ctx, cfg, retrySettings, logger)
	if err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		region, err := bucketRegion(ctx, newLocatorClient(awsCfg, options), cfg.Bucket)
		switch {
		case err == nil:
			logger.Info("Found the bucket's region with GetBucketLocation", zap.String("bucket", cfg.Bucket), zap.String("region", region))
			awsCfg.Region = region
		case awsCfg.Region != "":
			logger.Warn("Could not find the bucket's region with GetBucketLocation; using the region of the AWS configuration. Set region to silence this.",
				zap.String("bucket", cfg.Bucket), zap.String("region", awsCfg.Region), zap.Error(err))
		default:
			return nil, fmt.Errorf("no region configured and GetBucketLocation on bucket %q failed (set region, or allow s3:GetBucketLocation): %w", cfg.Bucket, err)
		}
	}
	return s3.NewFromConfig(awsCfg, options), nil
}

// loadS3Settings loads the receiver's AWS settings with its retry policy, and returns the S3 options every client of
// the receiver uses.
func loadS3Settings(ctx context.Context, cfg *Config, retrySettings sdkRetry, logger *zap.Logger) (aws.Config, func(*s3.Options), error) {
	awsCfg, err := cfg.Config.Load(ctx, logger)
	if err != nil {
		return aws.Config{}, nil, err
	}
	awsCfg.Retryer = retrySettings.retryer
	awsCfg.HTTPClient = keepIdleConnections(awsCfg.HTTPClient, cfg.Workers+idleConnectionsBeyondWorkers)
	options := func(o *s3.Options) {
		o.UsePathStyle = cfg.ForcePathStyle
		// Checksums of objects are asked for per request (getObjectInput): not for gzip files, which check themselves.
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		// CloudTrail objects usually carry no checksum; do not log that for every object read.
		o.DisableLogOutputChecksumValidationSkipped = true
	}
	return awsCfg, options, nil
}

// idleConnectionsBeyondWorkers leaves room in the idle pool for the listing and the other requests beside the workers'
// GetObject calls.
const idleConnectionsBeyondWorkers = 4

// keepIdleConnections raises the idle connections the SDK's HTTP client keeps per host to n. It keeps 10 by default:
// when more workers than that pause at once (every object in flight waiting for Logz.io's answer, or a poll with
// nothing new), the other workers' connections are closed as they go idle, and their next requests each open a new
// connection, a TLS handshake costing about as much CPU as decoding a small trail file. A client that is not the
// SDK's own (set through the AWS configuration) is left as it is.
func keepIdleConnections(client aws.HTTPClient, n int) aws.HTTPClient {
	buildable, ok := client.(*awshttp.BuildableClient)
	if !ok {
		return client
	}
	return buildable.WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConnsPerHost = max(t.MaxIdleConnsPerHost, n)
		t.MaxIdleConns = max(t.MaxIdleConns, n)
	})
}

// newLocatorClient returns the client for GetBucketLocation, which answers for every bucket from us-east-1: that
// region unless the AWS settings name one.
func newLocatorClient(awsCfg aws.Config, options func(*s3.Options)) *s3.Client {
	return s3.NewFromConfig(awsCfg, options, func(o *s3.Options) {
		if o.Region == "" {
			o.Region = "us-east-1"
		}
	})
}

// bucketRegion maps GetBucketLocation's answer to a region name.
func bucketRegion(ctx context.Context, client bucketLocator, bucket string) (string, error) {
	out, err := client.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(bucket)})
	if err != nil {
		return "", err
	}
	switch out.LocationConstraint {
	case "":
		return "us-east-1", nil // buckets in us-east-1 have no location constraint
	case types.BucketLocationConstraintEu:
		return "eu-west-1", nil // legacy name
	default:
		return string(out.LocationConstraint), nil
	}
}

// regionalClients builds S3 clients lazily, one per region, for notification mode where every record names its own
// bucket and region (buckets in other regions than the queue). Bucket regions that a notification does not state
// (CloudTrail's own notification) come from the configured region, else from GetBucketLocation, cached per bucket.
type regionalClients struct {
	newClient     func(ctx context.Context, region string) (s3API, error)
	locate        func(ctx context.Context, bucket string) (string, error)
	defaultRegion string // the configured region: used when a notification does not state the bucket's region

	mu            sync.Mutex
	byRegion      map[string]s3API
	bucketRegions map[string]string
}

// forBucket returns the client for a bucket, in region when the notification stated it.
func (c *regionalClients) forBucket(ctx context.Context, bucket, region string) (s3API, error) {
	if region == "" {
		var err error
		if region, err = c.regionOf(ctx, bucket); err != nil {
			return nil, err
		}
	}
	c.mu.Lock()
	client, ok := c.byRegion[region]
	c.mu.Unlock()
	if ok {
		return client, nil
	}
	client, err := c.newClient(ctx, region)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if existing, ok := c.byRegion[region]; ok {
		return existing, nil
	}
	c.byRegion[region] = client
	return client, nil
}

func (c *regionalClients) regionOf(ctx context.Context, bucket string) (string, error) {
	if c.defaultRegion != "" {
		return c.defaultRegion, nil
	}
	c.mu.Lock()
	region, ok := c.bucketRegions[bucket]
	c.mu.Unlock()
	if ok {
		return region, nil
	}
	region, err := c.locate(ctx, bucket)
	if err != nil {
		return "", fmt.Errorf("finding the region of bucket %q with GetBucketLocation (set region, or allow s3:GetBucketLocation): %w", bucket, err)
	}
	c.mu.Lock()
	c.bucketRegions[bucket] = region
	c.mu.Unlock()
	return region, nil
}

// newRegionalClients builds the production clients from the receiver's AWS settings (loaded once).
func newRegionalClients(ctx context.Context, cfg *Config, retrySettings sdkRetry, logger *zap.Logger) (*regionalClients, error) {
	awsCfg, options, err := loadS3Settings(ctx, cfg, retrySettings, logger)
	if err != nil {
		return nil, err
	}
	locator := newLocatorClient(awsCfg, options)
	return &regionalClients{
		newClient: func(_ context.Context, region string) (s3API, error) {
			return s3.NewFromConfig(awsCfg, options, func(o *s3.Options) { o.Region = region }), nil
		},
		locate: func(ctx context.Context, bucket string) (string, error) {
			return bucketRegion(ctx, locator, bucket)
		},
		defaultRegion: cfg.Region,
		byRegion:      map[string]s3API{},
		bucketRegions: map[string]string{},
	}, nil
}
