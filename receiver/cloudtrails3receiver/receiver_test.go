// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/extension"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/cloudtrail"
)

const (
	acctA = "111111111111"
	acctB = "222222222222"
	orgID = "o-abcdefghij"
)

// base is a fixed delivery time for the files of the unit tests, well in the past.
var base = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func startReceiver(t *testing.T, r *cloudTrailReceiver, host component.Host) {
	t.Helper()
	if host == nil {
		host = componenttest.NewNopHost()
	}
	require.NoError(t, r.Start(context.Background(), host))
}

func stopReceiver(t *testing.T, r *cloudTrailReceiver) {
	t.Helper()
	require.NoError(t, r.Shutdown(context.Background()))
}

// receiveExactlyOnce starts r, waits until sink holds every wanted event and then, when fake is set, for extraLists
// more listings (polls that must not repeat anything), stops r and requires each wanted event exactly once.
func receiveExactlyOnce(t *testing.T, r *cloudTrailReceiver, host component.Host, sink *consumertest.LogsSink, want []string, fake *memS3, extraLists int) {
	startReceiver(t, r, host)
	waitForIDs(t, sink, len(want))
	if fake != nil {
		fake.waitForMoreLists(t, extraLists)
	}
	stopReceiver(t, r)
	requireExactlyOnce(t, want, eventIDs(sink))
}

// putTrailFile stores a trail log file with n records and returns its eventIDs.
func putTrailFile(t *testing.T, fake *memS3, bucket, prefix, org, account, region string, at time.Time, unique string, n int) []string {
	t.Helper()
	id := fmt.Sprintf("%s-%s-%s-%s", account, region, at.Format(fileTimeLayout), unique)
	fake.put(bucket, trailKey(prefix, org, account, region, at, unique), trailBody(t, id, n, account, region, at))
	return wantIDs(id, n)
}

func TestReadsEveryAccountRegionAndOrganizationTrailExactlyOnce(t *testing.T) {
	fake := newMemS3()
	const bucket, prefix = "trail-bucket", "team/trail/"
	var want []string
	for day := range 3 {
		at := base.Add(time.Duration(day) * 24 * time.Hour)
		want = append(want, putTrailFile(t, fake, bucket, prefix, "", acctA, "us-east-1", at, "AAAAAAAAAAAAAAAA", 3)...)
		want = append(want, putTrailFile(t, fake, bucket, prefix, "", acctA, "eu-west-1", at.Add(5*time.Minute), "BBBBBBBBBBBBBBBB", 2)...)
		want = append(want, putTrailFile(t, fake, bucket, prefix, orgID, acctB, "ap-southeast-2", at.Add(time.Minute), "CCCCCCCCCCCCCCCC", 4)...)
	}
	// Files beside the trail logs that must never be read.
	notRead := []string{
		prefix + "AWSLogs/" + acctA + "/CloudTrail-Digest/us-east-1/2026/03/01/" + acctA + "_CloudTrail-Digest_us-east-1_trail_us-east-1_20260301T100000Z.json.gz",
		prefix + "AWSLogs/" + acctA + "/Config/ConfigWritabilityCheckFile",
		prefix + "AWSLogs/" + acctA + "/CloudTrail-Insight/us-east-1/2026/03/01/" + acctA + "_CloudTrail-Insight_us-east-1_20260301T1000Z_DDDDDDDDDDDDDDDD.json.gz",
		prefix + "AWSLogs/" + acctA + "/elasticloadbalancing/us-east-1/ELBAccessLogTestFile",
		prefix + "AWSLogs/" + acctA + "/CloudTrail/us-east-1/2026/03/02/",
		prefix + "AWSLogs/" + acctA + "/CloudTrail/us-east-1/2026/03/01/notes.txt",
	}
	for _, k := range notRead {
		fake.put(bucket, k, []byte("x"))
	}
	cfg := testConfig(bucket)
	cfg.Prefix = "team/trail"
	cfg.StartTime = base.Add(-time.Hour)
	sink := new(consumertest.LogsSink)
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, sink, tel, fake)
	startReceiver(t, r, nil)
	waitForIDs(t, sink, len(want))
	// A few more polls must not repeat anything.
	fake.waitForMoreLists(t, 10)
	lag, err := tel.GetMetric("otelcol_receiver_cloudtrails3_delivery_lag")
	require.NoError(t, err)
	assert.Len(t, lag.Data.(metricdata.Gauge[float64]).DataPoints, 3, "one lag per account/region")
	for _, dp := range lag.Data.(metricdata.Gauge[float64]).DataPoints {
		assert.Greater(t, dp.Value, time.Since(base.Add(2*24*time.Hour+6*time.Minute)).Seconds()-60)
	}
	stopReceiver(t, r)

	requireExactlyOnce(t, want, eventIDs(sink))
	for _, k := range notRead[:4] {
		assert.Zero(t, fake.getCount(k), "must not read %s", k)
	}
	assert.Equal(t, int64(9), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_processed"))
	assert.Equal(t, int64(len(want)), counterValue(t, tel, "otelcol_receiver_cloudtrails3_records_emitted"))
	assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_skipped", "reason", skipFolder))
	assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_skipped", "reason", skipNotTrailLog))
	assert.Positive(t, counterValue(t, tel, "otelcol_receiver_cloudtrails3_bytes_read"))
	assert.Equal(t, int64(len(want)), counterValue(t, tel, "otelcol_receiver_accepted_log_records"))
}

