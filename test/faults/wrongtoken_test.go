// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults

import (
	"strings"
	"testing"
	"time"
)

// TestWrongTokenThenFixed: the collector runs with a wrong Logz.io token (the listener answers 401 to everything)
// while files keep arriving, then restarts with the right one. A configuration error is not a data error: nothing
// may be dropped meanwhile (no object given up as refused), the log says what to fix, and after the fix every record
// arrives exactly once: nothing was accepted before the fix, so nothing can arrive twice.
func TestWrongTokenThenFixed(t *testing.T) {
	s := startScenario(t, "wrong token, then fixed")
	sc := s.scale
	s.row.Scenario = "wrong token for " + sc.WrongToken.String() + ", then a restart with the right one"
	server, client, bucket := s.s3()
	first := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Hour)
	corpus := NewCorpus()
	corpus.AddFiles(t, 21, sc.GoodFilesAround, sc.RecordsPerFile, first, time.Minute)
	corpus.Upload(s.ctx, t, client, bucket, 0)

	sink := NewSink(t, s.secrets.LogsToken)
	cfg := PipelineConfig{S3Endpoint: server.Endpoint, Bucket: bucket, StartTime: first.Add(-time.Hour), SinkURL: sink.URL, LogLevel: "info"}
	wrong := cfg
	wrong.Secrets = s.secrets
	wrong.Secrets.LogsToken = "not-the-" + s.secrets.LogsToken[:4] + "-token"
	collector := s.startCollector(wrong)
	progress := func() { s.setTally(sink.Count(corpus.EventIDs)) }

	// Files keep arriving while the token is wrong.
	s.sleep(sc.WrongToken / 2)
	corpus.AddFiles(t, 22, sc.GoodFilesAround, sc.RecordsPerFile, first.Add(time.Hour), time.Minute)
	corpus.Upload(s.ctx, t, client, bucket, sc.GoodFilesAround)
	s.sleep(sc.WrongToken / 2)
	telemetry := s.scrape()
	refusedAnswers := sink.Answers()[401]
	logs := string(collector.Logs())
	running := collector.Running()
	collector.Stop()
	if delivered := sink.Unique(); delivered != 0 {
		t.Errorf("%d records were delivered with a wrong token", delivered)
	}
	if refusedAnswers == 0 {
		t.Fatalf("the listener never answered 401: the scenario did not exercise a wrong token")
	}
	if given := telemetry.Sum("otelcol_receiver_cloudtrails3_objects_failed", `reason="refused"`); given != 0 {
		t.Errorf("%.0f objects were given up as refused during the wrong-token period; they must stay unread", given)
	}
	if !strings.Contains(logs, "configuration is fixed") || !strings.Contains(logs, "logs.token") {
		t.Errorf("the log does not tell the operator to fix logs.token")
	}
	if !running {
		t.Errorf("the collector stopped during the wrong-token period")
	}

	collector = s.startCollector(cfg)
	s.waitFor("every record after the token was fixed", 200*time.Millisecond, func() bool { return sink.HasAll(corpus.EventIDs) }, progress)
	s.settle(sink, 3*time.Second)
	collector.Stop()

	tally := sink.Count(corpus.EventIDs)
	s.setTally(tally)
	s.note("%d requests answered 401 during %s with a wrong token; no object given up; after the restart everything arrived", refusedAnswers, sc.WrongToken)
	if tally.Lost != 0 {
		t.Errorf("%d records lost: %s", tally.Lost, tally)
	}
	if tally.Duplicated != 0 {
		t.Errorf("%d duplicates: nothing was accepted before the fix, so nothing should arrive twice: %s", tally.Duplicated, tally)
	}
}
