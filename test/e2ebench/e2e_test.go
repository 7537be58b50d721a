// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package e2ebench

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/benchtest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"
)

// shape is one kind of bucket content.
type shape struct {
	name string
	// files returns the number of records of each file to generate.
	files func(rng *rand.Rand) []int
}

var shapes = []shape{
	{"small files (5-200 records, ~100k records)", func(rng *rand.Rand) []int {
		var counts []int
		for total := 0; total < 100_000; {
			n := 5 + rng.IntN(196)
			counts = append(counts, n)
			total += n
		}
		return counts
	}},
	{"large files (20 x 20,000 records)", func(*rand.Rand) []int {
		counts := make([]int, 20)
		for i := range counts {
			counts[i] = 20_000
		}
		return counts
	}},
}

// variant is one collector configuration measured on a shape.
type variant struct {
	name string
	// config renders the configuration; done says when every record has gone through.
	config func(e *env, ports faults.CollectorPorts, storage string) string
	done   func(e *env, c *faults.Collector) bool
	// latency is how long the Logz.io stand-in takes to answer each request.
	latency time.Duration
	// passThrough sets the receiver's pass_through (whatever the shipped config says).
	passThrough *bool
	// gzipLevel, when not 0, sets the logzio exporter's compression_params.level.
	gzipLevel int
}

// distantListener is the answer time of the listener in the latency variant: a collector far from its Logz.io region.
const distantListener = 150 * time.Millisecond

var variants = []variant{
	{name: "receiver alone (debug exporter)", config: receiverAloneConfig, done: receiverDone},
	{name: "receiver alone + pass_through", config: receiverAloneConfig, done: receiverDone, passThrough: &on},
	{name: "shipped config.yaml (logzio exporter, pass_through)", config: shippedConfig, done: allDelivered},
	{name: "shipped config.yaml with pass_through: false", config: shippedConfig, done: allDelivered, passThrough: &off},
	{name: "shipped config.yaml, listener answering after 150 ms", config: shippedConfig, done: allDelivered, latency: distantListener},
	{name: "shipped config.yaml, gzip level 1", config: shippedConfig, done: allDelivered, gzipLevel: 1},
	{name: "README minimal config", config: readmeMinimalConfig, done: allDelivered},
}

var on, off = true, false

// ratios are the rows comparing two variants (indexes into variants): records per CPU-second of the first over the
// second.
var ratios = []struct {
	name        string
	first, over int
}{
	{"shipped ÷ receiver alone + pass_through", 2, 1},
	{"shipped with pass_through: false ÷ receiver alone", 3, 0},
	{"shipped ÷ shipped with pass_through: false", 2, 3},
	{"shipped ÷ receiver alone", 2, 0},
	{"README minimal config ÷ receiver alone", 6, 0},
}

func receiverDone(e *env, c *faults.Collector) bool {
	m, err := c.ScrapeMetrics(context.Background())
	return err == nil && int(faults.Telemetry(m).Sum("otelcol_receiver_cloudtrails3_records_emitted")) >= e.records
}

func allDelivered(e *env, _ *faults.Collector) bool { return e.sink.Unique() >= e.records }

// env is one shape's bucket and stand-in.
type env struct {
	server  *testpeers.S3Server
	bucket  string
	start   time.Time
	records int
	sink    *faults.Sink
	token   string
}

