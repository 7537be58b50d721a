// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package monitoring

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/metadatacheck"
)

// repoRoot is the repository, seen from this package's directory (go test runs in it).
var repoRoot = filepath.Join("..", "..")

// componentClasses are the directories whose <component>/metadata.yaml declare this distribution's own telemetry.
var componentClasses = []string{"receiver", "exporter", "processor", "extension", "connector"}

// coreMetrics are the collector-core instruments the rules and the dashboard may use, as declared (without the
// otelcol_ prefix) in the metadata.yaml of the module named. None is a histogram. TestCoreMetricsAreDeclaredUpstream
// checks them against those files, so moving the release line catches an upstream rename.
var coreMetrics = map[string][]string{
	"go.opentelemetry.io/collector/exporter/exporterhelper": {
		"exporter_sent_log_records", "exporter_send_failed_log_records", "exporter_enqueue_failed_log_records",
		"exporter_sent_metric_points", "exporter_send_failed_metric_points", "exporter_enqueue_failed_metric_points",
		"exporter_queue_size", "exporter_queue_capacity", "exporter_in_flight_requests",
	},
	"go.opentelemetry.io/collector/receiver/receiverhelper": {
		"receiver_accepted_log_records", "receiver_refused_log_records", "receiver_failed_log_records",
		"receiver_accepted_metric_points", "receiver_refused_metric_points", "receiver_failed_metric_points",
	},
	"go.opentelemetry.io/collector/service": {
		"process_uptime", "process_cpu_seconds", "process_memory_rss", "process_runtime_heap_alloc_bytes",
		"process_runtime_total_alloc_bytes", "process_runtime_total_sys_memory_bytes",
	},
}

// scrapeMetrics are made by the Prometheus server that scrapes the collector, not by the collector.
var scrapeMetrics = []string{"up"}

var invalidNameChars = regexp.MustCompile(`[^a-zA-Z0-9_:]`)

// exposedNames are the series names of an instrument whose full name (otelcol_ + its metadata.yaml key, as
// metadatacheck.Declared gives it) is name. Observed on bin/otelcol-logzio-aws (v0.161.0) at its
// service.telemetry.metrics Prometheus endpoint: characters Prometheus does not allow become _, and NO suffix is
// added (no _total on counters, no _seconds/_bytes for the unit); a histogram is name_bucket, name_sum and
// name_count. The logzio exporter keeps names unchanged too, so the same names arrive when the collector ships its own
// metrics to Logz.io.
func exposedNames(name string, histogram bool) []string {
	name = invalidNameChars.ReplaceAllString(name, "_")
	if histogram {
		return []string{name + "_bucket", name + "_sum", name + "_count"}
	}
	return []string{name}
}

// allowedNames maps every series name the rules and the dashboard may use to where it comes from.
func allowedNames(t *testing.T) map[string]string {
	t.Helper()
	allowed := map[string]string{}
	var files []string
	for _, class := range componentClasses {
		found, err := filepath.Glob(filepath.Join(repoRoot, class, "*", "metadata.yaml"))
		require.NoError(t, err)
		files = append(files, found...)
	}
	require.NotEmpty(t, files, "no metadata.yaml under %s", repoRoot)
	for _, file := range files {
		declared, err := metadatacheck.Declared(file)
		require.NoError(t, err)
		for _, inst := range declared {
			for _, n := range exposedNames(inst.Name, strings.HasSuffix(inst.Kind, "Histogram")) {
				allowed[n] = file
			}
		}
	}
	for module, names := range coreMetrics {
		for _, n := range names {
			allowed[exposedNames("otelcol_"+n, false)[0]] = module
		}
	}
	for _, n := range scrapeMetrics {
		allowed[n] = "the Prometheus scrape"
	}
	return allowed
}

// grafanaIntervals are Grafana's built-in range variables, which PromQL cannot parse.
var grafanaIntervals = regexp.MustCompile(`\$\{?__(rate_interval|interval|range)\}?`)

