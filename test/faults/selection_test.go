// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults

import (
	"crypto/sha256"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// selectionSeed is the seed of the bucket both read-only scenarios read. cloudtrailtest is deterministic for a seed (the
// eventIDs do not depend on the file times), so both scenarios expect the very same set of records at the sink.
const selectionSeed = 11

// TestEventSelectionExcludeReadOnly ships a bucket of generated CloudTrail files (about 40% of the records
// read-only) through the receiver's event_selection `exclude: [{read_only: true}]`. Exactly the records whose
// readOnly is not true must reach Logz.io, once each, and records_dropped{reason="excluded"} must count every
// read-only record, per account and region.
func TestEventSelectionExcludeReadOnly(t *testing.T) {
	s := startScenario(t, "event_selection exclude read_only")
	run := s.shipWithoutReadOnly(PipelineConfig{EventSelection: "exclude: [{read_only: true}]"})

	dropped := run.telemetry.Sum("otelcol_receiver_cloudtrails3_records_dropped", `reason="excluded"`)
	s.note("records_dropped{excluded} %.0f", dropped)
	if int(dropped) != len(run.corpus.ReadOnly) {
		t.Errorf("records_dropped{reason=\"excluded\"} is %.0f, want %d (the read-only records)", dropped, len(run.corpus.ReadOnly))
	}
	perFolder := map[Folder]int{}
	for _, folder := range run.corpus.ReadOnly {
		perFolder[folder]++
	}
	for _, folder := range DefaultFolders {
		got := run.telemetry.Sum("otelcol_receiver_cloudtrails3_records_dropped", `reason="excluded"`,
			`cloud_account_id="`+folder.Account+`"`, `cloud_region="`+folder.Region+`"`)
		if int(got) != perFolder[folder] {
			t.Errorf("records_dropped{excluded} for %s/%s is %.0f, want %d", folder.Account, folder.Region, got, perFolder[folder])
		}
	}
}

// TestFilterProcessorReadOnly ships the same bucket without event_selection, through the contrib filter processor
// with the OTTL condition body["readOnly"] == true: the sink must receive exactly the same records as with
// event_selection, the receiver drops nothing itself and the filter counts every read-only record.
func TestFilterProcessorReadOnly(t *testing.T) {
	s := startScenario(t, "filter processor drops read-only")
	requireProcessor(t, "filter")
	run := s.shipWithoutReadOnly(PipelineConfig{FilterReadOnly: true})

	if dropped := run.telemetry.Sum("otelcol_receiver_cloudtrails3_records_dropped"); dropped != 0 {
		t.Errorf("the receiver dropped %.0f records although no event_selection is configured", dropped)
	}
	filtered := run.telemetry.Sum("otelcol_processor_filter_logs_filtered")
	s.note("filter logs.filtered %.0f", filtered)
	if int(filtered) != len(run.corpus.ReadOnly) {
		t.Errorf("the filter processor dropped %.0f logs, want %d (the read-only records)", filtered, len(run.corpus.ReadOnly))
	}
}

// selectionRun is what shipWithoutReadOnly leaves for the scenario's own checks.
type selectionRun struct {
	corpus    *Corpus
	telemetry Telemetry
}

// shipWithoutReadOnly puts SelectionFiles generated files into a moto bucket, runs the collector with cfg (S3 and
// sink filled in) until every record that is not read-only arrived and every object was processed, lets a few
// quiet seconds pass for stragglers, and checks that the sink received exactly those records: none lost, none
// twice, no read-only record, nothing else.
func (s *scenario) shipWithoutReadOnly(cfg PipelineConfig) selectionRun {
	t, sc := s.t, s.scale
	t.Helper()
	server, client, bucket := s.s3()

	first := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Hour)
	corpus := NewCorpus()
	corpus.AddFiles(t, selectionSeed, sc.SelectionFiles, sc.RecordsPerFile, first, time.Minute)
	kept, readOnly := corpus.NotReadOnly(), corpus.ReadOnlyIDs()
	if len(readOnly) == 0 || len(kept) == 0 {
		t.Fatalf("the generated bucket must mix read-only and other records: %d read-only of %d", len(readOnly), len(corpus.EventIDs))
	}
	corpus.Upload(s.ctx, t, client, bucket, 0)
	s.row.Sent = len(kept)
	s.note("%d files, %d records, %d read-only, %d to ship (set %s)", len(corpus.Objects), len(corpus.EventIDs),
		len(readOnly), len(kept), fingerprint(kept))

	sink := NewSink(t, s.secrets.LogsToken)
	cfg.S3Endpoint = server.Endpoint
	cfg.Bucket = bucket
	cfg.StartTime = first.Add(-time.Hour)
	cfg.SinkURL = sink.URL
	collector := s.startCollector(cfg)

	progress := func() { s.setTally(sink.Count(kept)) }
	// Done when the receiver finished every object (it counts dropped records before it counts the object
	// processed) and every expected record arrived. Once every object was read, records that still have not
	// arrived after a long quiet spell at the sink will not come: stop waiting then, and let the checks below say
	// which are missing, instead of waiting for the scenario's deadline.
	const giveUpQuiet = 20 * time.Second
	var (
		lastScrape   time.Time
		allRead      bool
		lastRequests int
		quietSince   time.Time
	)
	s.waitFor("every object processed and every record that is not read-only", 200*time.Millisecond, func() bool {
		if !allRead {
			if time.Since(lastScrape) < time.Second {
				return false
			}
			lastScrape = time.Now()
			if int(s.scrape().Sum("otelcol_receiver_cloudtrails3_objects_processed")) < len(corpus.Objects) {
				return false
			}
			allRead, lastRequests, quietSince = true, sink.Requests(), time.Now()
		}
		if sink.HasAll(kept) {
			return true
		}
		if n := sink.Requests(); n != lastRequests {
			lastRequests, quietSince = n, time.Now()
		}
		return time.Since(quietSince) >= giveUpQuiet
	}, progress)
	s.settle(sink, 3*time.Second)
	telemetry := s.scrape()
	collector.Stop()

	tally := sink.Count(kept)
	s.setTally(tally)
	if tally.Lost != 0 {
		t.Errorf("%d records that are not read-only did not arrive: %s", tally.Lost, tally)
	}
	if tally.Duplicated != 0 {
		t.Errorf("%d records arrived more than once: %s", tally.Duplicated, tally)
	}
	if ro := sink.Count(readOnly); ro.Received != 0 {
		t.Errorf("%d read-only records arrived (%d documents), want none", ro.Received, ro.Received+ro.Duplicated)
	}
	if tally.Unexpected != 0 || tally.WithoutEventID != 0 || tally.BadBodies != 0 {
		t.Errorf("documents other than the expected records arrived: %s", tally)
	}
	if tally.Documents != len(kept) {
		t.Errorf("the sink ingested %d documents, want exactly %d: %s", tally.Documents, len(kept), tally)
	}
	if processed := telemetry.Sum("otelcol_receiver_cloudtrails3_objects_processed"); int(processed) != len(corpus.Objects) {
		t.Errorf("objects processed %.0f, want %d", processed, len(corpus.Objects))
	}
	if failed := telemetry.Sum("otelcol_receiver_cloudtrails3_objects_failed"); failed != 0 {
		t.Errorf("%.0f objects failed (collector log: build/faults/logs/%s.log)", failed, t.Name())
	}
	return selectionRun{corpus: corpus, telemetry: telemetry}
}

