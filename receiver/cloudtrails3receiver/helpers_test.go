// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/metadata"
)

// trailKey builds the key of a trail log file the way CloudTrail names it.
func trailKey(prefix, org, account, region string, at time.Time, unique string) string {
	s := subtree{Prefix: prefix, OrgID: org, Account: account, Region: region}
	at = at.UTC()
	return s.keyPrefix() + at.Format(dateFolderLayout) + s.fileNamePrefix() + at.Format(fileTimeLayout) + "_" + unique + logFileSuffix
}

// trailBody is a gzip CloudTrail log file with n records whose eventIDs are "<idPrefix>-<i>".
func trailBody(t testing.TB, idPrefix string, n int, account, region string, at time.Time) []byte {
	t.Helper()
	records := make([]map[string]any, n)
	for i := range records {
		records[i] = map[string]any{
			"eventVersion":       "1.08",
			"eventTime":          at.Add(-time.Duration(i) * time.Second).UTC().Format(time.RFC3339),
			"eventSource":        "ec2.amazonaws.com",
			"eventName":          "DescribeInstances",
			"awsRegion":          region,
			"sourceIPAddress":    "192.0.2.1",
			"userIdentity":       map[string]any{"type": "IAMUser", "accountId": account, "userName": "alice"},
			"requestParameters":  nil,
			"responseElements":   nil,
			"requestID":          fmt.Sprintf("req-%s-%d", idPrefix, i),
			"eventID":            fmt.Sprintf("%s-%d", idPrefix, i),
			"readOnly":           true,
			"eventType":          "AwsApiCall",
			"managementEvent":    true,
			"recipientAccountId": account,
			"eventCategory":      "Management",
		}
	}
	doc, err := json.Marshal(map[string]any{"Records": records})
	require.NoError(t, err)
	return gzipBytes(t, doc)
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// eventIDs returns the eventID of every record the sink received, in arrival order.
func eventIDs(sink *consumertest.LogsSink) []string {
	var ids []string
	for _, ld := range sink.AllLogs() {
		ids = append(ids, idsOf(ld)...)
	}
	return ids
}

func idsOf(ld plog.Logs) []string {
	var ids []string
	for i := 0; i < ld.ResourceLogs().Len(); i++ {
		sls := ld.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				if v, ok := lrs.At(k).Body().Map().Get("eventID"); ok {
					ids = append(ids, v.Str())
				}
			}
		}
	}
	return ids
}

// wantIDs lists "<idPrefix>-0" … "<idPrefix>-<n-1>".
func wantIDs(idPrefix string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s-%d", idPrefix, i)
	}
	return ids
}

// requireExactlyOnce fails unless got holds every wanted id exactly once and nothing else.
func requireExactlyOnce(t testing.TB, want, got []string) {
	t.Helper()
	want = slices.Clone(want)
	got = slices.Clone(got)
	sort.Strings(want)
	sort.Strings(got)
	require.Equal(t, want, got)
}

// waitForIDs waits until the sink holds at least n records.
func waitForIDs(t testing.TB, sink *consumertest.LogsSink, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return sink.LogRecordCount() >= n }, 30*time.Second, 20*time.Millisecond,
		"expected %d records", n)
}

// testConfig is a configuration with test-friendly intervals.
func testConfig(bucket string) *Config {
	cfg := createDefaultConfig().(*Config)
	cfg.Bucket = bucket
	cfg.PollInterval = 50 * time.Millisecond
	cfg.DiscoveryInterval = 100 * time.Millisecond
	return cfg
}

// newTestTelemetry returns a telemetry recorder that is shut down when the test ends.
func newTestTelemetry(t testing.TB) *componenttest.Telemetry {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	return tel
}

// testReceiver builds a receiver with fast retries, reporting its metrics to tel.
func testReceiver(t testing.TB, cfg *Config, next consumer.Logs, tel *componenttest.Telemetry, client s3API) *cloudTrailReceiver {
	t.Helper()
	set := receivertest.NewNopSettings(metadata.Type)
	if tel != nil {
		set.TelemetrySettings = tel.NewTelemetrySettings()
	}
	r, err := newReceiver(set, cfg, next)
	require.NoError(t, err)
	r.consumerBackoff = backoffSettings{Initial: time.Millisecond, Max: 5 * time.Millisecond}
	r.sdkRetry = sdkRetry{MaxAttempts: 6, MaxBackoff: 5 * time.Millisecond}
	if client != nil {
		r.newClient = func(context.Context) (s3API, error) { return client, nil }
	}
	return r
}

