// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package scaleout

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"
)

// deployment is N replicas of the real binary shipping to one Logz.io stand-in.
type deployment struct {
	t        *testing.T
	ctx      context.Context
	dir      string
	secrets  faults.Secrets
	sink     *faults.Sink
	replicas []*faults.Collector
	started  time.Time
}

func newDeployment(t *testing.T, deadline time.Duration) *deployment {
	t.Helper()
	faults.FindBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	t.Cleanup(cancel)
	secrets := faults.NewSecrets()
	return &deployment{t: t, ctx: ctx, dir: t.TempDir(), secrets: secrets, sink: faults.NewSink(t, secrets.LogsToken)}
}

// start runs n replicas one after the other, each with its own ports and storage; configure fills in the rest.
// Every replica runs the fault suite's pipeline (the distribution's default one with short intervals).
func (d *deployment) start(n int, configure func(index int, cfg *faults.PipelineConfig)) {
	d.t.Helper()
	d.started = time.Now()
	for i := range n {
		ports := faults.FreePorts(d.t, 2)
		dir := filepath.Join(d.dir, fmt.Sprintf("replica-%d", i))
		cfg := faults.PipelineConfig{
			Ports:      faults.CollectorPorts{Health: ports[0], Metrics: ports[1]},
			StorageDir: filepath.Join(dir, "storage"),
			Secrets:    d.secrets,
			SinkURL:    d.sink.URL,
			LogLevel:   "info",
		}
		configure(i, &cfg)
		yaml, err := cfg.Render()
		if err != nil {
			d.t.Fatalf("rendering replica %d's config: %v", i, err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			d.t.Fatal(err)
		}
		collector := faults.NewCollector(d.t, dir, yaml, cfg.Ports)
		collector.Start(d.ctx)
		d.replicas = append(d.replicas, collector)
	}
}

// waitForAll waits until every expected eventID arrived, failing at the deadline or when a replica dies, and returns
// the time from the first replica's start.
func (d *deployment) waitForAll(expected map[string]struct{}) time.Duration {
	d.t.Helper()
	for !d.sink.HasAll(expected) {
		select {
		case <-d.ctx.Done():
			d.t.Fatalf("deadline reached: %s", d.sink.Count(expected))
		case <-time.After(50 * time.Millisecond):
		}
		for i, r := range d.replicas {
			if !r.Running() {
				d.t.Fatalf("replica %d died:\n%s", i, r.LogTail(4000))
			}
		}
	}
	return time.Since(d.started)
}

// settle waits until the sink has seen no request for quiet, so that late duplicates are counted.
func (d *deployment) settle(quiet time.Duration) {
	last, since := d.sink.Requests(), time.Now()
	for time.Since(since) < quiet && d.ctx.Err() == nil {
		time.Sleep(100 * time.Millisecond)
		if n := d.sink.Requests(); n != last {
			last, since = n, time.Now()
		}
	}
}

// scrape reads every replica's own telemetry, checking it for secrets.
func (d *deployment) scrape() []faults.Telemetry {
	d.t.Helper()
	scrapes := make([]faults.Telemetry, len(d.replicas))
	for i, r := range d.replicas {
		text, err := r.ScrapeMetrics(d.ctx)
		if err != nil {
			d.t.Fatalf("replica %d: %v", i, err)
		}
		d.secrets.AssertNotLeaked(d.t, fmt.Sprintf("replica %d's telemetry", i), text)
		scrapes[i] = faults.Telemetry(text)
	}
	return scrapes
}

// sum is the metric summed over every replica's scrape (with the given label="value" filters), and per replica.
func sum(scrapes []faults.Telemetry, metric string, labels ...string) (int, []int) {
	total, each := 0, make([]int, len(scrapes))
	for i, s := range scrapes {
		each[i] = int(s.Sum(metric, labels...))
		total += each[i]
	}
	return total, each
}

// cpu is the CPU time every replica used so far, together.
func (d *deployment) cpu() time.Duration {
	var total time.Duration
	for _, r := range d.replicas {
		total += r.CPUTime()
	}
	return total
}

// stop shuts every replica down (SIGTERM) and checks their logs for secrets.
func (d *deployment) stop() {
	d.t.Helper()
	for i, r := range d.replicas {
		r.Stop()
		d.secrets.AssertNotLeaked(d.t, fmt.Sprintf("replica %d's log", i), string(r.Logs()))
	}
}

// requireExactlyOnce fails unless every expected record arrived once and nothing else arrived.
func (d *deployment) requireExactlyOnce(expected map[string]struct{}) faults.Tally {
	d.t.Helper()
	tally := d.sink.Count(expected)
	if tally.Lost != 0 || tally.Duplicated != 0 || tally.Unexpected != 0 || tally.WithoutEventID != 0 || tally.BadBodies != 0 {
		d.t.Errorf("not exactly once: %s", tally)
	}
	return tally
}

// throughput is what one run delivered, per second from the first replica's start.
type throughput struct {
	replicas, objects, records int
	elapsed                    time.Duration
	perReplica                 []int
	// cpu is the replicas' CPU time together (start-up included), for records per collector CPU-second.
	cpu time.Duration
}

func (r throughput) String() string {
	return fmt.Sprintf("replicas=%d objects=%d records=%d elapsed=%s objects/s=%.1f records/s=%.0f objects per replica=%v collector CPU=%s (%.0f records per collector CPU-second)",
		r.replicas, r.objects, r.records, r.elapsed.Round(time.Millisecond),
		float64(r.objects)/r.elapsed.Seconds(), float64(r.records)/r.elapsed.Seconds(), r.perReplica,
		r.cpu.Round(10*time.Millisecond), float64(r.records)/r.cpu.Seconds())
}

// corpus is objects CloudTrail files of records records each, spread over folders, delivered a minute apart.
func corpus(t *testing.T, folders []faults.Folder, objects, records int) (*faults.Corpus, time.Time) {
	t.Helper()
	first := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Hour)
	c := faults.NewCorpus()
	c.AddFilesOver(t, folders, 1, objects, records, first, time.Minute)
	return c, first
}
