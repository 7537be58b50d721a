// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/exporter/exportertest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/logziotest"
)

// TestWrongTokenWithBatchingAcrossObjects runs the shipped shape of the pipeline in process: many workers, the real
// logzio exporter with an in-memory queue that waits for the result and batches records of several objects together
// (and splits an object's batch over two requests), and a listener that refuses the token for a while. The records a
// refused request hands back belong to several objects; each worker must retry its own records, not that merged
// batch (which other workers retry too, and which the queue empties when it takes it again): the object is read again,
// without its batches already accepted. Every record arrives; duplicates are bounded.
func TestWrongTokenWithBatchingAcrossObjects(t *testing.T) {
	const (
		bucket  = "wrong-token-batching"
		objects = 40
		records = 50
	)
	fake := newMemS3()
	var want []string
	for i := range objects {
		at := base.Add(time.Duration(i) * time.Second)
		want = append(want, putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", at, fmt.Sprintf("%016d", i), records)...)
	}

	listener := logziotest.New(t, logziotest.Options{})
	listener.Always(&logziotest.Answer{Status: http.StatusUnauthorized, Body: "Logging token is not valid"})
	expCfg := logzioexporter.NewFactory().CreateDefaultConfig().(*logzioexporter.Config)
	expCfg.Logs.Token = configopaque.String("token")
	expCfg.Logs.Endpoint = listener.URL + "/"
	expCfg.BackOffConfig.InitialInterval = time.Millisecond
	expCfg.BackOffConfig.MaxInterval = 5 * time.Millisecond
	queue := exporterhelper.NewDefaultQueueConfig()
	queue.WaitForResult = true
	queue.NumConsumers = 4
	queue.Batch = configoptional.Some(exporterhelper.BatchConfig{
		FlushTimeout: 20 * time.Millisecond, Sizer: exporterhelper.RequestSizerTypeItems, MinSize: 70, MaxSize: 70,
	})
	expCfg.QueueConfig = configoptional.Some(queue)
	exp, err := logzioexporter.NewFactory().CreateLogs(context.Background(), exportertest.NewNopSettings(logzioexporter.NewFactory().Type()), expCfg)
	require.NoError(t, err)
	require.NoError(t, exp.Start(context.Background(), componenttest.NewNopHost()))
	defer func() { assert.NoError(t, exp.Shutdown(context.Background())) }()

	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.Workers = 16
	cfg.MaxBatchRecords = 30
	r := testReceiver(t, cfg, exp, nil, fake)
	startReceiver(t, r, nil)
	require.Eventually(t, func() bool { return len(listener.Requests()) >= 60 }, 20*time.Second, 5*time.Millisecond,
		"the listener refuses the token for a while")
	listener.Always(nil)
	missing := func() []string {
		got := map[string]bool{}
		for _, doc := range listener.Docs() {
			if id, ok := doc["eventID"].(string); ok {
				got[id] = true
			}
		}
		var m []string
		for _, id := range want {
			if !got[id] {
				m = append(m, id)
			}
		}
		return m
	}
	assert.Eventually(t, func() bool { return len(missing()) == 0 }, 30*time.Second, 20*time.Millisecond,
		"every record arrives once the token is accepted")
	stopReceiver(t, r)
	assert.Empty(t, missing(), "records never delivered")
	seen := map[string]int{}
	for _, doc := range listener.Docs() {
		if id, ok := doc["eventID"].(string); ok {
			seen[id]++
		}
	}
	// A batch the queue split over two of its requests, one accepted and one refused when the token was fixed, is
	// sent again whole: at most one batch per object in flight can arrive twice. Whole batches accepted before a
	// refusal are not sent again.
	duplicates := 0
	for id, n := range seen {
		assert.LessOrEqual(t, n, 2, "record %s arrived %d times", id, n)
		duplicates += n - 1
	}
	assert.LessOrEqual(t, duplicates, cfg.objectsInFlight()*cfg.MaxBatchRecords, "duplicates bounded by one batch per object in flight")
	t.Logf("%d records, %d duplicates", len(want), duplicates)
}