func TestAllowListsAndInsights(t *testing.T) {
	fake := newMemS3()
	const bucket = "allow-bucket"
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	putTrailFile(t, fake, bucket, "", "", acctA, "eu-west-1", base, "BBBBBBBBBBBBBBBB", 2)
	putTrailFile(t, fake, bucket, "", "", acctB, "us-east-1", base, "CCCCCCCCCCCCCCCC", 2)
	insightKey := "AWSLogs/" + acctA + "/CloudTrail-Insight/us-east-1/2026/03/01/" + acctA + "_CloudTrail-Insight_us-east-1_20260301T1000Z_DDDDDDDDDDDDDDDD.json.gz"
	fake.put(bucket, insightKey, trailBody(t, "insight", 1, acctA, "us-east-1", base))
	want = append(want, "insight-0")

	cfg := testConfig(bucket)
	cfg.Accounts = []string{acctA}
	cfg.Regions = []string{"us-east-1"}
	cfg.IncludeInsights = true
	cfg.StartTime = base.Add(-time.Hour)
	sink := new(consumertest.LogsSink)
	r := testReceiver(t, cfg, sink, nil, fake)
	receiveExactlyOnce(t, r, nil, sink, want, fake, 10)
}

func TestPaginatesOverMoreThan1000Keys(t *testing.T) {
	fake := newMemS3()
	const bucket = "many-keys"
	var want []string
	for i := range 2500 {
		at := base.Add(time.Duration(i/10) * time.Minute)
		want = append(want, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", at, fmt.Sprintf("K%015d", i), 1)...)
	}
	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.Workers = 8
	sink := new(consumertest.LogsSink)
	r := testReceiver(t, cfg, sink, nil, fake)
	receiveExactlyOnce(t, r, nil, sink, want, fake, 5)
}

// denyListing makes every listing of fake fail with 403 AccessDenied until the returned flag is cleared.
func denyListing(fake *memS3) *atomic.Bool {
	var denied atomic.Bool
	denied.Store(true)
	fake.listErr = func(*s3.ListObjectsV2Input) error {
		if denied.Load() {
			return apiError("ListObjectsV2", 403, "AccessDenied", "Access Denied")
		}
		return nil
	}
	return &denied
}

func TestListingDeniedExplainsThePermissionAndRecovers(t *testing.T) {
	fake := newMemS3()
	const bucket = "denied-bucket"
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	denied := denyListing(fake)
	cfg := testConfig(bucket)
	cfg.StartTime = base
	sink := new(consumertest.LogsSink)
	r := testReceiver(t, cfg, sink, nil, fake)
	logs := observeLogs(r, zap.InfoLevel)
	startReceiver(t, r, nil)
	require.Eventually(t, func() bool {
		return logs.FilterMessageSnippet("Discovering accounts and regions failed").Len() > 0
	}, 10*time.Second, 10*time.Millisecond)
	entry := logs.FilterMessageSnippet("Discovering accounts and regions failed").All()[0]
	assert.Contains(t, entry.ContextMap()["error"], "s3:ListBucket on arn:aws:s3:::denied-bucket")
	// Logged once while the problem lasts.
	fake.waitForMoreLists(t, 5)
	assert.Equal(t, 1, logs.FilterMessageSnippet("Discovering accounts and regions failed").Len())

	denied.Store(false)
	waitForIDs(t, sink, len(want))
	stopReceiver(t, r)
	requireExactlyOnce(t, want, eventIDs(sink))
}

func TestGetObjectErrorsAreRetriedOnTheNextPollWithoutSkipping(t *testing.T) {
	fake := newMemS3()
	const bucket = "flaky-bucket"
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	want = append(want, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(5*time.Minute), "BBBBBBBBBBBBBBBB", 2)...)
	flaky := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	var failures atomic.Int32
	fake.getErr = func(key string) error {
		if key == flaky && failures.Add(1) <= 3 {
			return apiError("GetObject", 503, "SlowDown", "Please reduce your request rate.")
		}
		return nil
	}
	cfg := testConfig(bucket)
	cfg.StartTime = base
	sink := new(consumertest.LogsSink)
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, sink, tel, fake)
	receiveExactlyOnce(t, r, nil, sink, want, nil, 0)
	assert.Equal(t, int64(3), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonS3Error))
	assert.Equal(t, 4, fake.getCount(flaky))
}

