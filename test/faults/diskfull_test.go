// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDiskFull puts the collector's file_storage directory (the receiver's position and the exporter's persistent
// sending queue) on a small tmpfs while the Logz.io listener is down, so that the queue fills the disk and writes fail
// with ENOSPC (enqueue and checkpoint failures); then the disk grows and the listener recovers. A record the
// pipeline accepted must never be lost: the receiver retries what could not be enqueued and does not mark its object
// done, so 0 lost; duplicates (objects read again) are allowed and stated in the row.
func TestDiskFull(t *testing.T) {
	s := startScenario(t, "disk full")
	sc := s.scale
	s.row.Scenario = "disk full: file_storage on a " + sc.DiskFullSize + " tmpfs, " + itoa(sc.DiskFullFiles) + " files, listener refusing 70% until ENOSPC, then grown to 64m"
	if os.Geteuid() != 0 {
		s.row.Outcome = "skipped: needs root (mount -t tmpfs)"
		t.Skip("TestDiskFull mounts a tmpfs as the collector's storage directory and needs root; run `go test ./test/faults -run TestDiskFull` as root (CI runs as root)")
	}
	storage := filepath.Join(s.dir, "storage") // the directory startCollector gives file_storage
	if err := os.MkdirAll(storage, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+sc.DiskFullSize, "tmpfs", storage).CombinedOutput(); err != nil {
		s.row.Outcome = "skipped: mount -t tmpfs failed"
		t.Skipf("TestDiskFull needs to mount a tmpfs (root with CAP_SYS_ADMIN; in a container run it with --privileged or --cap-add SYS_ADMIN): mount -t tmpfs %s: %v: %s",
			storage, err, strings.TrimSpace(string(out)))
	}
	// Registered after startScenario's cleanup, so it runs before it; the collector (killed by its own cleanup,
	// registered later) is gone by then. Lazy, so that nothing left open keeps the mount.
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", storage).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", storage, err, out)
		}
	})

	server, client, bucket := s.s3()
	first := time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Hour)
	corpus := NewCorpus()
	corpus.AddFiles(t, 11, sc.DiskFullFiles, sc.RecordsPerFile, first, time.Minute)
	corpus.Upload(s.ctx, t, client, bucket, 0)
	s.row.Sent = len(corpus.EventIDs)

	// The listener refuses 70% of the requests: the persistent queue grows until the disk is full while it still
	// drains, so enqueues, dispatches, removals of sent items and the receiver's position all meet ENOSPC.
	sink := NewSink(t, s.secrets.LogsToken)
	sink.SetPlan(RandomFailures(3, 0.7, http.StatusServiceUnavailable))
	cfg := PipelineConfig{
		S3Endpoint:      server.Endpoint,
		Bucket:          bucket,
		StartTime:       first.Add(-time.Hour),
		SinkURL:         sink.URL,
		Workers:         4,
		NumConsumers:    4,
		BatchMaxRecords: 1000,
		LogLevel:        "info",
		PersistentQueue: true, // the disk holds the queue too: what this scenario is about
	}
	collector := s.startCollector(cfg)
	progress := func() { s.setTally(sink.Count(corpus.EventIDs)) }

	var telemetry Telemetry
	s.waitFor("enqueue and checkpoint failures (ENOSPC)", 200*time.Millisecond, func() bool {
		telemetry = s.scrape()
		return telemetry.Sum("otelcol_exporter_enqueue_failed_log_records") > 0 &&
			telemetry.Sum("otelcol_receiver_cloudtrails3_checkpoint_failed") > 0
	}, progress)
	enqueueFailed := telemetry.Sum("otelcol_exporter_enqueue_failed_log_records")
	checkpointFailed := telemetry.Sum("otelcol_receiver_cloudtrails3_checkpoint_failed")
	t.Logf("disk full: %.0f records failed to enqueue, %.0f checkpoint writes failed, %d records received so far", enqueueFailed, checkpointFailed, sink.Unique())

	// The operator grows the disk; the listener recovers.
	sink.SetPlan(nil)
	if out, err := exec.Command("mount", "-o", "remount,size=64m", storage).CombinedOutput(); err != nil {
		t.Fatalf("mount -o remount,size=64m %s: %v: %s", storage, err, out)
	}
	s.waitFor("every record after the disk grew", 200*time.Millisecond, func() bool { return sink.HasAll(corpus.EventIDs) }, progress)
	s.settle(sink, 3*time.Second)
	telemetry = s.scrape()
	collector.Stop()
	beforeRestart := sink.Count(corpus.EventIDs)

	// A restart reads what the disk-full episode left in the storage: nothing may be missing, little sent again.
	collector.Start(s.ctx)
	s.settle(sink, 3*time.Second)
	collector.Stop()

	tally := sink.Count(corpus.EventIDs)
	s.setTally(tally)
	refused := telemetry.Sum("otelcol_receiver_cloudtrails3_objects_failed", `reason="refused"`)
	s.note("during ENOSPC: %.0f records failed to enqueue, %.0f checkpoint writes failed; objects processed %.0f, refused %.0f; duplicates %d before the restart, %d after; %d requests (%s)",
		enqueueFailed, checkpointFailed, telemetry.Sum("otelcol_receiver_cloudtrails3_objects_processed"), refused,
		beforeRestart.Duplicated, tally.Duplicated-beforeRestart.Duplicated, sink.Requests(), StatusSummary(sink.Answers()))
	if refused != 0 {
		t.Errorf("%.0f objects counted as refused: a batch the exporter could not queue must be retried, not dropped", refused)
	}
	if tally.Lost != 0 {
		t.Errorf("%d records lost across the disk-full episode: %s", tally.Lost, tally)
	}
	if tally.Unexpected != 0 || tally.WithoutEventID != 0 {
		t.Errorf("documents that were never sent arrived: %s", tally)
	}
}
