// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/goleak"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/metadata"
)

// TestLifecycleLeavesNoGoroutine: created through its factory, started against an S3 server, polling, and shut down,
// the receiver leaves no goroutine behind (the lifecycle test mdatagen would generate, with goleak). The HTTP
// transport's idle connections belong to the SDK's shared client pool, not to the receiver.
func TestLifecycleLeavesNoGoroutine(t *testing.T) {
	srv := testpeers.FakeS3(t)
	testpeers.CreateBucket(t, testpeers.S3Client(t, srv), "lifecycle")
	ignore := goleak.IgnoreCurrent()

	for range 2 { // a second cycle: nothing is kept from the first
		cfg := createDefaultConfig().(*Config)
		cfg.Bucket = "lifecycle"
		cfg.Endpoint = srv.Endpoint
		cfg.Region = "us-east-1"
		cfg.ForcePathStyle = true
		cfg.AccessKeyID = configopaque.String(srv.AccessKey)
		cfg.SecretAccessKey = configopaque.String(srv.SecretKey)
		cfg.PollInterval = time.Second
		sink := new(consumertest.LogsSink)
		r, err := NewFactory().CreateLogs(context.Background(), receivertest.NewNopSettings(metadata.Type), cfg, sink)
		require.NoError(t, err)
		require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))
		time.Sleep(200 * time.Millisecond) // let discovery and the first poll run
		require.NoError(t, r.Shutdown(context.Background()))
	}
	goleak.VerifyNone(t, ignore,
		goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreAnyFunction("net/http.(*conn).serve")) // the S3 server's side of those connections
}

// TestShutdownWithoutStart: the collector may shut a component down that never started.
func TestShutdownWithoutStart(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.Bucket = "never-started"
	r, err := NewFactory().CreateLogs(context.Background(), receivertest.NewNopSettings(metadata.Type), cfg, consumertest.NewNop())
	require.NoError(t, err)
	require.NoError(t, r.Shutdown(context.Background()))
}