// metricNames returns the metric names a PromQL expression selects. Dashboard variables in label values ($job) are
// valid PromQL strings; Grafana's interval variables are replaced by a duration first.
func metricNames(expr string) ([]string, error) {
	e, err := parser.NewParser(parser.Options{}).ParseExpr(grafanaIntervals.ReplaceAllString(expr, "5m"))
	if err != nil {
		return nil, err
	}
	var names []string
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok && !slices.Contains(names, vs.Name) {
			names = append(names, vs.Name)
		}
		return nil
	})
	return names, nil
}

// unknownNames returns, for each expression (keyed by where it is), the metric names it uses that are not allowed.
func unknownNames(t *testing.T, exprs map[string]string, allowed map[string]string) []string {
	t.Helper()
	var problems []string
	for where, expr := range exprs {
		names, err := metricNames(expr)
		if err != nil {
			problems = append(problems, where+": "+err.Error())
			continue
		}
		for _, n := range names {
			if _, ok := allowed[n]; !ok {
				problems = append(problems, where+": "+n)
			}
		}
	}
	slices.Sort(problems)
	return problems
}

func TestEveryMetricUsedIsExposed(t *testing.T) {
	allowed := allowedNames(t)
	exprs := ruleExprs(t)
	for where, expr := range dashboardExprs(t) {
		exprs[where] = expr
	}
	assert.Empty(t, unknownNames(t, exprs, allowed),
		"metrics the collector does not expose (renamed? see exposedNames for the naming rule, coreMetrics for core names)")
}

// TestARenamedMetricIsCaught shows the check failing on the names a different naming rule would give (Prometheus
// suffixes) and on a misspelling, and passing on the real names.
func TestARenamedMetricIsCaught(t *testing.T) {
	allowed := allowedNames(t)
	bad := map[string]string{
		"total suffix": `rate(otelcol_receiver_cloudtrails3_objects_processed_total[5m])`,
		"unit suffix":  `otelcol_receiver_cloudtrails3_delivery_lag_seconds > 3600`,
		"misspelling":  `otelcol_exporter_queue_capacity - otelcol_exporter_queue_sizes`,
		"no histogram": `rate(otelcol_receiver_firehosemetrics_requests_bucket[$__rate_interval])`,
	}
	assert.Len(t, unknownNames(t, bad, allowed), 4)
	good := map[string]string{
		"counter":   `rate(otelcol_receiver_cloudtrails3_objects_processed{job=~"$job"}[$__rate_interval])`,
		"histogram": `histogram_quantile(0.9, rate(otelcol_receiver_firehosemetrics_request_duration_bucket[5m]))`,
		"core":      `otelcol_exporter_queue_size / otelcol_exporter_queue_capacity`,
	}
	assert.Empty(t, unknownNames(t, good, allowed))
}

// TestCoreMetricsAreDeclaredUpstream checks coreMetrics against the metadata.yaml of the collector modules go.mod
// requires, read from the module cache (no network: GOPROXY=off).
func TestCoreMetricsAreDeclaredUpstream(t *testing.T) {
	for module, names := range coreMetrics {
		cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module)
		cmd.Dir = repoRoot
		cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=readonly")
		out, err := cmd.Output()
		dir := strings.TrimSpace(string(out))
		if err != nil || dir == "" {
			skipOrFail(t, "module %s is not in the module cache (%v): cannot check its metrics", module, err)
		}
		declared, err := metadatacheck.Declared(filepath.Join(dir, "metadata.yaml"))
		require.NoError(t, err)
		kinds := map[string]string{}
		for _, inst := range declared {
			kinds[inst.Name] = inst.Kind
		}
		for _, n := range names {
			kind, ok := kinds["otelcol_"+n]
			if assert.True(t, ok, "%s/metadata.yaml no longer declares %s", module, n) {
				assert.NotContains(t, kind, "Histogram", "%s is a histogram: list its _bucket/_sum/_count instead", n)
			}
		}
	}
}

// skipOrFail skips when a tool or file the test needs is missing on a developer machine, and fails in CI.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}
