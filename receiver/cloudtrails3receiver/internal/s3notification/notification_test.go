// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package s3notification

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readNotification(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "notifications", name))
	require.NoError(t, err)
	return string(b)
}

func TestParseNotificationEveryEnvelope(t *testing.T) {
	ctKey := func(unique string) string {
		return "AWSLogs/111111111111/CloudTrail/us-east-2/2026/11/24/111111111111_CloudTrail_us-east-2_20261124T1010Z_" + unique + ".json.gz"
	}
	s3Object := ObjectRef{
		Bucket: "org-trail-bucket",
		// '+' in the event is a space in the key.
		Key:    "team a/AWSLogs/o-abcdefghij/111111111111/CloudTrail/eu-west-1/2026/11/24/111111111111_CloudTrail_eu-west-1_20261124T1015Z_Mu0KsOhtH1ar15ZZ.json.gz",
		Region: "eu-west-1",
		Size:   2412,
	}
	tests := []struct {
		file string
		want Notification
	}{
		{"s3-event.json", Notification{Envelope: EnvelopeS3, Objects: []ObjectRef{s3Object}}},
		{"sns-s3-event.json", Notification{Envelope: EnvelopeSNS, Objects: []ObjectRef{s3Object}}},
		{"s3-test-event.json", Notification{Envelope: EnvelopeS3, TestEvent: true}},
		{"sns-s3-test-event.json", Notification{Envelope: EnvelopeSNS, TestEvent: true}},
		{"eventbridge.json", Notification{Envelope: EnvelopeEventBridge, Objects: []ObjectRef{{
			Bucket: "apac-trail-bucket",
			Key:    "AWSLogs/111111111111/CloudTrail/ap-southeast-2/2026/11/24/111111111111_CloudTrail_ap-southeast-2_20261124T1015Z_CCCCCCCCCCCCCCCC.json.gz",
			Region: "ap-southeast-2",
			Size:   1837,
		}}}},
		{"cloudtrail-sns.json", Notification{Envelope: EnvelopeCloudTrailSNS, Objects: []ObjectRef{
			{Bucket: "org-trail-bucket", Key: ctKey("AAAAAAAAAAAAAAAA"), Size: -1},
			{Bucket: "org-trail-bucket", Key: ctKey("BBBBBBBBBBBBBBBB"), Size: -1},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Parse(readNotification(t, tt.file))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseNotificationDecodesKeysAndRawSNSDelivery(t *testing.T) {
	// moto encodes '/' as %2F; real S3 keeps '/' and writes a space as '+'.
	got, err := Parse(`{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:CompleteMultipartUpload","awsRegion":"us-west-2",
		"s3":{"bucket":{"name":"b"},"object":{"key":"AWSLogs%2F1%2Bx%20y+z.json.gz"}}}]}`)
	require.NoError(t, err)
	require.Len(t, got.Objects, 1)
	assert.Equal(t, "AWSLogs/1+x y z.json.gz", got.Objects[0].Key)
	assert.Equal(t, int64(-1), got.Objects[0].Size)

	// SNS raw message delivery puts CloudTrail's notification straight into the queue; its keys are not encoded.
	got, err = Parse(`{"s3Bucket":"b","s3ObjectKey":["AWSLogs/a+b%2F.json.gz"]}`)
	require.NoError(t, err)
	assert.Equal(t, EnvelopeCloudTrailSNS, got.Envelope)
	assert.Equal(t, "AWSLogs/a+b%2F.json.gz", got.Objects[0].Key)

	// EventBridge events other than Object Created name nothing to read.
	got, err = Parse(`{"source":"aws.s3","detail-type":"Object Deleted","region":"us-east-1","detail":{"bucket":{"name":"b"},"object":{"key":"k"}}}`)
	require.NoError(t, err)
	assert.Empty(t, got.Objects)
}

func TestParseNotificationRefusesWhatItDoesNotKnow(t *testing.T) {
	for body, want := range map[string]string{
		``:                  "not a JSON object",
		`[1,2]`:             "not a JSON object",
		`{"hello":"world"}`: "not an S3 event notification",
		`{"Records":[{"eventSource":"aws:dynamodb"}]}`: "is not an S3 event",
		`{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":""},"object":{"key":"k"}}}]}`:    "no bucket name",
		`{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"%zz"}}}]}`: "not URL-encoded correctly",
		`{"Type":"Notification","TopicArn":"arn:aws:sns:us-east-1:1:t","Message":"not json"}`:                                        "SNS notification from arn:aws:sns:us-east-1:1:t",
		`{"s3Bucket":"b","s3ObjectKey":[""]}`: "no object key",
		`{"Type":"Notification","Message":"{\"Type\":\"Notification\",\"Message\":\"{\\\"Type\\\":\\\"Notification\\\",\\\"Message\\\":\\\"{\\\\\\\"Type\\\\\\\":\\\\\\\"Notification\\\\\\\",\\\\\\\"Message\\\\\\\":\\\\\\\"{}\\\\\\\"}\\\"}\"}"}`: "nested too deeply",
	} {
		_, err := Parse(body)
		assert.ErrorContains(t, err, want, body)
	}
}

// FuzzParseNotification checks that no message body can crash the parser, and that every object it returns can be
// read (a bucket and a key).
func FuzzParseNotification(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("testdata", "notifications"))
	require.NoError(f, err)
	for _, e := range entries {
		f.Add(readNotification(f, e.Name()))
	}
	f.Add(`{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"a%2Fb"}}}]}`)
	f.Add(`{"Type":"Notification","Message":"{\"s3Bucket\":\"b\",\"s3ObjectKey\":[\"k\"]}"}`)
	f.Fuzz(func(t *testing.T, body string) {
		n, err := Parse(body)
		if err != nil {
			return
		}
		for _, o := range n.Objects {
			if o.Bucket == "" || o.Key == "" {
				t.Fatalf("object without bucket or key from %q: %+v", body, o)
			}
		}
		if n.TestEvent && len(n.Objects) > 0 {
			t.Fatalf("a test event names objects: %q", body)
		}
		if !strings.Contains("s3 sns eventbridge cloudtrail_sns", string(n.Envelope)) || n.Envelope == "" {
			t.Fatalf("unknown envelope %q", n.Envelope)
		}
	})
}