// counterValue sums the data points of an int counter, optionally only those with attribute key=value.
func counterValue(t testing.TB, tel *componenttest.Telemetry, name string, attr ...string) int64 {
	t.Helper()
	m, err := tel.GetMetric(name)
	if err != nil {
		return 0
	}
	var total int64
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		if len(attr) == 2 {
			v, ok := dp.Attributes.Value(attribute.Key(attr[0]))
			if !ok || v.AsString() != attr[1] {
				continue
			}
		}
		total += dp.Value
	}
	return total
}

// memS3 is an in-process S3 with just the calls the receiver makes, and hooks to inject faults.
type memS3 struct {
	mu      sync.Mutex
	objects map[string][]byte // "bucket/key" → body
	lists   int
	gets    map[string]int

	listErr func(in *s3.ListObjectsV2Input) error // nil error: answer normally
	getErr  func(key string) error
}

func newMemS3() *memS3 { return &memS3{objects: map[string][]byte{}, gets: map[string]int{}} }

func (m *memS3) put(bucket, key string, body []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.objects[bucket+"/"+key] = body
}

func (m *memS3) delete(bucket, key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.objects, bucket+"/"+key)
}

func (m *memS3) getCount(key string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.gets[key]
}

func (m *memS3) ListObjectsV2(_ context.Context, in *s3.ListObjectsV2Input, _ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	m.mu.Lock()
	hook := m.listErr
	m.lists++
	m.mu.Unlock()
	if hook != nil {
		if err := hook(in); err != nil {
			return nil, err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	bucket, prefix := aws.ToString(in.Bucket), aws.ToString(in.Prefix)
	after := aws.ToString(in.StartAfter)
	if tok := aws.ToString(in.ContinuationToken); tok != "" {
		after = tok
	}
	maxKeys := int(aws.ToInt32(in.MaxKeys))
	if maxKeys <= 0 || maxKeys > 1000 {
		maxKeys = 1000
	}
	var keys []string
	for k := range m.objects {
		if key, ok := strings.CutPrefix(k, bucket+"/"); ok && strings.HasPrefix(key, prefix) && key > after {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	out := &s3.ListObjectsV2Output{}
	seenPrefix := map[string]bool{}
	delim := aws.ToString(in.Delimiter)
	count := 0
	for _, key := range keys {
		if count == maxKeys {
			out.IsTruncated = aws.Bool(true)
			out.NextContinuationToken = aws.String(lastListed(out))
			break
		}
		if delim != "" {
			if i := strings.Index(key[len(prefix):], delim); i >= 0 {
				cp := key[:len(prefix)+i+len(delim)]
				if !seenPrefix[cp] {
					seenPrefix[cp] = true
					out.CommonPrefixes = append(out.CommonPrefixes, types.CommonPrefix{Prefix: aws.String(cp)})
					count++
				}
				continue
			}
		}
		out.Contents = append(out.Contents, types.Object{Key: aws.String(key), Size: aws.Int64(int64(len(m.objects[bucket+"/"+key])))})
		count++
	}
	return out, nil
}

// lastListed is the continuation point of a page: its last key or common prefix (the fake's token is a key).
func lastListed(out *s3.ListObjectsV2Output) string {
	last := ""
	if n := len(out.Contents); n > 0 {
		last = aws.ToString(out.Contents[n-1].Key)
	}
	if n := len(out.CommonPrefixes); n > 0 {
		if cp := aws.ToString(out.CommonPrefixes[n-1].Prefix) + "\xff"; cp > last {
			last = cp
		}
	}
	return last
}

func (m *memS3) GetObject(_ context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	key := aws.ToString(in.Key)
	m.mu.Lock()
	m.gets[key]++
	hook := m.getErr
	m.mu.Unlock()
	if hook != nil {
		if err := hook(key); err != nil {
			return nil, err
		}
	}
	m.mu.Lock()
	body, ok := m.objects[aws.ToString(in.Bucket)+"/"+key]
	m.mu.Unlock()
	if !ok {
		return nil, apiError("GetObject", http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
	}
	return &s3.GetObjectOutput{Body: io.NopCloser(bytes.NewReader(body)), ContentLength: aws.Int64(int64(len(body)))}, nil
}

// apiError is an error shaped like the ones the SDK returns for an S3 error response.
func apiError(operation string, status int, code, message string) error {
	return &smithy.OperationError{
		ServiceID:     "S3",
		OperationName: operation,
		Err: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
			Err:      &smithy.GenericAPIError{Code: code, Message: message},
		},
	}
}

// observeLogs makes r log to an observer at level and returns what it records.
func observeLogs(r *cloudTrailReceiver, level zapcore.Level) *observer.ObservedLogs {
	core, logs := observer.New(level)
	r.settings.Logger = zap.New(core)
	return logs
}
