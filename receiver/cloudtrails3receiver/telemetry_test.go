// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/zap"
)

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
	cfg.Workers = 1
	cfg.MaxObjectsInFlight = 2
	next := &blockingConsumer{release: make(chan struct{})}
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, next, tel, fake)
	startReceiver(t, r, nil)
	require.Eventually(t, func() bool { return next.calls.Load() == 2 }, 10*time.Second, 5*time.Millisecond)
	assert.Equal(t, int64(2), counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_in_flight"),
		"two objects wait for the pipeline with one worker: a waiting object has given its worker back")
	time.Sleep(50 * time.Millisecond)
	assert.Equal(t, int32(2), next.calls.Load(), "no third object while max_objects_in_flight wait")
	close(next.release)
	waitForIDs(t, &next.LogsSink, len(want))
	require.Eventually(t, func() bool {
		return counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_processed") == 3
	}, 10*time.Second, 5*time.Millisecond)
	stopReceiver(t, r)
	assert.Zero(t, counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_in_flight"))
	requireExactlyOnce(t, want, eventIDs(&next.LogsSink))
}
