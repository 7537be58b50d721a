// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configcompression"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/exporter/exportertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter/internal/document"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter/internal/metadata"
)

// BenchmarkPushLogs measures the logs path end to end (documents, grouping, gzip, HTTP) against a server that
// reads and discards the body, for every gzip level from 1 (fastest) to 6 (level=0 is the exporter's default,
// defaultGzipLevel): records/s, ns and wire bytes per record, the curve defaultGzipLevel was chosen by. The
// json-body runs send the same records as JSON bodies (the cloudtrails3 receiver's pass_through, see
// internal/document/jsonbody.go) at the default level and level 1.
func BenchmarkPushLogs(b *testing.B) {
	for _, level := range []int{0, 1, 2, 3, 4, 5, 6} {
		b.Run(fmt.Sprintf("gzip-level=%d", level), func(b *testing.B) { benchmarkPushLogs(b, level, false) })
	}
	for _, level := range []int{0, 1} {
		b.Run(fmt.Sprintf("json-body/gzip-level=%d", level), func(b *testing.B) { benchmarkPushLogs(b, level, true) })
	}
}

func benchmarkPushLogs(b *testing.B, level int, jsonBodies bool) {
	var wireBytes atomic.Int64
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		wireBytes.Add(n)
		w.WriteHeader(http.StatusOK)
	}))
	defer server.Close()

	cfg := createDefaultConfig().(*Config)
	cfg.Logs.Token = configopaque.String(testLogsToken)
	cfg.Logs.Endpoint = server.URL
	cfg.ClientConfig.CompressionParams.Level = configcompression.Level(level)
	set := exportertest.NewNopSettings(metadata.Type)
	telemetry, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	require.NoError(b, err)
	exp, err := newLogsExporter(cfg, set, telemetry)
	require.NoError(b, err)
	require.NoError(b, exp.start(context.Background(), componenttest.NewNopHost()))

	const recordsPerBatch = 1000
	ld := benchmarkLogs(b, recordsPerBatch)
	if jsonBodies {
		toJSONBodies(b, ld)
	}

	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := exp.pushLogs(context.Background(), ld); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	records := float64(b.N) * recordsPerBatch
	b.ReportMetric(records/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(wireBytes.Load())/records, "wire-bytes/record")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/records, "ns/record")
}

// benchmarkLogs repeats the StartLogging CloudTrail record; each copy gets its own ids, time and source address,
// drawn from a seeded generator, so that gzip sees data as varied as a real trail.
func benchmarkLogs(b *testing.B, n int) plog.Logs {
	sample := cloudTrailLogs(b)
	src := sample.ResourceLogs().At(0)
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	src.Resource().CopyTo(rl.Resource())
	sl := rl.ScopeLogs().AppendEmpty()
	record := src.ScopeLogs().At(0).LogRecords().At(0)
	rng := rand.New(rand.NewPCG(1, 2))
	uuid := func() string {
		return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", rng.Uint32(), rng.Uint32()&0xffff, rng.Uint32()&0xffff, rng.Uint32()&0xffff, rng.Uint64()&0xffffffffffff)
	}
	start := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	for i := range n {
		lr := sl.LogRecords().AppendEmpty()
		record.CopyTo(lr)
		at := start.Add(time.Duration(rng.IntN(300_000)) * time.Millisecond)
		lr.SetTimestamp(pcommon.NewTimestampFromTime(at))
		body := lr.Body().Map()
		body.PutStr("eventID", uuid())
		body.PutStr("requestID", uuid())
		body.PutStr("eventTime", at.Format(time.RFC3339))
		body.PutStr("sourceIPAddress", fmt.Sprintf("10.%d.%d.%d", rng.IntN(256), rng.IntN(256), rng.IntN(256)))
		if i%3 == 0 {
			body.PutStr("eventName", "DescribeInstances")
		}
	}
	return ld
}

// toJSONBodies turns every map body into its JSON text, in a scope marked as holding JSON bodies.
func toJSONBodies(b *testing.B, ld plog.Logs) {
	for _, rl := range ld.ResourceLogs().All() {
		for _, sl := range rl.ScopeLogs().All() {
			sl.Scope().Attributes().PutStr(document.JSONBodyAttribute, document.JSONBodyFormat)
			for _, lr := range sl.LogRecords().All() {
				text, err := json.Marshal(lr.Body().AsRaw())
				require.NoError(b, err)
				lr.Body().SetStr(string(text))
			}
		}
	}
}