func TestObjectDeniedOnEveryPollIsGivenUpOnceNewerFilesAreLookBackAhead(t *testing.T) {
	fake := newMemS3()
	const bucket = "kms-bucket"
	denied := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	fake.put(bucket, denied, trailBody(t, "denied", 1, acctA, "us-east-1", base))
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(5*time.Minute), "BBBBBBBBBBBBBBBB", 1)
	fake.getErr = func(key string) error {
		if key == denied {
			return apiError("GetObject", 403, "AccessDenied", "Access Denied")
		}
		return nil
	}
	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.LookBack = 10 * time.Minute
	// Wall-clock time is moved by the test: giving up also needs look_back of it since the first failure.
	var clock atomic.Int64
	clock.Store(base.UnixNano())
	positionClock = func() time.Time { return time.Unix(0, clock.Load()) }
	t.Cleanup(func() { positionClock = time.Now })
	sink := new(consumertest.LogsSink)
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, sink, tel, fake)
	logs := observeLogs(r, zap.InfoLevel)
	startReceiver(t, r, nil)
	waitForIDs(t, sink, len(want))
	require.Eventually(t, func() bool { return fake.getCount(denied) >= 3 }, 10*time.Second, 10*time.Millisecond)
	assert.Zero(t, counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonGivenUp),
		"only 5 minutes of newer files: within look_back, keep trying")
	msgs := logs.FilterMessageSnippet("Cannot read the object").All()
	require.NotEmpty(t, msgs)
	assert.Contains(t, msgs[0].ContextMap()["error"], "kms:Decrypt")

	// A file delivered more than look_back after the denied one: still read again while too little time has passed…
	want = append(want, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(20*time.Minute), "CCCCCCCCCCCCCCCC", 1)...)
	waitForIDs(t, sink, len(want))
	readsBefore := fake.getCount(denied)
	require.Eventually(t, func() bool { return fake.getCount(denied) >= readsBefore+giveUpAfterFailures }, 10*time.Second, 10*time.Millisecond)
	assert.Zero(t, counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonGivenUp),
		"newer files are look_back ahead, but the failures span less than look_back of wall-clock time: keep trying")
	// …and given up once its failures span look_back of wall-clock time.
	clock.Add(int64(cfg.LookBack))
	require.Eventually(t, func() bool {
		return counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonGivenUp) == 1
	}, 10*time.Second, 10*time.Millisecond)
	gets := fake.getCount(denied)
	fake.waitForMoreLists(t, 5)
	stopReceiver(t, r)
	assert.Equal(t, gets, fake.getCount(denied), "no more reads once given up")
	requireExactlyOnce(t, want, eventIDs(sink))
}

// putBadObjects writes three trail files of account A in us-east-1, one, two and three minutes after base: a corrupt
// gzip, a truncated JSON document, and a valid file over 4096 decompressed bytes.
func putBadObjects(t *testing.T, fake *memS3, bucket string) (corrupt, notJSON, big string) {
	t.Helper()
	corrupt = trailKey("", "", acctA, "us-east-1", base.Add(time.Minute), "BBBBBBBBBBBBBBBB")
	fake.put(bucket, corrupt, []byte("\x1f\x8bthis is not gzip"))
	notJSON = trailKey("", "", acctA, "us-east-1", base.Add(2*time.Minute), "CCCCCCCCCCCCCCCC")
	fake.put(bucket, notJSON, gzipBytes(t, []byte(`{"Records": [ {"eventID": "x", `)))
	big = trailKey("", "", acctA, "us-east-1", base.Add(3*time.Minute), "DDDDDDDDDDDDDDDD")
	fake.put(bucket, big, trailBody(t, "big", 200, acctA, "us-east-1", base))
	return corrupt, notJSON, big
}

