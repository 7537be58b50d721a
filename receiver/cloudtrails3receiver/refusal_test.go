// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap/zapcore"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/pipelineerr"
)

// wrongTokenConsumer answers like the logzio exporter with a wrong token (a permanent configuration error, handing
// every record back) until fixed, then passes batches to the sink.
type wrongTokenConsumer struct {
	consumertest.LogsSink
	fixed   atomic.Bool
	refused atomic.Int32
}

func (c *wrongTokenConsumer) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	if !c.fixed.Load() {
		c.refused.Add(1)
		err := consumererror.NewPermanent(pipelineerr.Configuration(errors.New("the Logz.io log listener refused the log shipping token (HTTP 401)")))
		return consumererror.NewLogs(err, ld)
	}
	return c.LogsSink.ConsumeLogs(ctx, ld)
}

// TestConfigurationErrorKeepsTheObjectUntilFixed: a wrong token must not turn into dropped objects. The receiver keeps
// the batch, backs off, logs what to fix, and delivers everything once the exporter accepts again, in place.
func TestConfigurationErrorKeepsTheObjectUntilFixed(t *testing.T) {
	fake := newMemS3()
	const bucket = "wrong-token"
	key := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 5)
	cfg := testConfig(bucket)
	cfg.StartTime = base
	next := &wrongTokenConsumer{}
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, next, tel, fake)
	r.consumerBackoff = backoffSettings{Initial: time.Millisecond, Max: 5 * time.Millisecond}
	logs := observeLogs(r, zapcore.WarnLevel)
	startReceiver(t, r, nil)
	require.Eventually(t, func() bool { return next.refused.Load() >= 5 }, 10*time.Second, time.Millisecond)
	assert.Zero(t, next.LogsSink.LogRecordCount(), "nothing delivered while the token is wrong")
	next.fixed.Store(true)
	waitForIDs(t, &next.LogsSink, len(want))
	stopReceiver(t, r)

	requireExactlyOnce(t, want, eventIDs(&next.LogsSink))
	assert.GreaterOrEqual(t, fake.getCount(key), 2, "not dropped: read again until the exporter accepts")
	assert.Zero(t, counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonRefused), "nothing counted as refused")
	entries := logs.FilterMessageSnippet("configuration is fixed").All()
	require.NotEmpty(t, entries, "the operator is told what to fix")
	assert.Contains(t, entries[0].ContextMap()["error"], "log shipping token")
}

// TestConfigurationErrorAtShutdownLeavesTheObjectUnread: stopped while the token is wrong, the receiver has not
// advanced its position: after a restart with the token fixed every record is delivered.
func TestConfigurationErrorAtShutdownLeavesTheObjectUnread(t *testing.T) {
	fake := newMemS3()
	const bucket = "wrong-token-restart"
	host, storageID := newStorageHost()
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 3)
	want = append(want, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base.Add(time.Minute), "BBBBBBBBBBBBBBBB", 3)...)
	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.StorageID = storageID

	wrong := &wrongTokenConsumer{}
	r1 := testReceiver(t, cfg, wrong, nil, fake)
	r1.consumerBackoff = backoffSettings{Initial: time.Millisecond, Max: 5 * time.Millisecond}
	startReceiver(t, r1, host)
	require.Eventually(t, func() bool { return wrong.refused.Load() >= 3 }, 10*time.Second, time.Millisecond)
	stopReceiver(t, r1)

	fixed := new(consumertest.LogsSink)
	r2 := testReceiver(t, cfg, fixed, nil, fake)
	receiveExactlyOnce(t, r2, host, fixed, want, nil, 0)
}
