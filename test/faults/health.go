// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// HealthCheckGate is the feature gate the packages, the image and the Kubernetes manifests pass: with it the
// shipped config's health_check follows component status (without it the collector refuses that block).
const HealthCheckGate = "--feature-gates=extension.healthcheck.useComponentStatus"

// ShippedHealthCheck returns the health_check block of distributions/otelcol-logzio-aws/config.yaml with its endpoint
// moved to 127.0.0.1:port, and its status path.
func ShippedHealthCheck(t testing.TB, port int) (block map[string]any, path string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(RepoRoot(t), "distributions", "otelcol-logzio-aws", "config.yaml"))
	if err != nil {
		t.Fatalf("reading the shipped config: %v", err)
	}
	var cfg struct {
		Extensions struct {
			HealthCheck map[string]any `yaml:"health_check"`
		} `yaml:"extensions"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatalf("parsing the shipped config: %v", err)
	}
	block = cfg.Extensions.HealthCheck
	httpBlock, ok := block["http"].(map[string]any)
	if !ok {
		t.Fatalf("the shipped health_check has no http block (component-status form): %v", block)
	}
	httpBlock["endpoint"] = "127.0.0.1:" + strconv.Itoa(port)
	status, _ := httpBlock["status"].(map[string]any)
	path, _ = status["path"].(string)
	if path == "" {
		t.Fatalf("the shipped health_check has no http.status.path: %v", block)
	}
	return block, path
}

// WithHealthCheck returns config (YAML) with its health_check extension replaced by block.
func WithHealthCheck(t testing.TB, config string, block map[string]any) string {
	t.Helper()
	var cfg map[string]any
	if err := yaml.Unmarshal([]byte(config), &cfg); err != nil {
		t.Fatalf("parsing the collector config: %v", err)
	}
	extensions, ok := cfg["extensions"].(map[string]any)
	if !ok {
		t.Fatal("the collector config has no extensions")
	}
	extensions["health_check"] = block
	out, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatalf("writing the collector config: %v", err)
	}
	return string(out)
}

// Reload writes config over the collector's configuration file and sends SIGHUP: the running process reads it again
// and restarts its pipelines (what `systemctl reload` does).
func (c *Collector) Reload(config string) {
	c.t.Helper()
	if err := os.WriteFile(c.configPath, []byte(config), 0o600); err != nil {
		c.t.Fatalf("writing the collector config: %v", err)
	}
	c.mu.Lock()
	cmd := c.cmd
	c.mu.Unlock()
	if cmd == nil {
		c.t.Fatal("reload: the collector is not running")
	}
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		c.t.Fatalf("reload: SIGHUP: %v", err)
	}
}

// Pid is the process id of the running collector, 0 when it is not running.
func (c *Collector) Pid() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmd == nil {
		return 0
	}
	return c.cmd.Process.Pid
}

// HealthAnswer is one answer of the health_check extension's status endpoint (component-status form).
type HealthAnswer struct {
	Code int
	Body string
	// Healthy and Status are the collector's overall verdict; Components the verdict of every component found in
	// the answer (with ?verbose), by name ("receiver:cloudtrails3", …), of the last pipeline listing it.
	Healthy    bool
	Status     string
	Components map[string]ComponentHealth
}

// ComponentHealth is one component's entry in a HealthAnswer.
type ComponentHealth struct {
	Healthy bool   `json:"healthy"`
	Status  string `json:"status"`
	Error   string `json:"error"`
}

// GetHealth asks url (add ?verbose for the components) once.
func GetHealth(ctx context.Context, url string) (HealthAnswer, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return HealthAnswer{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return HealthAnswer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return HealthAnswer{}, err
	}
	a := HealthAnswer{Code: resp.StatusCode, Body: string(body), Components: map[string]ComponentHealth{}}
	var tree healthTree
	if err := json.Unmarshal(body, &tree); err != nil {
		return a, fmt.Errorf("health answer %d is not JSON: %q", resp.StatusCode, body)
	}
	a.Healthy, a.Status = tree.Healthy, tree.Status
	tree.collect(a.Components)
	return a, nil
}

type healthTree struct {
	ComponentHealth
	Components map[string]healthTree `json:"components"`
}

func (h healthTree) collect(into map[string]ComponentHealth) {
	for name, sub := range h.Components {
		into[name] = sub.ComponentHealth
		sub.collect(into)
	}
}
