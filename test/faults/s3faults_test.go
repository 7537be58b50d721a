// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults

import (
	"fmt"
	"testing"
	"time"
)

// TestS3Faults reads CloudTrail files through a proxy that fails the first GetObject of every object (500, 503
// SlowDown, connection reset mid-body, stalled read, in turn) and a fifth of the listings (500 / 503). The
// receiver must retry: no record lost, no object skipped for a transient error.
func TestS3Faults(t *testing.T) {
	s := startScenario(t, "S3 faults")
	sc := s.scale
	s.row.Scenario = fmt.Sprintf("S3 proxy: 500, 503 SlowDown, reset mid-body, %s stall on %d files", sc.Stall, sc.S3FaultFiles)
	server, client, bucket := s.s3()
	proxy := NewFaultProxy(t, server.Endpoint, sc.Stall)
	proxy.SetPlan(Plans(
		FirstGetOfEachObject(InternalError, SlowDown, ResetMidBody, StallMidBody),
		RandomFaults(7, 0.2, Listings, InternalError, SlowDown),
	))

	first := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Hour)
	corpus := NewCorpus()
	corpus.AddFiles(t, 2, sc.S3FaultFiles, sc.RecordsPerFile, first, sc.S3FileSpacing)
	corpus.Upload(s.ctx, t, client, bucket, 0)
	s.row.Sent = len(corpus.EventIDs)

	sink := NewSink(t, s.secrets.LogsToken)
	collector := s.startCollector(PipelineConfig{
		S3Endpoint: proxy.URL,
		Bucket:     bucket,
		StartTime:  first.Add(-time.Hour),
		SinkURL:    sink.URL,
	})
	progress := func() { s.setTally(sink.Count(corpus.EventIDs)) }
	// Stop waiting early when the receiver skipped an object: its records will never come.
	lastScrape := time.Now()
	s.waitFor("every record through the faulty S3", 200*time.Millisecond, func() bool {
		if sink.HasAll(corpus.EventIDs) {
			return true
		}
		if time.Since(lastScrape) < 2*time.Second {
			return false
		}
		lastScrape = time.Now()
		return s.scrape().Sum("otelcol_receiver_cloudtrails3_objects_failed", `reason="given_up"`) > 0
	}, progress)
	s.settle(sink, 3*time.Second)
	telemetry := s.scrape()
	collector.Stop()

	tally := sink.Count(corpus.EventIDs)
	s.setTally(tally)
	injected := proxy.Injected()
	transient := telemetry.Sum("otelcol_receiver_cloudtrails3_objects_failed", `reason="s3_error"`)
	s.note("%d S3 requests; injected: 500×%d, SlowDown×%d, reset×%d, stall×%d; objects failed with s3_error (retried) %.0f",
		proxy.Requests(), injected[InternalError], injected[SlowDown], injected[ResetMidBody], injected[StallMidBody], transient)

	for _, f := range []Fault{InternalError, SlowDown, ResetMidBody, StallMidBody} {
		if injected[f] == 0 {
			t.Errorf("%s was never injected", f)
		}
	}
	if tally.Lost != 0 {
		t.Errorf("%d records lost: %s", tally.Lost, tally)
	}
	if tally.Duplicated != 0 {
		t.Errorf("%d records duplicated: %s", tally.Duplicated, tally)
	}
	for _, reason := range []string{"corrupt", "too_large", "missing", "given_up", "access_denied", "refused"} {
		if n := telemetry.Sum("otelcol_receiver_cloudtrails3_objects_failed", `reason="`+reason+`"`); n != 0 {
			t.Errorf("%.0f objects failed with reason %s: a transient S3 fault must not skip a file (collector log: build/faults/logs/%s.log)", n, reason, t.Name())
		}
	}
	if processed := telemetry.Sum("otelcol_receiver_cloudtrails3_objects_processed"); int(processed) != sc.S3FaultFiles {
		t.Errorf("objects processed %.0f, want %d", processed, sc.S3FaultFiles)
	}
}
