// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults

import (
	"slices"
	"testing"
	"time"
)

// TestCrash kills the collector with SIGKILL at random moments while it ingests CloudTrail files from S3 through the
// shipped config's exporter queue (in memory, each batch's result awaited), restarting it each time. Nothing may be
// lost (an object counts as read only after Logz.io accepted its records); duplicates are bounded by what can be in
// flight at a kill: the objects being read or waiting for the listener's answer whose position was not stored yet
// (max_objects_in_flight × records per file).
func TestCrash(t *testing.T) {
	s := startScenario(t, "crash (kill -9)")
	sc := s.scale
	s.row.Scenario = "crash: kill -9 ×" + itoa(sc.CrashKills) + " while ingesting " + itoa(sc.CrashFiles) + " files"
	server, client, bucket := s.s3()

	first := time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Hour)
	corpus := NewCorpus()
	corpus.AddFiles(t, 1, sc.CrashFiles, sc.RecordsPerFile, first, time.Minute)
	corpus.Upload(s.ctx, t, client, bucket, 0)
	s.row.Sent = len(corpus.EventIDs)

	sink := NewSink(t, s.secrets.LogsToken)
	cfg := PipelineConfig{
		S3Endpoint:      server.Endpoint,
		Bucket:          bucket,
		StartTime:       first.Add(-time.Hour),
		SinkURL:         sink.URL,
		Workers:         4,
		NumConsumers:    4,
		BatchMaxRecords: 1000,
		LogLevel:        "info",
	}
	collector := s.startCollector(cfg)
	progress := func() { s.setTally(sink.Count(corpus.EventIDs)) }

	// Kill at random points of the ingestion (fractions of the records received), so every kill hits a collector
	// with work in flight whatever the machine's speed.
	total := len(corpus.EventIDs)
	fractions := make([]float64, sc.CrashKills)
	for i := range fractions {
		fractions[i] = 0.05 + 0.85*s.rng.Float64()
	}
	slices.Sort(fractions)
	for i, f := range fractions {
		threshold := int(f * float64(total))
		s.waitFor("records before kill "+itoa(i+1), 10*time.Millisecond, func() bool { return sink.Unique() >= threshold }, progress)
		s.sleep(time.Duration(s.rng.IntN(300)) * time.Millisecond)
		collector.Kill()
		collector.Start(s.ctx)
	}
	s.waitFor("every record", 200*time.Millisecond, func() bool { return sink.HasAll(corpus.EventIDs) }, progress)
	s.settle(sink, 3*time.Second)
	telemetry := s.scrape()
	collector.Stop()

	tally := sink.Count(corpus.EventIDs)
	s.setTally(tally)
	// In flight at a kill, with the receiver awaiting each batch's result (the shipped config): only the objects being
	// read or waiting for the listener's answer (max_objects_in_flight) can have records delivered while their
	// position is not stored yet; everything the queue holds belongs to those objects.
	inFlight := cfg.withDefaults().MaxObjectsInFlight
	inFlightPerKill := inFlight * sc.RecordsPerFile
	bound := collector.Kills() * inFlightPerKill
	s.note("%d kills; duplicate bound %d (%d per kill: %d objects in flight × %d records; the queue only holds records of those objects); %d requests (%s)",
		collector.Kills(), bound, inFlightPerKill, inFlight, sc.RecordsPerFile,
		sink.Requests(), StatusSummary(sink.Answers()))
	s.note("objects processed after the last restart %.0f", telemetry.Sum("otelcol_receiver_cloudtrails3_objects_processed"))

	if collector.Kills() < sc.CrashKills {
		t.Errorf("only %d kills, want %d", collector.Kills(), sc.CrashKills)
	}
	if tally.Lost != 0 {
		t.Errorf("%d records lost: %s", tally.Lost, tally)
	}
	if tally.Duplicated > bound {
		t.Errorf("%d duplicates, more than the %d that can be in flight at %d kills: %s", tally.Duplicated, bound, collector.Kills(), tally)
	}
	if tally.Unexpected != 0 || tally.WithoutEventID != 0 {
		t.Errorf("documents that were never sent arrived: %s", tally)
	}
}