func TestCorruptAndOversizedObjectsAreSkippedAndCounted(t *testing.T) {
	fake := newMemS3()
	const bucket = "corrupt-bucket"
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	corrupt, notJSON, _ := putBadObjects(t, fake, bucket)
	want = append(want, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(4*time.Minute), "EEEEEEEEEEEEEEEE", 2)...)

	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.MaxObjectBytes = 4096
	sink := new(consumertest.LogsSink)
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, sink, tel, fake)
	startReceiver(t, r, nil)
	waitForIDs(t, sink, len(want))
	require.Eventually(t, func() bool {
		return counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonCorrupt) == 2 &&
			counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonTooLarge) == 1
	}, 10*time.Second, 10*time.Millisecond)
	fake.waitForMoreLists(t, 5)
	stopReceiver(t, r)
	assert.Equal(t, 1, fake.getCount(corrupt), "a corrupt object is read once, then skipped")
	assert.Equal(t, 1, fake.getCount(notJSON))
	var bigRecords int
	for _, id := range eventIDs(sink) {
		if len(id) > 4 && id[:4] == "big-" {
			bigRecords++
		}
	}
	assert.Less(t, bigRecords, 200, "an object over the cap is not delivered whole")
	assert.Equal(t, int64(2), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_processed"))
	got := eventIDs(sink)
	for _, id := range want {
		assert.Contains(t, got, id)
	}
}

func TestLateFileInsideLookBackIsRead(t *testing.T) {
	fake := newMemS3()
	const bucket = "late-bucket"
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 1)
	want = append(want, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(10*time.Minute), "BBBBBBBBBBBBBBBB", 1)...)
	cfg := testConfig(bucket)
	cfg.StartTime = base
	sink := new(consumertest.LogsSink)
	r := testReceiver(t, cfg, sink, nil, fake)
	startReceiver(t, r, nil)
	waitForIDs(t, sink, len(want))

	// Same minute as the newest file but a smaller unique suffix, and one five minutes older: both sort before the
	// watermark, both are inside the 15-minute look-back.
	want = append(want, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(10*time.Minute), "0AAAAAAAAAAAAAAA", 1)...)
	want = append(want, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(5*time.Minute), "CCCCCCCCCCCCCCCC", 1)...)
	waitForIDs(t, sink, len(want))
	fake.waitForMoreLists(t, 5)
	stopReceiver(t, r)
	requireExactlyOnce(t, want, eventIDs(sink))
}

// flakyConsumer refuses the first `failures` calls, then passes batches to the sink.
type flakyConsumer struct {
	consumertest.LogsSink
	mu        sync.Mutex
	failures  int
	permanent func(plog.Logs) bool
}

func (f *flakyConsumer) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	if f.permanent != nil && f.permanent(ld) {
		return consumererror.NewPermanent(errors.New("record too large for the exporter"))
	}
	f.mu.Lock()
	if f.failures > 0 {
		f.failures--
		f.mu.Unlock()
		return errors.New("sending queue is full")
	}
	f.mu.Unlock()
	return f.LogsSink.ConsumeLogs(ctx, ld)
}

func TestRetryableConsumerErrorsAreRetriedUntilAccepted(t *testing.T) {
	fake := newMemS3()
	const bucket = "busy-bucket"
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 25)
	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.MaxBatchRecords = 10
	next := &flakyConsumer{failures: 7}
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, next, tel, fake)
	receiveExactlyOnce(t, r, nil, &next.LogsSink, want, nil, 0)
	assert.Equal(t, 1, fake.getCount(trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")), "retried in place, not re-read")
	assert.Equal(t, 3, len(next.AllLogs()), "25 records in batches of at most 10")
	assert.Positive(t, counterValue(t, tel, "otelcol_receiver_refused_log_records"))
}

func TestPermanentConsumerErrorDropsTheBatchAndTheRestFlows(t *testing.T) {
	fake := newMemS3()
	const bucket = "refused-bucket"
	putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 3)
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(time.Minute), "BBBBBBBBBBBBBBBB", 3)
	refusedKey := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	cfg := testConfig(bucket)
	cfg.StartTime = base
	next := &flakyConsumer{permanent: func(ld plog.Logs) bool {
		v, _ := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Attributes().Get("aws.s3.key")
		return v.Str() == refusedKey
	}}
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, next, tel, fake)
	receiveExactlyOnce(t, r, nil, &next.LogsSink, want, fake, 5)
	assert.Equal(t, 1, fake.getCount(refusedKey), "a permanently refused object is not read again")
	assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonRefused))
	assert.Equal(t, int64(3), counterValue(t, tel, "otelcol_receiver_refused_log_records"))
}