// TestE2EBench measures every variant on every shape and prints one table. Set E2E_BENCH=1 (make bench-e2e).
func TestE2EBench(t *testing.T) {
	if os.Getenv("E2E_BENCH") == "" {
		t.Skip("a measurement of the real binary, several minutes: run make bench-e2e (E2E_BENCH=1)")
	}
	// E2E_ONLY, a regular expression, picks the runs whose "<shape> <variant>" it matches (the whole table by default).
	var only *regexp.Regexp
	if expr := os.Getenv("E2E_ONLY"); expr != "" {
		only = regexp.MustCompile(expr)
	}
	// E2E_REPEAT runs every selected variant that many times (1 by default) and reports the median and the range.
	repeats := 1
	if n := os.Getenv("E2E_REPEAT"); n != "" {
		var err error
		if repeats, err = strconv.Atoi(n); err != nil || repeats < 1 {
			t.Fatalf("E2E_REPEAT=%q: want a whole number of runs, 1 or more", n)
		}
	}
	faults.FindBinary(t)
	server := testpeers.VersityGW(t)
	client := testpeers.S3Client(t, server)
	var rows []string
	for i, sh := range shapes {
		e := &env{server: server, token: "e2e-bench-token"}
		e.bucket = testpeers.UniqueName(t, "e2ebench")
		testpeers.CreateBucket(t, client, e.bucket)
		e.start = time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Hour)
		corpus := faults.NewCorpus()
		rng := rand.New(rand.NewPCG(uint64(i), 42))
		for j, n := range sh.files(rng) {
			// Spread over the suite's folders, one minute apart per folder, all in the past.
			folder := faults.DefaultFolders[j%len(faults.DefaultFolders)]
			at := e.start.Add(time.Duration(j/len(faults.DefaultFolders)) * time.Minute)
			corpus.AddFilesOver(t, []faults.Folder{folder}, int64(i*1_000_000+j), 1, n, at, time.Minute)
		}
		corpus.Upload(context.Background(), t, client, e.bucket, 0)
		e.records = len(corpus.EventIDs)
		t.Logf("%s: %d objects, %d records uploaded", sh.name, len(corpus.Objects), e.records)

		// The variants run in rounds (every selected variant once per round), so that a machine whose speed drifts
		// during the measurement affects them alike; each row is the median round, with the range of the rounds.
		results := make([][]result, len(variants))
		for range repeats {
			for k, v := range variants {
				if only != nil && !only.MatchString(sh.name+" "+v.name) {
					continue
				}
				e.sink = faults.NewSink(t, e.token)
				e.sink.SetLatency(v.latency)
				results[k] = append(results[k], run(t, e, v))
			}
		}
		for k, v := range variants {
			if len(results[k]) == 0 {
				continue
			}
			rows = append(rows, row(sh.name, v.name, e.records, results[k]))
		}
		for _, r := range ratios {
			if len(results[r.over]) == 0 || len(results[r.first]) == 0 {
				continue
			}
			ratio := median(results[r.over]).cpu.Seconds() / median(results[r.first]).cpu.Seconds()
			rows = append(rows, fmt.Sprintf("| %s | %s (records per CPU-second, medians) | | | | | %.2f | | | |", sh.name, r.name, ratio))
		}
	}
	table := "| shape | variant | records | wall s | records/s wall | collector CPU s | records per CPU-second | peak RSS MiB | stand-in CPU s | wire bytes per record |\n|---|---|---|---|---|---|---|---|---|---|\n" +
		strings.Join(rows, "\n")
	t.Log("\n" + table)
	if root, ok := testpeers.RepoRoot(); ok {
		out := filepath.Join(root, "build", "bench-e2e.md")
		_ = os.MkdirAll(filepath.Dir(out), 0o755)
		_ = os.WriteFile(out, []byte(table+"\n"), 0o644)
	}
}

type result struct {
	wall, cpu time.Duration
	peakRSS   int64
	// benchCPU is the CPU time of this test process during the run: the Logz.io stand-in, mostly, on the cores the
	// collector uses.
	benchCPU time.Duration
	// wireBytes is what the stand-in received, as sent (gzip), including requests answered with an error.
	wireBytes int64
}

// median returns the run with the median collector CPU time (the lower middle one of an even count).
func median(runs []result) result {
	sorted := slices.Clone(runs)
	slices.SortFunc(sorted, func(a, b result) int { return cmp.Compare(a.cpu, b.cpu) })
	return sorted[(len(sorted)-1)/2]
}

// row formats a variant's runs: the median run's figures, with the range of records per CPU-second and the highest
// peak RSS when there are several runs.
func row(shape, variant string, records int, runs []result) string {
	m := median(runs)
	perCPU := func(r result) float64 { return float64(records) / r.cpu.Seconds() }
	rate := fmt.Sprintf("%.0f", perCPU(m))
	peak := m.peakRSS
	if len(runs) > 1 {
		lo, hi := perCPU(runs[0]), perCPU(runs[0])
		for _, r := range runs {
			lo, hi = min(lo, perCPU(r)), max(hi, perCPU(r))
			peak = max(peak, r.peakRSS)
		}
		rate += fmt.Sprintf(" (%.0f–%.0f, %d runs)", lo, hi, len(runs))
	}
	wire := "" // the receiver alone sends nothing
	if m.wireBytes > 0 {
		wire = fmt.Sprintf("%.0f", float64(m.wireBytes)/float64(records))
	}
	return fmt.Sprintf("| %s | %s | %d | %.1f | %.0f | %.1f | %s | %d | %.1f | %s |", shape, variant, records,
		m.wall.Seconds(), float64(records)/m.wall.Seconds(), m.cpu.Seconds(), rate, peak>>20, m.benchCPU.Seconds(), wire)
}

