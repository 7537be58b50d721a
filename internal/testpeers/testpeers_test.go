// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package testpeers

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
	"github.com/golang/snappy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"
)

const (
	earlierKey = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/24/123456789012_CloudTrail_us-east-1_20261124T0000Z_z9y8x7w6.json.gz"
	trailKey   = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/24/123456789012_CloudTrail_us-east-1_20261124T0005Z_a1b2c3d4.json.gz"
)

// exerciseS3 puts a gzip object, lists it back with StartAfter and a delimiter, and reads it back unchanged.
func exerciseS3(t *testing.T, srv *S3Server) {
	ctx := context.Background()
	client := S3Client(t, srv)
	bucket := UniqueName(t, "bucket")
	CreateBucket(t, client, bucket)

	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(`{"Records":[{"eventName":"StartLogging"}]}`))
	require.NoError(t, zw.Close())
	PutObject(t, client, bucket, earlierKey, []byte("x"))
	PutObject(t, client, bucket, trailKey, gz.Bytes())

	listed, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
		Bucket:     aws.String(bucket),
		Prefix:     aws.String("AWSLogs/123456789012/CloudTrail/us-east-1/"),
		StartAfter: aws.String(earlierKey),
	})
	require.NoError(t, err)
	require.Len(t, listed.Contents, 1, "StartAfter must skip the earlier key")
	assert.Equal(t, trailKey, aws.ToString(listed.Contents[0].Key))

	prefixes, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
		Bucket: aws.String(bucket), Prefix: aws.String("AWSLogs/"), Delimiter: aws.String("/"),
	})
	require.NoError(t, err)
	require.Len(t, prefixes.CommonPrefixes, 1)
	assert.Equal(t, "AWSLogs/123456789012/", aws.ToString(prefixes.CommonPrefixes[0].Prefix))

	got, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(trailKey)})
	require.NoError(t, err)
	body, err := io.ReadAll(got.Body)
	got.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, gz.Bytes(), body)
}

func TestFakeS3(t *testing.T)    { exerciseS3(t, FakeS3(t)) }
func TestMotoS3(t *testing.T)    { exerciseS3(t, Moto(t).S3()) }
func TestVersityS3(t *testing.T) { exerciseS3(t, VersityGW(t)) }

func TestVersityChecksSignatures(t *testing.T) {
	srv := VersityGW(t)
	wrong := *srv
	wrong.SecretKey = "not-the-secret"
	_, err := S3Client(t, &wrong).ListBuckets(context.Background(), &s3.ListBucketsInput{})
	var apiErr smithy.APIError
	require.True(t, errors.As(err, &apiErr), "a request signed with a wrong secret must be refused, got %v", err)
	assert.Equal(t, "SignatureDoesNotMatch", apiErr.ErrorCode())
}

func TestMotoResetsState(t *testing.T) {
	client := S3Client(t, Moto(t).S3())
	CreateBucket(t, client, "survives-nothing")
	client = S3Client(t, Moto(t).S3())
	out, err := client.ListBuckets(context.Background(), &s3.ListBucketsInput{})
	require.NoError(t, err)
	assert.Empty(t, out.Buckets, "Moto(t) must hand each test an empty server")
}

func TestMotoSQS(t *testing.T) {
	ctx := context.Background()
	m := Moto(t)
	client := sqs.NewFromConfig(m.S3().AWSConfig())
	q, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("peer-check")})
	require.NoError(t, err)
	_, err = client.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: q.QueueUrl, MessageBody: aws.String(`{"Records":[]}`)})
	require.NoError(t, err)

	got, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, WaitTimeSeconds: 2, MaxNumberOfMessages: 10})
	require.NoError(t, err)
	require.Len(t, got.Messages, 1)
	assert.Equal(t, `{"Records":[]}`, aws.ToString(got.Messages[0].Body))
	_, err = client.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: q.QueueUrl, ReceiptHandle: got.Messages[0].ReceiptHandle})
	require.NoError(t, err)

	attrs, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl,
		AttributeNames: []sqstypes.QueueAttributeName{"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"}})
	require.NoError(t, err)
	assert.Equal(t, "0", attrs.Attributes["ApproximateNumberOfMessages"])
	assert.Equal(t, "0", attrs.Attributes["ApproximateNumberOfMessagesNotVisible"], "the deleted message must be gone")
}

