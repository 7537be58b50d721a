// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package aws_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What both Firehose templates (metric-stream.yaml, cloudtrail-cwlogs-firehose.yaml) create alike: the delivery
// stream's HTTP endpoint destination, its backup bucket and the role Firehose assumes. Each template's tests check
// these with the helpers below, then what is their own.

// assertHTTPEndpointDestination checks the destination of a delivery stream evaluated with the access key
// "marker-access-key" and default settings but the buffering interval: the collector's URL, 5 MiB buffering, 300 s of
// retries, failed data only to the backup bucket, delivery errors to DeliveryLogGroup. It returns the destination.
func assertHTTPEndpointDestination(t *testing.T, stream map[string]any, url, intervalSeconds string) map[string]any {
	t.Helper()
	dest, ok := stream["HttpEndpointDestinationConfiguration"].(map[string]any)
	require.True(t, ok, "the destination is an HTTP endpoint")
	assert.Equal(t, url, dig(dest, "EndpointConfiguration", "Url"))
	assert.Equal(t, "marker-access-key", dig(dest, "EndpointConfiguration", "AccessKey"))
	assert.NotEmpty(t, dig(dest, "EndpointConfiguration", "Name"))
	assert.Equal(t, intervalSeconds, dig(dest, "BufferingHints", "IntervalInSeconds"))
	assert.Equal(t, "5", dig(dest, "BufferingHints", "SizeInMBs"))
	assert.Equal(t, "300", dig(dest, "RetryOptions", "DurationInSeconds"))
	assert.Equal(t, "FailedDataOnly", dest["S3BackupMode"])
	assert.Equal(t, "getatt(FirehoseRole.Arn)", dest["RoleARN"])
	assert.Equal(t, "getatt(BackupBucket.Arn)", dig(dest, "S3Configuration", "BucketARN"))
	assert.Equal(t, "getatt(FirehoseRole.Arn)", dig(dest, "S3Configuration", "RoleARN"))
	assert.Equal(t, "true", dig(dest, "CloudWatchLoggingOptions", "Enabled"))
	assert.Equal(t, "ref(DeliveryLogGroup)", dig(dest, "CloudWatchLoggingOptions", "LogGroupName"))
	return dest
}

// assertBackupBucket checks the backup bucket: no public access, AES256 encryption, objects expiring after 30 days.
func assertBackupBucket(t *testing.T, s *stack) {
	t.Helper()
	bucket := resourceProps(t, s, "BackupBucket")
	for _, block := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
		assert.Equal(t, "true", dig(bucket, "PublicAccessBlockConfiguration", block))
	}
	assert.Equal(t, "AES256", dig(bucket, "BucketEncryption", "ServerSideEncryptionConfiguration", 0, "ServerSideEncryptionByDefault", "SSEAlgorithm"))
	assert.Equal(t, "30", dig(bucket, "LifecycleConfiguration", "Rules", 0, "ExpirationInDays"))
}

// assertFirehoseRole checks the role Firehose assumes: trusted by Firehose with the account as external ID, granting
// exactly the log and backup-bucket actions, without wildcards. It returns the role.
func assertFirehoseRole(t *testing.T, s *stack) map[string]any {
	t.Helper()
	firehose := resourceProps(t, s, "FirehoseRole")
	assertTrust(t, firehose, "Service", "firehose.amazonaws.com")
	assert.Equal(t, "123456789012", dig(firehose, "AssumeRolePolicyDocument", "Statement", 0, "Condition", "StringEquals", "sts:ExternalId"),
		"Firehose assumes its role with the account as external ID")
	assert.Equal(t, []string{
		"logs:PutLogEvents",
		"s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject",
	}, roleActions(t, firehose))
	assertNoWildcards(t, firehose)
	return firehose
}