// sharedStorage is a storage extension whose client outlives receivers, like file_storage across restarts.
type sharedStorage struct {
	extension.Extension
	client *memoryStorage
}

func (s *sharedStorage) GetClient(context.Context, component.Kind, component.ID, string) (storage.Client, error) {
	return s.client, nil
}

type storageHost struct {
	component.Host
	ext map[component.ID]component.Component
}

func (h storageHost) GetExtensions() map[component.ID]component.Component { return h.ext }

func newStorageHost() (storageHost, *component.ID) {
	id := component.MustNewID("file_storage")
	ext := &sharedStorage{Extension: nopExtension{}, client: newMemoryStorage()}
	return storageHost{Host: componenttest.NewNopHost(), ext: map[component.ID]component.Component{id: ext}}, &id
}

type nopExtension struct{}

func (nopExtension) Start(context.Context, component.Host) error { return nil }
func (nopExtension) Shutdown(context.Context) error              { return nil }

func TestRestartResumesFromTheStoredPosition(t *testing.T) {
	fake := newMemS3()
	const bucket = "restart-bucket"
	host, storageID := newStorageHost()
	first := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	first = append(first, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(30*time.Minute), "BBBBBBBBBBBBBBBB", 2)...)
	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.StorageID = storageID

	sink1 := new(consumertest.LogsSink)
	r1 := testReceiver(t, cfg, sink1, nil, fake)
	receiveExactlyOnce(t, r1, host, sink1, first, nil, 0)

	second := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(40*time.Minute), "CCCCCCCCCCCCCCCC", 2)
	second = append(second, putTrailFile(t, fake, bucket, "", "", acctA, "eu-west-1", base.Add(time.Minute), "DDDDDDDDDDDDDDDD", 2)...)
	sink2 := new(consumertest.LogsSink)
	r2 := testReceiver(t, cfg, sink2, nil, fake)
	receiveExactlyOnce(t, r2, host, sink2, second, fake, 5)
	assert.Equal(t, 1, fake.getCount(trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")))
}

func TestDefaultStartSkipsOlderFilesAndIsKeptAcrossRestarts(t *testing.T) {
	fake := newMemS3()
	const bucket = "default-start"
	host, storageID := newStorageHost()
	firstStart := base.Add(24 * time.Hour)
	putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2) // a day before the first start
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", firstStart.Add(5*time.Minute), "BBBBBBBBBBBBBBBB", 2)
	cfg := testConfig(bucket)
	cfg.StorageID = storageID

	sink1 := new(consumertest.LogsSink)
	r1 := testReceiver(t, cfg, sink1, nil, fake)
	r1.now = func() time.Time { return firstStart }
	receiveExactlyOnce(t, r1, host, sink1, want, fake, 5)

	// A region that appears later, with files delivered after the first start but before this restart: read, because
	// the first start is persisted.
	later := putTrailFile(t, fake, bucket, "", "", acctA, "eu-west-1", firstStart.Add(time.Hour), "CCCCCCCCCCCCCCCC", 2)
	sink2 := new(consumertest.LogsSink)
	r2 := testReceiver(t, cfg, sink2, nil, fake)
	r2.now = func() time.Time { return firstStart.Add(48 * time.Hour) }
	receiveExactlyOnce(t, r2, host, sink2, later, fake, 5)
}

func TestStartFailsWithAClearErrorForAMissingStorageExtension(t *testing.T) {
	cfg := testConfig("bucket-x")
	id := component.MustNewID("file_storage")
	cfg.StorageID = &id
	r := testReceiver(t, cfg, new(consumertest.LogsSink), nil, newMemS3())
	err := r.Start(context.Background(), componenttest.NewNopHost())
	require.ErrorContains(t, err, `storage extension "file_storage" is not configured`)
	require.NoError(t, r.Shutdown(context.Background()))
}

// failingStorage is a storage extension whose file cannot be opened (a damaged bbolt file answers "invalid database").
type failingStorage struct{ nopExtension }

func (failingStorage) GetClient(context.Context, component.Kind, component.ID, string) (storage.Client, error) {
	return nil, errors.New("invalid database")
}

