// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults

import (
	"strings"
	"testing"
	"time"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

// maxBadObjectsRSS bounds the collector's peak RSS while it meets the bad objects (including a 2 GiB gzip bomb
// and a record over 1 MB): the receiver streams objects, so memory must stay far below the bomb's size.
const maxBadObjectsRSS = 512 << 20

// TestBadObjects puts bad objects between good CloudTrail files: corrupt gzip, truncated JSON, a record over 1 MB,
// a 2 GiB gzip bomb, JSON that is not CloudTrail under a trail file name, and a foreign file in the trail folder.
// Each must be skipped and counted, every good file before and after must arrive, and memory must stay bounded.
func TestBadObjects(t *testing.T) {
	s := startScenario(t, "bad objects")
	sc := s.scale
	s.row.Scenario = "bad objects: corrupt gzip, truncated JSON, 1.2 MB record, " + formatBytes(sc.BombBytes) + " gzip bomb, non-CloudTrail JSON"
	server, client, bucket := s.s3()

	first := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Hour)
	corpus := NewCorpus()
	corpus.AddFiles(t, 3, sc.GoodFilesAround, sc.RecordsPerFile, first, time.Minute)

	account, region := DefaultFolders[0].Account, DefaultFolders[0].Region
	badAt := first.Add(2 * time.Hour)
	key := func(minute int, unique string) string {
		return TrailKey(account, region, badAt.Add(time.Duration(minute)*time.Minute), unique)
	}
	goodBody := cloudtrailtest.Body(900, 20, account, region, badAt)
	corpus.Add(key(0, "corruptgzip"), CorruptGzip(gzipBytes(goodBody)))
	corpus.Add(key(1, "truncatedjson"), TruncatedJSON(goodBody))
	var normal [][]byte
	for _, rec := range cloudtrailtest.Records(901, 10, account, region, badAt) {
		if eventIDOf(rec) != "" { // old-format records have no eventID
			normal = append(normal, rec)
		}
	}
	const bigEventID = "faults-oversized-record"
	oversized, normalIDs := OversizedRecordFile(normal, 1_200_000, bigEventID)
	corpus.Add(key(2, "oversizedrecord"), oversized, normalIDs...)
	corpus.Add(key(3, "gzipbomb"), GzipBomb(`{"Records":[`, sc.BombBytes, `]}`))
	corpus.Add(key(4, "notcloudtrail"), gzipBytes([]byte(`{"version":"1.0","items":[{"id":1,"name":"not a trail"}],"Records_count":0}`)))
	corpus.Add("AWSLogs/"+account+"/CloudTrail/"+region+"/"+badAt.Format("2006/01/02")+"/inventory-report.json", []byte(`{"files":["a","b"]}`))
	corpus.AddFiles(t, 4, sc.GoodFilesAround, sc.RecordsPerFile, first.Add(3*time.Hour), time.Minute)
	corpus.Upload(s.ctx, t, client, bucket, 0)
	s.row.Sent = len(corpus.EventIDs) // the big record is accounted for separately below

	sink := NewSink(t, s.secrets.LogsToken)
	var bigDelivered []int // sizes of the oversized record's documents
	sink.Observe(func(doc []byte) {
		if strings.Contains(string(doc), bigEventID) {
			bigDelivered = append(bigDelivered, len(doc))
		}
	})
	collector := s.startCollector(PipelineConfig{
		S3Endpoint: server.Endpoint,
		Bucket:     bucket,
		StartTime:  first.Add(-time.Hour),
		SinkURL:    sink.URL,
	})
	progress := func() { s.setTally(sink.Count(corpus.EventIDs)) }
	s.waitFor("every good record around the bad objects", 200*time.Millisecond, func() bool { return sink.HasAll(corpus.EventIDs) }, progress)
	// The bad objects are read by other workers at the same time; wait until each was counted.
	var telemetry Telemetry
	failed := func(reason string) float64 {
		return telemetry.Sum("otelcol_receiver_cloudtrails3_objects_failed", `reason="`+reason+`"`)
	}
	skipped := func(reason string) float64 {
		return telemetry.Sum("otelcol_receiver_cloudtrails3_objects_skipped", `reason="`+reason+`"`)
	}
	s.waitFor("the bad objects to be counted", 500*time.Millisecond, func() bool {
		telemetry = s.scrape()
		return failed("corrupt")+failed("too_large") >= 4 && skipped("not_trail_log") >= 1
	}, progress)
	s.settle(sink, 2*time.Second)
	telemetry = s.scrape()
	rssAfter := collector.CurrentRSS()
	collector.Stop()

	tally := sink.Count(corpus.EventIDs)
	s.setTally(tally)
	s.note("records of the damaged files decoded before the damage and delivered: %d", tally.Unexpected)
	s.note("objects failed: corrupt %.0f, too_large %.0f; skipped: not_trail_log %.0f; 1.2 MB record: %s; exporter dropped lines %.0f; RSS at the end %s",
		failed("corrupt"), failed("too_large"), skipped("not_trail_log"), bigRecordFate(bigDelivered),
		telemetry.Sum("otelcol_exporter_logzio_dropped_log_lines"), formatBytes(rssAfter))

	if tally.Lost != 0 {
		t.Errorf("%d good records lost: %s", tally.Lost, tally)
	}
	if tally.Duplicated != 0 {
		t.Errorf("%d records duplicated: %s", tally.Duplicated, tally)
	}
	if failed("corrupt") < 3 {
		t.Errorf("objects_failed{reason=corrupt} = %.0f, want 3 (corrupt gzip, truncated JSON, non-CloudTrail JSON)", failed("corrupt"))
	}
	if failed("too_large") < 1 {
		t.Errorf("objects_failed{reason=too_large} = %.0f, want 1 (the gzip bomb)", failed("too_large"))
	}
	if len(bigDelivered) == 0 && telemetry.Sum("otelcol_exporter_logzio_dropped_log_lines") == 0 {
		t.Errorf("the record over 1 MB neither arrived nor was counted as dropped")
	}
	if peak := collector.PeakRSS(); peak > maxBadObjectsRSS {
		t.Errorf("peak RSS %s, above the %s bound", formatBytes(peak), formatBytes(maxBadObjectsRSS))
	}
}

func bigRecordFate(sizes []int) string {
	if len(sizes) == 0 {
		return "not delivered"
	}
	return "delivered as a " + itoa(sizes[0]) + "-byte document" + map[bool]string{true: "", false: " (" + itoa(len(sizes)) + " copies)"}[len(sizes) == 1]
}
