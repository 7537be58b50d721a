// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
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