// run starts the collector with a fresh storage directory, waits until every record went through, and measures.
func run(t *testing.T, e *env, v variant) result {
	t.Helper()
	dir := t.TempDir()
	ports := faults.FreePorts(t, 4)
	cports := faults.CollectorPorts{Health: ports[0], Metrics: ports[1]}
	t.Setenv("OTLP_GRPC_ENDPOINT", "127.0.0.1:"+strconv.Itoa(ports[2]))
	t.Setenv("OTLP_HTTP_ENDPOINT", "127.0.0.1:"+strconv.Itoa(ports[3]))
	config := v.config(e, cports, filepath.Join(dir, "storage"))
	if v.passThrough != nil {
		config = set(config, map[string]any{"receivers": map[string]any{"cloudtrails3": map[string]any{"pass_through": *v.passThrough}}})
	}
	if v.gzipLevel != 0 {
		config = set(config, map[string]any{"exporters": map[string]any{"logzio": map[string]any{"compression_params": map[string]any{"level": v.gzipLevel}}}})
	}
	c := faults.NewCollector(t, dir, config, cports)
	benchStarted := benchtest.ProcessCPUTime()
	started := time.Now()
	c.Start(context.Background())
	deadline := time.Now().Add(20 * time.Minute)
	for !v.done(e, c) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not every record went through in 20 minutes; log:\n%s", v.name, c.LogTail(4000))
		}
		time.Sleep(100 * time.Millisecond)
	}
	r := result{wall: time.Since(started), cpu: c.CPUTime(), benchCPU: benchtest.ProcessCPUTime() - benchStarted, wireBytes: e.sink.WireBytes()}
	c.Stop()
	r.peakRSS = c.PeakRSS()
	return r
}

// receiverSettings points the cloudtrails3 receiver at the local S3 server.
func receiverSettings(e *env) map[string]any {
	return map[string]any{
		"bucket":            e.bucket,
		"endpoint":          e.server.Endpoint,
		"region":            "us-east-1",
		"force_path_style":  true,
		"access_key_id":     e.server.AccessKey,
		"secret_access_key": e.server.SecretKey,
		"start_time":        e.start.Add(-time.Hour).Format(time.RFC3339),
	}
}

// telemetrySettings adds a Prometheus reader on a local port, so that the harness can read the receiver's counters.
// The metrics level stays the configuration's (the shipped config leaves the default, normal): at detailed, the
// exporter helper works out the protobuf size of every request for its size histograms, about 2 % of the collector's
// CPU that a user of the shipped config does not spend.
func telemetrySettings(ports faults.CollectorPorts) map[string]any {
	return map[string]any{
		"logs": map[string]any{"level": "warn"},
		"metrics": map[string]any{"readers": []any{map[string]any{"pull": map[string]any{"exporter": map[string]any{
			"prometheus": map[string]any{"host": "127.0.0.1", "port": ports.Metrics}}}}}},
	}
}

// shippedConfig is distributions/otelcol-logzio-aws/config.yaml with only what connects it changed: the S3 endpoint
// and keys, the start time, the listener URL and token, the storage directory, and the local ports.
func shippedConfig(e *env, ports faults.CollectorPorts, storage string) string {
	root, _ := testpeers.RepoRoot()
	data, err := os.ReadFile(filepath.Join(root, "distributions", "otelcol-logzio-aws", "config.yaml"))
	if err != nil {
		panic(err)
	}
	var cfg map[string]any
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		panic(err)
	}
	return connect(cfg, e, ports, storage)
}

