// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults

import (
	"net/http"
	"testing"
	"time"
)

// TestListenerOutage makes the Logz.io listener fail while CloudTrail files keep arriving: 503 with Retry-After,
// 503 without it, 50% random 503, then 429 bursts; then it recovers. The sink never ingests a failed request, so
// nothing may be lost and nothing duplicated.
func TestListenerOutage(t *testing.T) {
	s := startScenario(t, "listener outage")
	sc := s.scale
	s.row.Scenario = "listener: 503 (Retry-After / none) " + sc.Outage.String() + " each, 50% 503 " + sc.RandomFailures.String() + ", 429 bursts " + sc.Bursts.String()
	server, client, bucket := s.s3()
	sink := NewSink(t, s.secrets.LogsToken)

	first := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Hour)
	cfg := PipelineConfig{
		S3Endpoint: server.Endpoint,
		Bucket:     bucket,
		StartTime:  first.Add(-time.Hour),
		SinkURL:    sink.URL,
		// A smaller batch gives more requests, so more of them meet the faults.
		BatchMaxRecords: 200,
	}
	if sc.Name == "full" {
		cfg.RetryInitial, cfg.RetryMax = 5*time.Second, 30*time.Second // the exporter's defaults
	}
	collector := s.startCollector(cfg)

	corpus := NewCorpus()
	phases := []struct {
		name     string
		plan     FailurePlan
		duration time.Duration
	}{
		{"503 with Retry-After: 3", Outage(http.StatusServiceUnavailable, "3"), sc.Outage},
		{"503 without Retry-After", Outage(http.StatusServiceUnavailable, ""), sc.Outage},
		{"50% random 503", RandomFailures(42, 0.5, http.StatusServiceUnavailable), sc.RandomFailures},
		{"429 bursts (3 of every 5 requests, Retry-After: 1)", Bursts(5, 3, http.StatusTooManyRequests, "1"), sc.Bursts},
	}
	const chunks = 5
	for i, phase := range phases {
		t.Logf("phase %d: %s for %s", i+1, phase.name, phase.duration)
		sink.SetPlan(phase.plan)
		// Files keep arriving during the phase, so there is always data waiting for the listener.
		for c := range chunks {
			from := len(corpus.Objects)
			at := first.Add(time.Duration(i*chunks+c) * time.Hour)
			corpus.AddFiles(t, int64(100+i*chunks+c), sc.OutageFiles/chunks, sc.RecordsPerFile, at, time.Minute)
			corpus.Upload(s.ctx, t, client, bucket, from)
			s.sleep(phase.duration / chunks)
		}
	}
	sink.SetPlan(nil)
	s.row.Sent = len(corpus.EventIDs)
	progress := func() { s.setTally(sink.Count(corpus.EventIDs)) }
	s.waitFor("every record after the listener recovered", 200*time.Millisecond, func() bool { return sink.HasAll(corpus.EventIDs) }, progress)
	s.settle(sink, 3*time.Second)
	telemetry := s.scrape()
	collector.Stop()

	tally := sink.Count(corpus.EventIDs)
	s.setTally(tally)
	answers := sink.Answers()
	s.note("%d requests (%s); exporter send failures %.0f", sink.Requests(), StatusSummary(answers),
		telemetry.Sum("otelcol_exporter_send_failed_log_records"))
	if answers[http.StatusServiceUnavailable] == 0 || answers[http.StatusTooManyRequests] == 0 {
		t.Errorf("the faults were not exercised: answers %s", StatusSummary(answers))
	}
	if tally.Lost != 0 {
		t.Errorf("%d records lost: %s", tally.Lost, tally)
	}
	if tally.Duplicated != 0 {
		t.Errorf("%d records duplicated although the sink never ingested a failed request: %s", tally.Duplicated, tally)
	}
	if tally.Unexpected != 0 || tally.WithoutEventID != 0 {
		t.Errorf("documents that were never sent arrived: %s", tally)
	}
}
