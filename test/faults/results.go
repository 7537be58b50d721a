// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Row is one line of the results table.
type Row struct {
	Scenario   string
	Sent       int
	Received   int
	Lost       int
	Duplicated int
	PeakRSS    int64
	Duration   time.Duration
	Outcome    string // pass, FAIL, or skipped: <why>
	// Secrets is "clean" when no marker appeared in the collector's logs and telemetry, "LEAKED" otherwise.
	Secrets string
	Notes   string
}

// Results collects the rows of every scenario of the run.
type Results struct {
	mu   sync.Mutex
	rows []Row
}

// Add records a row.
func (r *Results) Add(row Row) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rows = append(r.rows, row)
}

// Len is the number of rows.
func (r *Results) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.rows)
}

// Markdown renders the table.
func (r *Results) Markdown(scale string, started time.Time) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "# Fault suite — scale %s\n\n", scale)
	fmt.Fprintf(&b, "Run %s, %s. Records are counted by eventID at the Logz.io sink; \"received\" counts distinct records, \"duplicated\" the extra copies; peak RSS is the collector's VmHWM over all its runs.\n\n",
		started.UTC().Format(time.RFC3339), time.Since(started).Round(time.Second))
	b.WriteString("| scenario | sent | received | lost | duplicated | peak RSS | time | secrets | outcome | notes |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---|---|---|\n")
	for _, row := range r.rows {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %s | %s | %s | %s | %s |\n", row.Scenario, row.Sent, row.Received, row.Lost,
			row.Duplicated, formatBytes(row.PeakRSS), row.Duration.Round(time.Second), row.Secrets, row.Outcome,
			strings.ReplaceAll(row.Notes, "|", "/"))
	}
	return b.String()
}

// Write stores the table in dir/faults-<scale>.md and returns the path.
func (r *Results) Write(dir, scale string, started time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "faults-"+scale+".md")
	return path, os.WriteFile(path, []byte(r.Markdown(scale, started)), 0o644)
}

func formatBytes(n int64) string {
	if n <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}
