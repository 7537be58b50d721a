// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDamagedStorageFile damages the files file_storage keeps (the receiver's positions, the exporter's queue) while
// the collector is stopped, as a crash mid-write or a full disk can, and starts it again:
//   - with recreate: false the start fails with an error that names the damaged file and the remedy, and leaves the
//     file alone (bbolt itself would panic in a goroutine of its own or die of SIGBUS: a crash loop);
//   - with recreate: true (the shipped config) the file is moved aside, the collector runs, and reading resumes from
//     start_time: nothing is lost, the files read before are sent again (duplicates, stated).
func TestDamagedStorageFile(t *testing.T) {
	s := startScenario(t, "damaged storage file: zeroed pages, truncated")
	sc := s.scale
	server, client, bucket := s.s3()
	first := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Hour)
	corpus := NewCorpus()
	corpus.AddFiles(t, 11, sc.GoodFilesAround, sc.RecordsPerFile, first, time.Minute)
	corpus.Upload(s.ctx, t, client, bucket, 0)

	sink := NewSink(t, s.secrets.LogsToken)
	cfg := PipelineConfig{S3Endpoint: server.Endpoint, Bucket: bucket, StartTime: first.Add(-time.Hour), SinkURL: sink.URL, PersistentQueue: true}
	progress := func() { s.setTally(sink.Count(corpus.EventIDs)) }
	collector := s.startCollector(cfg)
	s.waitFor("the first files", 200*time.Millisecond, func() bool { return sink.HasAll(corpus.EventIDs) }, progress)
	collector.Stop()

	storage := filepath.Join(s.dir, "storage")
	positions := filepath.Join(storage, "receiver_cloudtrails3_")
	queue := filepath.Join(storage, "exporter_logzio__logs")
	for _, f := range []string{positions, queue} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("file_storage has no file %s: %v", f, err)
		}
	}

	// Zeroed pages, recreate: false → a clear error, no panic, the file untouched.
	zeroPagesAfterMeta(t, positions)
	damaged, _ := os.ReadFile(positions)
	out := runExpectingFailure(t, s, cfg)
	for _, want := range []string{positions, "move the file aside", "recreate: true"} {
		if !strings.Contains(out, want) {
			t.Errorf("the failed start does not say %q:\n%s", want, lastLines(out, 20))
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "not a usable bbolt database") {
			t.Logf("refused start: %s", line)
		}
	}
	if strings.Contains(out, "panic") || strings.Contains(out, "SIGBUS") {
		t.Errorf("the collector crashed instead of refusing the file:\n%s", lastLines(out, 30))
	}
	if now, _ := os.ReadFile(positions); string(now) != string(damaged) {
		t.Error("without recreate the damaged file must be left for the operator, but it changed")
	}

	// recreate: true → moved aside; then the queue file truncated → moved aside too. More files arrive meanwhile.
	corpus.AddFiles(t, 12, sc.GoodFilesAround, sc.RecordsPerFile, first.Add(time.Hour), time.Minute)
	corpus.Upload(s.ctx, t, client, bucket, sc.GoodFilesAround)
	collector.Start(s.ctx)
	s.waitFor("every record after the positions were recreated", 200*time.Millisecond, func() bool { return sink.HasAll(corpus.EventIDs) }, progress)
	collector.Stop()
	truncateTo(t, queue, 3*int64(os.Getpagesize()))
	truncateTo(t, positions, 3*int64(os.Getpagesize()))
	collector.Start(s.ctx)
	s.waitFor("the collector reading again after truncated files", 200*time.Millisecond, func() bool {
		return strings.Count(string(collector.Logs()), "moved aside") >= 3
	}, progress)
	s.settle(sink, 3*time.Second)
	collector.Stop()

	tally := sink.Count(corpus.EventIDs)
	s.setTally(tally)
	logs := string(collector.Logs())
	backups, _ := filepath.Glob(filepath.Join(storage, "*.backup"))
	s.note("recreate: false refused the zeroed file with a message naming it; recreate: true moved %d damaged files aside; duplicates are the files read again from start_time after each loss of the positions (2 × %d records at most)",
		len(backups), len(corpus.EventIDs))
	if tally.Lost != 0 {
		t.Errorf("%d records lost: %s", tally.Lost, tally)
	}
	if len(backups) != 3 {
		t.Errorf("%d backups %v, want 3 (zeroed positions, truncated queue, truncated positions)", len(backups), backups)
	}
	for _, f := range []string{positions, queue} {
		if !strings.Contains(logs, f) {
			t.Errorf("the log never names %s", f)
		}
	}
	if tally.Duplicated > 2*len(corpus.EventIDs) {
		t.Errorf("%d duplicates, more than two re-reads of everything: %s", tally.Duplicated, tally)
	}
}

// runExpectingFailure starts the binary with cfg rendered with recreate: false and returns its output; the start
// must fail (the process exits non-zero) within a minute.
func runExpectingFailure(t *testing.T, s *scenario, cfg PipelineConfig) string {
	t.Helper()
	ports := FreePorts(t, 2)
	cfg.Ports = CollectorPorts{Health: ports[0], Metrics: ports[1]}
	cfg.StorageDir = filepath.Join(s.dir, "storage")
	cfg.Secrets = s.secrets
	cfg.KeepDamagedStorage = true
	yaml, err := cfg.Render()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(s.ctx, time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, FindBinary(t), "--config", path).CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the collector kept running on a damaged file:\n%s", lastLines(string(out), 20))
	}
	if err == nil {
		t.Fatalf("the collector exited 0 on a damaged file:\n%s", lastLines(string(out), 20))
	}
	if !s.secrets.AssertNotLeaked(t, "logs", string(out)) {
		s.leaked = true
	}
	return string(out)
}

func zeroPagesAfterMeta(t *testing.T, path string) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	ps := int64(os.Getpagesize())
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(make([]byte, info.Size()-2*ps), 2*ps); err != nil {
		t.Fatal(err)
	}
}

func truncateTo(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