// requireProcessor fails the test when the binary under test does not list the processor (a stale build).
func requireProcessor(t *testing.T, name string) {
	t.Helper()
	bin := FindBinary(t)
	out, err := exec.Command(bin, "components").Output()
	if err != nil {
		t.Fatalf("%s components: %v", bin, err)
	}
	// The listing is YAML: a top-level "processors:" key, then "    - name: <type>" entries.
	var inProcessors bool
	for line := range strings.SplitSeq(string(out), "\n") {
		if line != "" && line[0] != ' ' {
			inProcessors = strings.HasPrefix(line, "processors:")
			continue
		}
		if inProcessors && strings.TrimSpace(line) == "- name: "+name {
			return
		}
	}
	t.Fatalf("%s has no %s processor: rebuild it with `make build`", bin, name)
}

// fingerprint is a short hash of a set of eventIDs, so that the table shows two scenarios shipped the same set.
func fingerprint(ids map[string]struct{}) string {
	sorted := make([]string, 0, len(ids))
	for id := range ids {
		sorted = append(sorted, id)
	}
	slices.Sort(sorted)
	h := sha256.New()
	for _, id := range sorted {
		fmt.Fprintln(h, id)
	}
	return fmt.Sprintf("%x", h.Sum(nil)[:6])
}
