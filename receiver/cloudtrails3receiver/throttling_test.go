// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
)

// faultyS3 is an in-process S3 (gofakes3) behind a handler that answers some requests with S3 error responses, so
// the real SDK client, its retryer and the receiver's own retries are exercised over HTTP.
type faultyS3 struct {
	srv     *httptest.Server
	client  *s3.Client
	slowed  atomic.Int32 // requests still to answer with 503 SlowDown
	broken  atomic.Int32 // requests still to answer with 500 InternalError
	faulted atomic.Int32 // requests answered with an error
}

func newFaultyS3(t *testing.T, bucket string) *faultyS3 {
	t.Helper()
	f := &faultyS3{}
	backend := gofakes3.New(s3mem.New()).Server()
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case f.slowed.Add(-1) >= 0:
			f.faulted.Add(1)
			s3Error(w, http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate.")
		case f.broken.Add(-1) >= 0:
			f.faulted.Add(1)
			s3Error(w, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
		default:
			backend.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(f.srv.Close)
	f.client = s3.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(f.srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("fake", "fake", ""),
	}, func(o *s3.Options) { o.UsePathStyle = true })
	_, err := f.client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucket)})
	require.NoError(t, err)
	return f
}

func s3Error(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>` + code + `</Code><Message>` + message + `</Message><RequestId>r</RequestId></Error>`))
}

func (f *faultyS3) put(t *testing.T, bucket, key string, body []byte) {
	t.Helper()
	_, err := f.client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(string(body))})
	require.NoError(t, err)
}

func TestThrottlingAndServerErrorsAreRetriedThroughTheSDK(t *testing.T) {
	const bucket = "throttled-bucket"
	f := newFaultyS3(t, bucket)
	var want []string
	for i, region := range []string{"us-east-1", "eu-west-1"} {
		at := base.Add(time.Duration(i) * time.Minute)
		id := acctA + "-" + region
		f.put(t, bucket, trailKey("", "", acctA, region, at, "AAAAAAAAAAAAAAAA"), trailBody(t, id, 3, acctA, region, at))
		want = append(want, wantIDs(id, 3)...)
	}
	// More consecutive failures than one call's SDK attempts: the receiver's own retry on the next poll must finish
	// the job.
	f.slowed.Store(9)
	f.broken.Store(4)

	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.Endpoint = f.srv.URL
	cfg.Region = "us-east-1"
	cfg.ForcePathStyle = true
	cfg.AccessKeyID = "fake"
	cfg.SecretAccessKey = "fake"
	sink := new(consumertest.LogsSink)
	r := testReceiver(t, cfg, sink, nil, nil) // real S3 client
	receiveExactlyOnce(t, r, componenttest.NewNopHost(), sink, want, nil, 0)
	assert.Equal(t, int32(13), f.faulted.Load(), "every injected fault was answered")
}
