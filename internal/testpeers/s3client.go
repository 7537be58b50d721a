// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package testpeers // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"

import (
	"bytes"
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// AWSConfig is an aws.Config for the server: its endpoint, region and static credentials, no retries hidden from tests
// beyond the SDK's defaults.
func (s *S3Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:       s.Region,
		BaseEndpoint: aws.String(s.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(s.AccessKey, s.SecretKey, ""),
	}
}

// S3Client returns a path-style S3 client for the server.
func S3Client(t testing.TB, s *S3Server) *s3.Client {
	t.Helper()
	return s3.NewFromConfig(s.AWSConfig(), func(o *s3.Options) { o.UsePathStyle = true })
}

// CreateBucket creates the bucket or fails the test.
func CreateBucket(t testing.TB, client *s3.Client, name string) {
	t.Helper()
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("creating bucket %s: %v", name, err)
	}
}

// PutObject stores body under key or fails the test.
func PutObject(t testing.TB, client *s3.Client, bucket, key string, body []byte) {
	t.Helper()
	if _, err := client.PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body),
	}); err != nil {
		t.Fatalf("putting s3://%s/%s: %v", bucket, key, err)
	}
}