// TestStartFailsWithTheStorageError: the storage extension's error (file_storage names a damaged file and the remedy:
// extension/checkedfilestorage) reaches the user with the extension's name.
func TestStartFailsWithTheStorageError(t *testing.T) {
	cfg := testConfig("bucket-x")
	id := component.MustNewID("file_storage")
	cfg.StorageID = &id
	r := testReceiver(t, cfg, new(consumertest.LogsSink), nil, newMemS3())
	host := storageHost{Host: componenttest.NewNopHost(), ext: map[component.ID]component.Component{id: failingStorage{}}}
	err := r.Start(context.Background(), host)
	require.ErrorContains(t, err, `opening storage extension "file_storage": invalid database`)
	require.NoError(t, r.Shutdown(context.Background()))
}

// TestStartWithoutStoredPositionSaysSoLoudly: with a storage extension but no stored position (a first start, or a
// lost or recreated file), the receiver warns, since files delivered while the position was lost are not read.
func TestStartWithoutStoredPositionSaysSoLoudly(t *testing.T) {
	host, storageID := newStorageHost()
	cfg := testConfig("bucket-y")
	cfg.StorageID = storageID
	r := testReceiver(t, cfg, new(consumertest.LogsSink), nil, newMemS3())
	logs := observeLogs(r, zap.WarnLevel)
	require.NoError(t, r.Start(context.Background(), host))
	require.NoError(t, r.Shutdown(context.Background()))
	assert.Equal(t, 1, logs.FilterMessageSnippet("No stored position for this bucket and prefix").Len())

	// Started again on the same storage: the position is there, nothing to warn about.
	r2 := testReceiver(t, cfg, new(consumertest.LogsSink), nil, newMemS3())
	logs2 := observeLogs(r2, zap.WarnLevel)
	require.NoError(t, r2.Start(context.Background(), host))
	require.NoError(t, r2.Shutdown(context.Background()))
	assert.Zero(t, logs2.FilterMessageSnippet("No stored position").Len())
}

func TestShutdownWhilePipelineRefusesDoesNotAcknowledge(t *testing.T) {
	fake := newMemS3()
	const bucket = "stuck-bucket"
	host, storageID := newStorageHost()
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.StorageID = storageID
	stuck := &flakyConsumer{failures: 1 << 30}
	r1 := testReceiver(t, cfg, stuck, nil, fake)
	startReceiver(t, r1, host)
	key := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	require.Eventually(t, func() bool { return fake.getCount(key) == 1 }, 10*time.Second, 10*time.Millisecond)
	stopReceiver(t, r1)

	sink := new(consumertest.LogsSink)
	r2 := testReceiver(t, cfg, sink, nil, fake)
	receiveExactlyOnce(t, r2, host, sink, want, nil, 0)
}

var _ consumer.Logs = (*flakyConsumer)(nil)

func (m *memS3) listCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lists
}

// waitForMoreLists waits until the receiver listed n more times (a few more polls), so that anything it would repeat
// or retry after the checks so far has had its chance to happen.
func (m *memS3) waitForMoreLists(t *testing.T, n int) {
	t.Helper()
	lists := m.listCount()
	require.Eventually(t, func() bool { return m.listCount() > lists+n }, 10*time.Second, 10*time.Millisecond)
}

func TestObjectDeletedAfterListingIsSkipped(t *testing.T) {
	fake := newMemS3()
	const bucket = "deleted-bucket"
	gone := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	fake.put(bucket, gone, trailBody(t, "gone", 2, acctA, "us-east-1", base))
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(time.Minute), "BBBBBBBBBBBBBBBB", 2)
	fake.getErr = func(key string) error {
		if key == gone {
			fake.delete(bucket, key) // deleted between the listing and the GET
		}
		return nil
	}
	cfg := testConfig(bucket)
	cfg.StartTime = base
	sink := new(consumertest.LogsSink)
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, sink, tel, fake)
	receiveExactlyOnce(t, r, nil, sink, want, fake, 5)
	assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonMissing))
	assert.Equal(t, 1, fake.getCount(gone))
}

