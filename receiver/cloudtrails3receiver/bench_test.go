// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"testing"

	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/ctgen"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/metadata"
)

// BenchmarkReadObject measures the receiver's per-object path (GET from an in-memory S3, decode, obsreport, emit to a
// no-op pipeline) for a realistic 1000-record CloudTrail file.
func BenchmarkReadObject(b *testing.B) {
	benchmarkReadObject(b, false)
}

// BenchmarkReadObjectWithIntegrity is the same path with integrity.enabled: the decompressed bytes are also hashed
// and the file handed to its Tracker.
func BenchmarkReadObjectWithIntegrity(b *testing.B) {
	benchmarkReadObject(b, true)
}

func benchmarkReadObject(b *testing.B, withIntegrity bool) {
	const records = 1000
	fake := newMemS3()
	key := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	body := ctgen.File(1, records, acctA, "us-east-1", base)
	fake.put("bench", key, body)
	set := receivertest.NewNopSettings(metadata.Type)
	obsrecv, err := receiverhelper.NewObsReport(receiverhelper.ObsReportSettings{ReceiverID: set.ID, Transport: "s3", ReceiverCreateSettings: set})
	if err != nil {
		b.Fatal(err)
	}
	telemetry, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		b.Fatal(err)
	}
	reader := &objectReader{
		bucket:    "bench",
		client:    fake,
		decoder:   cloudtrail.NewDecoder(cloudtrail.Options{MaxBatchRecords: defaultMaxBatchRecords, MaxObjectBytes: defaultMaxObjectBytes}),
		next:      consumertest.NewNop(),
		obsrecv:   obsrecv,
		telemetry: telemetry,
		logger:    zap.NewNop(),
		backoff:   defaultConsumerBackoff,
	}
	if withIntegrity {
		cfg := createDefaultConfig().(*Config)
		cfg.Integrity.Enabled = true
		reader.integrity = newIntegrityChecker(cfg, integrity.NewKeySet(), nil, base, telemetry, zap.NewNop())
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if reader.read(context.Background(), key) != outcomeDone {
			b.Fatal("object not read")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*records), "ns/record")
	if withIntegrity {
		if read, _ := reader.integrity.tracker(subtree{Account: acctA, Region: "us-east-1"}).Pending(); read != 1 {
			b.Fatalf("the file was not handed to its Tracker (pending %d)", read)
		}
	}
}