func TestMotoNotifiedQueue(t *testing.T) {
	m := Moto(t)
	q := NewNotifiedQueue(t, m, 5*time.Second)
	assert.Equal(t, 1, q.Depth(t), "saving the notification configuration sends the s3:TestEvent")
	PutObject(t, q.S3, q.Bucket, "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/24/x.json.gz", []byte("x"))
	q.Send(t, `{"hand":"made"}`)
	assert.Equal(t, 3, q.Depth(t), "one notification per created object, plus the message sent by hand")
	got, err := q.SQS.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(q.URL), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
	require.NoError(t, err)
	var bodies []string
	for _, msg := range got.Messages {
		bodies = append(bodies, aws.ToString(msg.Body))
	}
	assert.Contains(t, strings.Join(bodies, "\n"), "s3:TestEvent")
	// moto URL-encodes the key's slashes too (AWS encodes only what a query string must): receivers query-unescape it.
	assert.Contains(t, strings.Join(bodies, "\n"), `"key": "AWSLogs%2F123456789012%2FCloudTrail%2Fus-east-1%2F2026%2F11%2F24%2Fx.json.gz"`)
	assert.Equal(t, 3, q.Depth(t), "received messages count until deleted")
}

// remoteWriteRequest hand-encodes a remote-write 1.0 WriteRequest with one series and one sample.
func remoteWriteRequest(labels [][2]string, value float64, at time.Time) []byte {
	var series []byte
	for _, l := range labels {
		var lb []byte
		lb = protowire.AppendTag(lb, 1, protowire.BytesType)
		lb = protowire.AppendString(lb, l[0])
		lb = protowire.AppendTag(lb, 2, protowire.BytesType)
		lb = protowire.AppendString(lb, l[1])
		series = protowire.AppendTag(series, 1, protowire.BytesType)
		series = protowire.AppendBytes(series, lb)
	}
	var sample []byte
	sample = protowire.AppendTag(sample, 1, protowire.Fixed64Type)
	sample = protowire.AppendFixed64(sample, math.Float64bits(value))
	sample = protowire.AppendTag(sample, 2, protowire.VarintType)
	sample = protowire.AppendVarint(sample, uint64(at.UnixMilli()))
	series = protowire.AppendTag(series, 2, protowire.BytesType)
	series = protowire.AppendBytes(series, sample)
	var req []byte
	req = protowire.AppendTag(req, 1, protowire.BytesType)
	req = protowire.AppendBytes(req, series)
	return snappy.Encode(nil, req)
}

func TestPrometheusRemoteWrite(t *testing.T) {
	prom := Prometheus(t)
	job := UniqueName(t, "job")
	at := time.Now().Add(-3 * time.Hour).Truncate(time.Millisecond) // old sample: needs the out-of-order window
	body := remoteWriteRequest([][2]string{{"__name__", "peer_check_total"}, {"job", job}}, 42, at)

	req, err := http.NewRequest(http.MethodPost, prom.WriteURL, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-protobuf")
	req.Header.Set("Content-Encoding", "snappy")
	req.Header.Set("X-Prometheus-Remote-Write-Version", "0.1.0")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusNoContent, resp.StatusCode, "remote write refused: %s", msg)

	samples := prom.Eventually(t, `peer_check_total{job="`+job+`"}`, at, 10*time.Second)
	require.Len(t, samples, 1)
	assert.Equal(t, 42.0, samples[0].Value)
	assert.Equal(t, map[string]string{"__name__": "peer_check_total", "job": job}, samples[0].Labels)
}

func TestUniqueNameIsBucketSafe(t *testing.T) {
	a, b := UniqueName(t, "bucket"), UniqueName(t, "bucket")
	assert.NotEqual(t, a, b)
	for _, name := range []string{a, b} {
		assert.LessOrEqual(t, len(name), 63, name)
		assert.Regexp(t, `^[a-z0-9][a-z0-9-]*[a-z0-9]$`, name)
	}
}
