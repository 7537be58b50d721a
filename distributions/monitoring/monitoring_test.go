// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package monitoring

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

const (
	rulesFile          = "alerts.rules.yaml"
	prometheusRuleFile = "prometheusrule.yaml"
	ruleTestsFile      = "alerts.test.yaml"
	dashboardFile      = "dashboard.json"
	readmeFile         = "README.md"
)

// ruleFile is a Prometheus rules file; decoded strictly, so a misspelled key (alerts:, expression:) fails here even
// before promtool runs.
type ruleFile struct {
	Groups []ruleGroup `json:"groups"`
}

type ruleGroup struct {
	Name     string `json:"name"`
	Interval string `json:"interval,omitempty"`
	Rules    []rule `json:"rules"`
}

type rule struct {
	Alert       string            `json:"alert,omitempty"`
	Record      string            `json:"record,omitempty"`
	Expr        string            `json:"expr"`
	For         string            `json:"for,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// prometheusRule is the monitoring.coreos.com/v1 object, with only the fields the operator's CRD has at its top.
type prometheusRule struct {
	metav1.TypeMeta `json:",inline"`
	Metadata        metav1.ObjectMeta `json:"metadata"`
	Spec            ruleFile          `json:"spec"`
}

func loadRules(t *testing.T) ruleFile {
	t.Helper()
	data, err := os.ReadFile(rulesFile)
	require.NoError(t, err)
	var rf ruleFile
	require.NoError(t, yaml.UnmarshalStrict(data, &rf), rulesFile)
	return rf
}

func loadPrometheusRule(t *testing.T) prometheusRule {
	t.Helper()
	data, err := os.ReadFile(prometheusRuleFile)
	require.NoError(t, err)
	var pr prometheusRule
	require.NoError(t, yaml.UnmarshalStrict(data, &pr), prometheusRuleFile)
	return pr
}

// ruleExprs maps "rules: <alert>" to each rule's expression.
func ruleExprs(t *testing.T) map[string]string {
	t.Helper()
	exprs := map[string]string{}
	for _, g := range loadRules(t).Groups {
		for _, r := range g.Rules {
			exprs["rules: "+r.Alert+r.Record] = r.Expr
		}
	}
	return exprs
}

// promtool finds promtool ($PROMTOOL, else PATH; Debian's prometheus package installs /usr/bin/promtool).
func promtool(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("PROMTOOL"); p != "" {
		if _, err := os.Stat(p); err != nil {
			skipOrFail(t, "PROMTOOL=%s: %v", p, err)
		}
		return p
	}
	p, err := exec.LookPath("promtool")
	if err != nil {
		skipOrFail(t, "promtool not found (install Debian's prometheus package or set PROMTOOL): %v", err)
	}
	return p
}

func runPromtool(t *testing.T, dir string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, promtool(t), args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "promtool %s:\n%s", strings.Join(args, " "), out)
	t.Logf("promtool %s: %s", strings.Join(args, " "), strings.Join(strings.Fields(string(out)), " "))
}

func writeYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := yaml.Marshal(v)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o600))
}

func TestRuleFilesPassPromtool(t *testing.T) {
	runPromtool(t, ".", "check", "rules", rulesFile)
	// promtool reads rules files only: check the object's spec as one.
	spec := filepath.Join(t.TempDir(), "prometheusrule-spec.yaml")
	writeYAML(t, spec, loadPrometheusRule(t).Spec)
	runPromtool(t, ".", "check", "rules", spec)
}

// TestAlertUnitTests runs alerts.test.yaml. promtool compares annotations exactly, which would copy every
// description into the test file: the cases run on a copy of the rules without annotations instead (their templates
// are checked by promtool check rules above).
func TestAlertUnitTests(t *testing.T) {
	rf := loadRules(t)
	for gi := range rf.Groups {
		for ri := range rf.Groups[gi].Rules {
			rf.Groups[gi].Rules[ri].Annotations = nil
		}
	}
	dir := t.TempDir()
	writeYAML(t, filepath.Join(dir, rulesFile), rf)
	tests, err := os.ReadFile(ruleTestsFile)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, ruleTestsFile), tests, 0o600))
	runPromtool(t, dir, "test", "rules", ruleTestsFile)
}

func TestBothRuleFilesHoldTheSameRules(t *testing.T) {
	pr := loadPrometheusRule(t)
	assert.Equal(t, "monitoring.coreos.com/v1", pr.APIVersion)
	assert.Equal(t, "PrometheusRule", pr.Kind)
	assert.NotEmpty(t, pr.Metadata.Name)
	// Rule by rule, so that a difference is reported as one rule, not as two dumps of every rule.
	want, got := loadRules(t).Groups, pr.Spec.Groups
	require.Equal(t, len(want), len(got), "%s and %s have different numbers of groups", rulesFile, prometheusRuleFile)
	for i := range want {
		require.Equal(t, want[i].Name, got[i].Name, "group %d", i)
		assert.Equal(t, want[i].Interval, got[i].Interval, "group %s interval", want[i].Name)
		require.Equal(t, len(want[i].Rules), len(got[i].Rules), "group %s: number of rules", want[i].Name)
		for j := range want[i].Rules {
			assert.Equal(t, want[i].Rules[j], got[i].Rules[j], "group %s rule %d: %s and %s differ", want[i].Name, j, rulesFile, prometheusRuleFile)
		}
	}
}

var severities = []string{"critical", "warning"}

// TestEveryAlertIsActionable: at 3 a.m. an alert must say how bad it is, what is wrong and what to do, and must not
// fire on a single bad evaluation.
func TestEveryAlertIsActionable(t *testing.T) {
	readme, err := os.ReadFile(readmeFile)
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, g := range loadRules(t).Groups {
		for _, r := range g.Rules {
			require.NotEmpty(t, r.Alert, "group %s: only alerting rules belong here (expr %q)", g.Name, r.Expr)
			assert.False(t, seen[r.Alert], "alert %s is defined twice", r.Alert)
			seen[r.Alert] = true
			assert.NotEmpty(t, r.For, "%s has no for:", r.Alert)
			assert.Contains(t, severities, r.Labels["severity"], "%s: severity label", r.Alert)
			assert.NotEmpty(t, r.Annotations["summary"], "%s: summary annotation", r.Alert)
			assert.Greater(t, len(r.Annotations["description"]), 100, "%s: the description must say what to check and do", r.Alert)
			assert.Contains(t, string(readme), "| `"+r.Alert+"` |", "%s is missing from the alerts table of %s", r.Alert, readmeFile)
		}
	}
	tests, err := os.ReadFile(ruleTestsFile)
	require.NoError(t, err)
	for alert := range seen {
		assert.Contains(t, string(tests), "alertname: "+alert+"\n", "%s has no case in %s", alert, ruleTestsFile)
	}
}

// keySignals are what the operator needs at 3 a.m.: each must stay watched by an alert (rules) and shown on the
// dashboard, whatever else changes.
var (
	ruleSignals = []string{
		"otelcol_receiver_cloudtrails3_last_successful_poll", "otelcol_receiver_cloudtrails3_last_successful_discovery",
		"otelcol_receiver_cloudtrails3_delivery_lag", "otelcol_receiver_cloudtrails3_objects_failed",
		"otelcol_receiver_cloudtrails3_sqs_oldest_message_age", "otelcol_receiver_cloudtrails3_sqs_backlog",
		"otelcol_exporter_send_failed_log_records", "otelcol_exporter_send_failed_metric_points",
		"otelcol_exporter_queue_size", "otelcol_exporter_queue_capacity",
		"otelcol_exporter_enqueue_failed_log_records", "otelcol_exporter_enqueue_failed_metric_points",
		"otelcol_receiver_firehosemetrics_requests", "up",
	}
	dashboardSignals = []string{
		"otelcol_receiver_cloudtrails3_records_emitted", "otelcol_receiver_cloudtrails3_objects_processed",
		"otelcol_receiver_cloudtrails3_objects_failed", "otelcol_receiver_cloudtrails3_bytes_read",
		"otelcol_receiver_cloudtrails3_delivery_lag", "otelcol_receiver_cloudtrails3_last_successful_poll",
		"otelcol_receiver_cloudtrails3_sqs_oldest_message_age", "otelcol_receiver_cloudtrails3_sqs_backlog",
		"otelcol_exporter_sent_log_records", "otelcol_exporter_send_failed_log_records",
		"otelcol_exporter_queue_size", "otelcol_exporter_queue_capacity",
		"otelcol_receiver_firehosemetrics_requests", "otelcol_receiver_firehosemetrics_request_duration_bucket",
		"otelcol_receiver_firehosemetrics_data_points", "otelcol_process_memory_rss", "otelcol_process_cpu_seconds",
	}
)

func usedNames(t *testing.T, exprs map[string]string) []string {
	t.Helper()
	var used []string
	for where, expr := range exprs {
		names, err := metricNames(expr)
		require.NoError(t, err, where)
		used = append(used, names...)
	}
	return used
}

func TestRulesWatchEveryKeySignal(t *testing.T) {
	used := usedNames(t, ruleExprs(t))
	for _, s := range ruleSignals {
		assert.True(t, slices.Contains(used, s), "no alert uses %s", s)
	}
}

func TestDashboardShowsEveryKeySignal(t *testing.T) {
	used := usedNames(t, dashboardExprs(t))
	for _, s := range dashboardSignals {
		assert.True(t, slices.Contains(used, s), "no dashboard panel uses %s", s)
	}
}

// dashboard holds the parts of Grafana's dashboard JSON the tests look at.
type dashboard struct {
	Title      string `json:"title"`
	UID        string `json:"uid"`
	Templating struct {
		List []struct {
			Name       string          `json:"name"`
			Type       string          `json:"type"`
			Query      json.RawMessage `json:"query"`
			Datasource *datasource     `json:"datasource"`
			Definition string          `json:"definition"`
		} `json:"list"`
	} `json:"templating"`
	Panels []panel `json:"panels"`
}

type datasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type panel struct {
	ID         int         `json:"id"`
	Type       string      `json:"type"`
	Title      string      `json:"title"`
	Datasource *datasource `json:"datasource"`
	Targets    []struct {
		RefID      string      `json:"refId"`
		Expr       string      `json:"expr"`
		Datasource *datasource `json:"datasource"`
	} `json:"targets"`
	Panels []panel `json:"panels"` // the panels of a collapsed row
}

// dsVariable is the data source template variable every query goes through, so that the dashboard imports into any
// Grafana (Logz.io's metrics UI included) and the user picks the Prometheus data source (Logz.io metrics account).
const dsVariable = "DS_PROMETHEUS"

func loadDashboard(t *testing.T) dashboard {
	t.Helper()
	data, err := os.ReadFile(dashboardFile)
	require.NoError(t, err)
	var d dashboard
	require.NoError(t, json.Unmarshal(data, &d), dashboardFile)
	return d
}

// allPanels flattens rows: a row (collapsed or not) only groups panels and has no queries of its own.
func allPanels(panels []panel) []panel {
	var out []panel
	for _, p := range panels {
		out = append(out, p)
		out = append(out, allPanels(p.Panels)...)
	}
	return out
}

var labelValuesMetric = regexp.MustCompile(`^label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*)`)

// dashboardExprs maps "dashboard: <panel> <refId>" to each query, and "dashboard: variable <name>" to the metric of
// each label_values variable.
func dashboardExprs(t *testing.T) map[string]string {
	t.Helper()
	d := loadDashboard(t)
	exprs := map[string]string{}
	for _, p := range allPanels(d.Panels) {
		for _, target := range p.Targets {
			exprs[fmt.Sprintf("dashboard: %q %s", p.Title, target.RefID)] = target.Expr
		}
	}
	for _, v := range d.Templating.List {
		if m := labelValuesMetric.FindStringSubmatch(v.Definition); m != nil {
			exprs["dashboard: variable "+v.Name] = m[1]
		}
	}
	return exprs
}

func TestDashboardImportsWithADataSourceVariable(t *testing.T) {
	d := loadDashboard(t)
	assert.NotEmpty(t, d.Title)
	assert.NotEmpty(t, d.UID)
	var found bool
	for _, v := range d.Templating.List {
		if v.Name == dsVariable {
			found = true
			assert.Equal(t, "datasource", v.Type, "%s must be a data source variable", dsVariable)
			assert.JSONEq(t, `"prometheus"`, string(v.Query), "%s must list Prometheus data sources", dsVariable)
		} else if v.Datasource != nil {
			assert.Equal(t, "${"+dsVariable+"}", v.Datasource.UID, "variable %s", v.Name)
		}
	}
	assert.True(t, found, "no %s template variable", dsVariable)
}

func TestEveryDashboardPanelHasQueries(t *testing.T) {
	d := loadDashboard(t)
	readme, err := os.ReadFile(readmeFile)
	require.NoError(t, err)
	ids := map[int]bool{}
	var titles []string
	for _, p := range allPanels(d.Panels) {
		assert.False(t, ids[p.ID], "panel id %d is used twice", p.ID)
		ids[p.ID] = true
		assert.NotEmpty(t, p.Title, "panel %d has no title", p.ID)
		assert.NotContains(t, titles, p.Title, "two panels are titled %q", p.Title)
		titles = append(titles, p.Title)
		assert.Contains(t, string(readme), "**"+p.Title+"**", "panel %q is not described in %s", p.Title, readmeFile)
		if p.Type == "row" {
			continue
		}
		if !assert.NotEmpty(t, p.Targets, "panel %q has no queries", p.Title) {
			continue
		}
		require.NotNil(t, p.Datasource, "panel %q has no datasource", p.Title)
		assert.Equal(t, "${"+dsVariable+"}", p.Datasource.UID, "panel %q datasource", p.Title)
		for _, target := range p.Targets {
			assert.NotEmpty(t, target.Expr, "panel %q query %s is empty", p.Title, target.RefID)
			if assert.NotNil(t, target.Datasource, "panel %q query %s has no datasource", p.Title, target.RefID) {
				assert.Equal(t, "${"+dsVariable+"}", target.Datasource.UID, "panel %q query %s", p.Title, target.RefID)
			}
			_, err := metricNames(target.Expr)
			assert.NoError(t, err, "panel %q query %s is not valid PromQL", p.Title, target.RefID)
		}
	}
	assert.True(t, slices.ContainsFunc(allPanels(d.Panels), func(p panel) bool { return p.Type != "row" }), "no panels")
}