// TestEventSelectionDropsRecordsAndCountsThemPerFolder: records excluded by event_selection never reach the
// pipeline, the others arrive exactly once, and records_dropped counts the dropped ones per account and region.
func TestEventSelectionDropsRecordsAndCountsThemPerFolder(t *testing.T) {
	fake := newMemS3()
	const bucket = "selection-bucket"
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 5)
	putTrailFile(t, fake, bucket, "", "", acctB, "us-east-1", base, "BBBBBBBBBBBBBBBB", 4)
	putTrailFile(t, fake, bucket, "", "", acctA, "eu-west-1", base, "CCCCCCCCCCCCCCCC", 3)

	cfg := testConfig(bucket)
	cfg.StartTime = base.Add(-time.Hour)
	cfg.EventSelection = cloudtrail.SelectionConfig{Exclude: []cloudtrail.EventRule{
		{RecipientAccountID: []string{acctB}},
		{EventName: []string{"Describe*"}, AWSRegion: []string{"eu-*"}},
	}}
	require.NoError(t, validateFastPolling(cfg))
	sink := new(consumertest.LogsSink)
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, sink, tel, fake)
	receiveExactlyOnce(t, r, nil, sink, want, fake, 10)

	assert.Equal(t, int64(7), counterValue(t, tel, "otelcol_receiver_cloudtrails3_records_dropped", "reason", "excluded"))
	m, err := tel.GetMetric("otelcol_receiver_cloudtrails3_records_dropped")
	require.NoError(t, err)
	perFolder := map[string]int64{}
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		account, _ := dp.Attributes.Value("cloud.account.id")
		region, _ := dp.Attributes.Value("cloud.region")
		perFolder[account.AsString()+"/"+region.AsString()] += dp.Value
	}
	assert.Equal(t, map[string]int64{acctB + "/us-east-1": 4, acctA + "/eu-west-1": 3}, perFolder)
	assert.Equal(t, int64(len(want)), counterValue(t, tel, "otelcol_receiver_cloudtrails3_records_emitted"))
	assert.Equal(t, int64(3), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_processed"), "files whose records were all dropped still count as read")
}

// TestFutureNamedFileDoesNotStopItsRegion: a file named a year ahead is skipped, counted and logged once, and the
// files delivered before and after it are read.
func TestFutureNamedFileDoesNotStopItsRegion(t *testing.T) {
	fake := newMemS3()
	const bucket = "future-bucket"
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	futureKey := trailKey("", "", acctA, "us-east-1", time.Now().AddDate(1, 0, 0).Truncate(time.Minute), "FFFFFFFFFFFFFFFF")
	fake.put(bucket, futureKey, trailBody(t, "future", 2, acctA, "us-east-1", time.Now().AddDate(1, 0, 0)))
	cfg := testConfig(bucket)
	cfg.StartTime = base
	sink := new(consumertest.LogsSink)
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, sink, tel, fake)
	logs := observeLogs(r, zap.InfoLevel)
	startReceiver(t, r, nil)
	waitForIDs(t, sink, len(want))
	fake.waitForMoreLists(t, 5)

	// Delivered after the future-named file was listed: still read.
	want = append(want, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(2*time.Hour), "BBBBBBBBBBBBBBBB", 3)...)
	waitForIDs(t, sink, len(want))
	fake.waitForMoreLists(t, 5)
	stopReceiver(t, r)

	requireExactlyOnce(t, want, eventIDs(sink))
	assert.Zero(t, fake.getCount(futureKey), "the future-named file is not read")
	assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_skipped", "reason", skipFutureTime))
	skipped := logs.FilterMessageSnippet("name time is in the future")
	require.Equal(t, 1, skipped.Len(), "logged once, not on every poll")
	assert.Equal(t, futureKey, skipped.All()[0].ContextMap()["key"])
}

// TestStoredPositionInTheFutureRecovers: a position that an earlier version moved to a future-named file is not
// resumed from (nothing after it would ever be listed): the subtree is read again from the start time.
func TestStoredPositionInTheFutureRecovers(t *testing.T) {
	fake := newMemS3()
	const bucket = "future-position"
	host, storageID := newStorageHost()
	future := time.Now().AddDate(1, 0, 0).Truncate(time.Minute)
	s := subtree{Account: acctA, Region: "us-east-1"}
	store := &checkpointStore{client: host.ext[*storageID].(*sharedStorage).client, bucket: bucket}
	futureKey := trailKey("", "", acctA, "us-east-1", future, "FFFFFFFFFFFFFFFF")
	require.NoError(t, store.saveSubtree(context.Background(), s, subtreeCheckpoint{
		Watermark: futureKey, WatermarkTime: future, NewestTime: future, Done: []string{futureKey},
	}, nil, false))
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(time.Hour), "AAAAAAAAAAAAAAAA", 2)
	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.StorageID = storageID
	sink := new(consumertest.LogsSink)
	r := testReceiver(t, cfg, sink, nil, fake)
	logs := observeLogs(r, zap.InfoLevel)
	receiveExactlyOnce(t, r, host, sink, want, fake, 5)
	assert.Equal(t, 1, logs.FilterMessageSnippet("stored position of this account/region lies in the future").Len())

	cp, found, err := store.loadSubtree(context.Background(), s)
	require.NoError(t, err)
	require.True(t, found)
	assert.False(t, cp.inFuture(time.Now()), "the stored position is back in the past: %+v", cp)
}

