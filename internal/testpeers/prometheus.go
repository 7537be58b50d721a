// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package testpeers // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// PrometheusServer is a running Prometheus with its remote-write receiver enabled and a 30-day out-of-order window, so
// replayed samples with old timestamps are accepted.
type PrometheusServer struct {
	URL      string // http://127.0.0.1:<port>
	WriteURL string // URL + "/api/v1/write"
}

// Sample is one series of an instant-query answer.
type Sample struct {
	Labels map[string]string
	Value  float64
}

const prometheusConfig = `global:
  scrape_interval: 15s
storage:
  tsdb:
    out_of_order_time_window: 30d
scrape_configs: []
`

var promPeer peer

// Prometheus returns the shared Prometheus of this test binary. State is not reset: use unique label values per test.
func Prometheus(t testing.TB) *PrometheusServer {
	t.Helper()
	promPeer.start(t, func(p *peer) error {
		bin, ok := findBinary("PROMETHEUS", "prometheus")
		if !ok {
			return p.errMissing("prometheus not found: apt-get install --no-install-recommends prometheus (or set PROMETHEUS)")
		}
		port, err := freePort()
		if err != nil {
			return err
		}
		p.port = port
		dir, err := os.MkdirTemp("", "testpeer-prometheus-config-")
		if err != nil {
			return err
		}
		cfg := filepath.Join(dir, "prometheus.yml")
		if err := os.WriteFile(cfg, []byte(prometheusConfig), 0o600); err != nil {
			return err
		}
		if err := p.launchProcess("prometheus", nil, bin,
			"--config.file="+cfg,
			"--storage.tsdb.path="+filepath.Join(dir, "data"),
			"--web.listen-address=127.0.0.1:"+strconv.Itoa(port),
			"--web.enable-remote-write-receiver"); err != nil {
			return err
		}
		return p.waitReady(p.baseURL()+"/-/ready", 60*time.Second)
	})
	return &PrometheusServer{URL: promPeer.baseURL(), WriteURL: promPeer.baseURL() + "/api/v1/write"}
}

// waitReady waits for a 200 from url (Prometheus answers 503 while it loads its TSDB).
func (p *peer) waitReady(u string, timeout time.Duration) error {
	if err := p.waitHTTP("prometheus", u, timeout); err != nil {
		return err
	}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		resp, err := http.Get(u)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("prometheus not ready on %s: %w", u, errNotReady)
}

// Query runs an instant PromQL query evaluated at the given time (Prometheus looks back 5 minutes from it).
func (s *PrometheusServer) Query(t testing.TB, promql string, at time.Time) []Sample {
	t.Helper()
	samples, err := s.query(promql, at)
	if err != nil {
		t.Fatalf("query %q: %v", promql, err)
	}
	return samples
}

// Eventually repeats the query until it returns at least one series or the deadline passes (remote writes are visible
// to queries almost at once, but not synchronously).
func (s *PrometheusServer) Eventually(t testing.TB, promql string, at time.Time, timeout time.Duration) []Sample {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		samples, err := s.query(promql, at)
		if err == nil && len(samples) > 0 {
			return samples
		}
		if time.Now().After(deadline) {
			t.Fatalf("query %q returned no series within %s (last error: %v)", promql, timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *PrometheusServer) query(promql string, at time.Time) ([]Sample, error) {
	q := url.Values{"query": {promql}, "time": {strconv.FormatFloat(float64(at.UnixMilli())/1000, 'f', 3, 64)}}
	resp, err := http.Get(s.URL + "/api/v1/query?" + q.Encode())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var answer struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string `json:"resultType"`
			Result     []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		return nil, fmt.Errorf("decoding answer (HTTP %d): %w", resp.StatusCode, err)
	}
	if answer.Status != "success" {
		return nil, fmt.Errorf("prometheus answered %s: %s", answer.Status, answer.Error)
	}
	out := make([]Sample, 0, len(answer.Data.Result))
	for _, r := range answer.Data.Result {
		str, _ := r.Value[1].(string)
		v, err := strconv.ParseFloat(str, 64)
		if err != nil {
			return nil, fmt.Errorf("sample value %v: %w", r.Value[1], err)
		}
		out = append(out, Sample{Labels: r.Metric, Value: v})
	}
	return out, nil
}
