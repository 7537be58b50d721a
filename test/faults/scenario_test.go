// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
)

// scenario is one fault scenario in progress: its scale, deadline, secrets, collector and table row.
type scenario struct {
	t       *testing.T
	scale   Scale
	ctx     context.Context
	dir     string
	secrets Secrets
	row     Row
	rng     *rand.Rand

	collector *Collector
	// telemetry is the last scrape of the collector's own metrics; scrapes counts them.
	telemetry Telemetry
	scrapes   int
	// leaked is set when a secret marker was found in the logs or the telemetry.
	leaked bool
}

// startScenario prepares a scenario whose row is added to the table when the test ends, whatever the outcome.
func startScenario(t *testing.T, name string) *scenario {
	t.Helper()
	scale, err := CurrentScale()
	if err != nil {
		t.Fatal(err)
	}
	FindBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), scale.Deadline)
	s := &scenario{
		t:       t,
		scale:   scale,
		ctx:     ctx,
		dir:     t.TempDir(), // created before the cleanup below, so removed after it
		secrets: NewSecrets(),
		row:     Row{Scenario: name},
		rng:     rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7)),
	}
	started := time.Now()
	t.Cleanup(func() {
		cancel()
		if s.collector != nil {
			if t.Failed() {
				s.collector.DumpGoroutines() // into the kept log: where it was stuck
			}
			s.collector.kill()
			s.row.PeakRSS = s.collector.PeakRSS()
			logs := s.collector.Logs()
			if !s.secrets.AssertNotLeaked(t, "logs", string(logs)) {
				s.leaked = true
			}
			keepLog(t, logs)
			switch {
			case s.leaked:
				s.row.Secrets = "LEAKED"
			case s.scrapes == 0:
				s.row.Secrets = "logs clean (telemetry not scraped)"
			default:
				s.row.Secrets = "clean"
			}
			if t.Failed() {
				t.Logf("collector log (end):\n%s", s.collector.LogTail(6000))
			}
		}
		s.row.Duration = time.Since(started)
		switch {
		case t.Skipped():
			// the row's outcome says why
		case t.Failed():
			s.row.Outcome = "FAIL"
		default:
			s.row.Outcome = "pass"
		}
		results.Add(s.row)
	})
	return s
}

// note appends to the row's notes.
func (s *scenario) note(format string, args ...any) {
	if s.row.Notes != "" {
		s.row.Notes += "; "
	}
	s.row.Notes += fmt.Sprintf(format, args...)
}

// setTally copies a tally into the row.
func (s *scenario) setTally(tally Tally) {
	s.row.Sent, s.row.Received, s.row.Lost, s.row.Duplicated = tally.Sent, tally.Received, tally.Lost, tally.Duplicated
}

// s3 returns moto's S3 with the scenario's marker credentials (moto accepts any), a client and a new bucket.
func (s *scenario) s3() (*testpeers.S3Server, *s3.Client, string) {
	s.t.Helper()
	moto := testpeers.Moto(s.t)
	server := moto.S3()
	server.AccessKey, server.SecretKey = s.secrets.AWSAccessKey, s.secrets.AWSSecretKey
	client := testpeers.S3Client(s.t, server)
	bucket := testpeers.UniqueName(s.t, "faults")
	testpeers.CreateBucket(s.t, client, bucket)
	return server, client, bucket
}

// startCollector renders cfg (ports, storage and, unless the scenario set them, the secrets filled in) and starts the
// binary.
func (s *scenario) startCollector(cfg PipelineConfig) *Collector {
	s.t.Helper()
	ports := FreePorts(s.t, 2)
	cfg.Ports = CollectorPorts{Health: ports[0], Metrics: ports[1]}
	cfg.StorageDir = filepath.Join(s.dir, "storage")
	if cfg.Secrets == (Secrets{}) { // a scenario may bring its own (a wrong token)
		cfg.Secrets = s.secrets
	}
	yaml, err := cfg.Render()
	if err != nil {
		s.t.Fatalf("rendering the collector config: %v", err)
	}
	s.collector = NewCollector(s.t, s.dir, yaml, cfg.Ports)
	s.collector.Start(s.ctx)
	return s.collector
}

// waitFor polls cond until it holds; at the deadline it fails the scenario, after progress() filled in the row.
func (s *scenario) waitFor(what string, every time.Duration, cond func() bool, progress func()) {
	s.t.Helper()
	for !cond() {
		select {
		case <-s.ctx.Done():
			progress()
			s.t.Fatalf("deadline (%s) reached waiting for %s; partial: sent %d, received %d, lost %d, duplicated %d",
				s.scale.Deadline, what, s.row.Sent, s.row.Received, s.row.Lost, s.row.Duplicated)
		case <-time.After(every):
		}
		if s.collector != nil && !s.collector.Running() {
			progress()
			s.t.Fatalf("the collector died while waiting for %s:\n%s", what, s.collector.LogTail(4000))
		}
	}
}

// settle waits until the sink has seen no new request for quiet (bounded by the deadline), so that late duplicates
// are counted.
func (s *scenario) settle(sink *Sink, quiet time.Duration) {
	s.t.Helper()
	last, since := sink.Requests(), time.Now()
	for time.Since(since) < quiet {
		select {
		case <-s.ctx.Done():
			return
		case <-time.After(200 * time.Millisecond):
		}
		if n := sink.Requests(); n != last {
			last, since = n, time.Now()
		}
	}
}

// scrape reads the collector's own telemetry and checks it for secret markers.
func (s *scenario) scrape() Telemetry {
	s.t.Helper()
	text, err := s.collector.ScrapeMetrics(s.ctx)
	if err != nil {
		s.t.Fatalf("%v", err)
	}
	if !s.secrets.AssertNotLeaked(s.t, "telemetry", text) {
		s.leaked = true
	}
	s.scrapes++
	s.telemetry = Telemetry(text)
	return s.telemetry
}

// sleep waits d or until the deadline.
func (s *scenario) sleep(d time.Duration) {
	select {
	case <-s.ctx.Done():
	case <-time.After(d):
	}
}

// keepLog copies the collector's log to build/faults/logs/<test>.log (git-ignored) for a look after the run.
func keepLog(t *testing.T, logs []byte) {
	root, ok := testpeers.RepoRoot()
	if !ok {
		return
	}
	dir := filepath.Join(root, "build", "faults", "logs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("keeping the collector log: %v", err)
		return
	}
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + ".log"
	if err := os.WriteFile(filepath.Join(dir, name), logs, 0o644); err != nil {
		t.Logf("keeping the collector log: %v", err)
	}
}