// gaugeValues returns the data points of a float gauge as "account/region" (or "" without attributes) → value.
func gaugeValues(t *testing.T, tel *componenttest.Telemetry, name string) map[string]float64 {
	t.Helper()
	m, err := tel.GetMetric(name)
	if err != nil {
		return nil
	}
	out := map[string]float64{}
	for _, dp := range m.Data.(metricdata.Gauge[float64]).DataPoints {
		account, _ := dp.Attributes.Value("cloud.account.id")
		region, _ := dp.Attributes.Value("cloud.region")
		key := ""
		if account.AsString() != "" {
			key = account.AsString() + "/" + region.AsString()
		}
		out[key] = dp.Value
	}
	return out
}

// TestOperatorTelemetry: while the bucket cannot be listed, list_failed counts it by reason and
// last_successful_discovery is 0 from the start (a 403 from day one is visible); once listing works, discovery is
// logged in one line and every folder's last_successful_poll is set.
func TestOperatorTelemetry(t *testing.T) {
	fake := newMemS3()
	const bucket = "telemetry-bucket"
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	want = append(want, putTrailFile(t, fake, bucket, "", "", acctB, "eu-west-1", base, "BBBBBBBBBBBBBBBB", 2)...)
	denied := denyListing(fake)
	cfg := testConfig(bucket)
	cfg.StartTime = base
	sink := new(consumertest.LogsSink)
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, sink, tel, fake)
	logs := observeLogs(r, zap.InfoLevel)
	startReceiver(t, r, nil)
	require.Eventually(t, func() bool {
		return counterValue(t, tel, "otelcol_receiver_cloudtrails3_list_failed", "reason", reasonAccessDenied) >= 2
	}, 10*time.Second, 10*time.Millisecond)
	assert.Equal(t, map[string]float64{"": 0}, gaugeValues(t, tel, "otelcol_receiver_cloudtrails3_last_successful_discovery"))

	beforeSuccess := float64(time.Now().Unix())
	denied.Store(false)
	waitForIDs(t, sink, len(want))
	fake.waitForMoreLists(t, 5)
	discovery := gaugeValues(t, tel, "otelcol_receiver_cloudtrails3_last_successful_discovery")
	polls := gaugeValues(t, tel, "otelcol_receiver_cloudtrails3_last_successful_poll") // observed while running
	stopReceiver(t, r)
	requireExactlyOnce(t, want, eventIDs(sink))
	assert.GreaterOrEqual(t, discovery[""], beforeSuccess)
	require.Len(t, polls, 2)
	for folder, v := range polls {
		assert.GreaterOrEqual(t, v, beforeSuccess, folder)
	}
	discovered := logs.FilterMessage("Discovered account/region folders").All()
	require.Len(t, discovered, 1, "one line per discovery that found new folders, not one per folder")
	assert.Equal(t, int64(2), discovered[0].ContextMap()["folders"])
}

// TestObjectsInFlightPolling: objects_in_flight counts the objects the workers are reading — every worker's while the
// pipeline holds their batches — and falls back to 0 once they are accepted.
func TestObjectsInFlightPolling(t *testing.T) {
	fake := newMemS3()
	const bucket = "in-flight-bucket"
	var want []string
	for i, unique := range []string{"AAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBB", "CCCCCCCCCCCCCCCC"} {
		want = append(want, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(time.Duration(i)*time.Minute), unique, 2)...)
	}
	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.Workers = 2
	next := &blockingConsumer{release: make(chan struct{})}
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, next, tel, fake)
	startReceiver(t, r, nil)
	require.Eventually(t, func() bool { return next.calls.Load() == 2 }, 10*time.Second, 5*time.Millisecond)
	assert.Equal(t, int64(2), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_in_flight"), "both workers hold an object")
	close(next.release)
	waitForIDs(t, &next.LogsSink, len(want))
	require.Eventually(t, func() bool {
		return counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_processed") == 3
	}, 10*time.Second, 5*time.Millisecond)
	stopReceiver(t, r)
	assert.Zero(t, counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_in_flight"))
	requireExactlyOnce(t, want, eventIDs(&next.LogsSink))
}
