// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"testing"

	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"
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
	body := cloudtrailtest.File(1, records, acctA, "us-east-1", base)
	fake.put("bench", key, body)
	reader := testObjectReader(b, "bench", fake, consumertest.NewNop(), nil)
	if withIntegrity {
		cfg := createDefaultConfig().(*Config)
		cfg.Integrity.Enabled = true
		reader.integrity = newIntegrityChecker(cfg, integrity.NewKeySet(), nil, base, reader.telemetry, zap.NewNop())
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