// connect changes in a user's configuration only what connects it to the harness: the S3 endpoint and keys, the start
// time, the listener URL and token, the storage directory (created: the packages create the configured one), the
// local ports, and a health check in its plain form (it only tells the harness the collector is up; the shipped
// form needs a feature gate).
func connect(cfg map[string]any, e *env, ports faults.CollectorPorts, storage string) string {
	merge(cfg, map[string]any{
		"extensions": map[string]any{
			"file_storage": map[string]any{"directory": storage, "create_directory": true},
		},
		"receivers": map[string]any{"cloudtrails3": receiverSettings(e)},
		"exporters": map[string]any{"logzio": map[string]any{"logs": map[string]any{"endpoint": e.sink.URL, "token": e.token}}},
		"service":   map[string]any{"telemetry": telemetrySettings(ports)},
	})
	cfg["extensions"].(map[string]any)["health_check"] = map[string]any{"endpoint": "127.0.0.1:" + strconv.Itoa(ports.Health)}
	service := cfg["service"].(map[string]any)
	if extensions, _ := service["extensions"].([]any); !slices.Contains(extensions, any("health_check")) {
		service["extensions"] = append(extensions, "health_check")
	}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		panic(err)
	}
	return string(out)
}

// shippedWorkers is the shipped config's cloudtrails3 workers, so that the receiver alone reads as many objects at once.
func shippedWorkers() any {
	root, _ := testpeers.RepoRoot()
	data, err := os.ReadFile(filepath.Join(root, "distributions", "otelcol-logzio-aws", "config.yaml"))
	if err != nil {
		panic(err)
	}
	var cfg struct {
		Receivers struct {
			CloudTrail map[string]any `yaml:"cloudtrails3"`
		} `yaml:"receivers"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		panic(err)
	}
	if w, ok := cfg.Receivers.CloudTrail["workers"]; ok {
		return w
	}
	return 4
}

// receiverAloneConfig is the same receiver with the debug exporter, nothing else.
func receiverAloneConfig(e *env, ports faults.CollectorPorts, storage string) string {
	cfg := map[string]any{
		"extensions": map[string]any{
			"health_check": map[string]any{"endpoint": "127.0.0.1:" + strconv.Itoa(ports.Health)},
			"file_storage": map[string]any{"directory": storage, "create_directory": true},
		},
		"receivers": map[string]any{"cloudtrails3": merge(receiverSettings(e), map[string]any{"storage": "file_storage", "workers": shippedWorkers()})},
		"exporters": map[string]any{"debug": map[string]any{"verbosity": "basic"}},
		"service": map[string]any{
			"extensions": []any{"health_check", "file_storage"},
			"telemetry":  telemetrySettings(ports),
			"pipelines":  map[string]any{"logs": map[string]any{"receivers": []any{"cloudtrails3"}, "exporters": []any{"debug"}}},
		},
	}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		panic(err)
	}
	return string(out)
}

// readmeMinimalConfig is the README's minimal configuration, read from the README (its logs pipeline: the metrics
// one needs a Firehose endpoint and a metrics token), connected as the shipped one is.
func readmeMinimalConfig(e *env, ports faults.CollectorPorts, storage string) string {
	root, _ := testpeers.RepoRoot()
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		panic(err)
	}
	_, section, _ := strings.Cut(string(data), "## Minimal configuration\n\n```yaml\n")
	block, _, found := strings.Cut(section, "\n```")
	if !found {
		panic("README.md: no yaml block under \"## Minimal configuration\"")
	}
	var cfg map[string]any
	if err := yaml.Unmarshal([]byte(block), &cfg); err != nil {
		panic(err)
	}
	delete(cfg["receivers"].(map[string]any), "firehosemetrics")
	delete(cfg["exporters"].(map[string]any)["logzio"].(map[string]any), "metrics")
	delete(cfg["service"].(map[string]any)["pipelines"].(map[string]any), "metrics")
	return connect(cfg, e, ports, storage)
}

// set merges settings into a rendered configuration.
func set(config string, settings map[string]any) string {
	var cfg map[string]any
	if err := yaml.Unmarshal([]byte(config), &cfg); err != nil {
		panic(err)
	}
	merge(cfg, settings)
	out, err := yaml.Marshal(cfg)
	if err != nil {
		panic(err)
	}
	return string(out)
}

// merge copies src into dst, recursing into maps, and returns dst.
func merge(dst, src map[string]any) map[string]any {
	for k, v := range src {
		if sub, ok := v.(map[string]any); ok {
			if d, ok := dst[k].(map[string]any); ok {
				merge(d, sub)
				continue
			}
		}
		dst[k] = v
	}
	return dst
}
