// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package monitoring

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// distributionBinary is the collector built by `make build`. make test builds it after the Go tests, so the test that
// needs it is skipped when it is missing.
var distributionBinary = filepath.Join(repoRoot, "bin", "otelcol-logzio-aws")

// firehoseSample is a recorded Firehose delivery of the demo; its headers (request id, access key) are in headers.json.
var firehoseSample = filepath.Join(repoRoot, "distributions", "otelcol-logzio-aws", "demo", "firehose")

const sampleAccessKey = "EXAMPLE-ACCESS-KEY"

// coreWitnesses are the coreMetrics the scenario of TestTheBinaryExposesTheDerivedNames produces.
var coreWitnesses = []string{
	"otelcol_exporter_sent_metric_points", "otelcol_exporter_queue_size", "otelcol_exporter_queue_capacity",
	"otelcol_receiver_accepted_metric_points", "otelcol_process_uptime", "otelcol_process_memory_rss",
	"otelcol_process_cpu_seconds",
}

// componentPrefixes are the series of this distribution's components the scenario produces.
var componentPrefixes = []string{"otelcol_receiver_firehosemetrics_", "otelcol_exporter_logzio_"}

// TestTheBinaryExposesTheDerivedNames runs the built collector (firehosemetrics → logzio, with a stand-in for the
// Logz.io listener), sends it one Firehose delivery and scrapes its telemetry endpoint: every component series it
// exposes must be a name allowedNames derives from metadata.yaml, and the core names must be there as listed. This
// catches a change of the naming rule itself (a _total or unit suffix after a collector upgrade), which the
// metadata-based check cannot see.
func TestTheBinaryExposesTheDerivedNames(t *testing.T) {
	if _, err := os.Stat(distributionBinary); err != nil {
		t.Skipf("%s not built (make build): %v", distributionBinary, err)
	}
	listener := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	t.Cleanup(listener.Close)
	ports := freePorts(t, 2)
	firehose, telemetry := fmt.Sprintf("127.0.0.1:%d", ports[0]), fmt.Sprintf("127.0.0.1:%d", ports[1])
	startCollector(t, fmt.Sprintf(`
receivers:
  firehosemetrics:
    endpoint: %s
    access_keys: [%q]
exporters:
  logzio:
    region: us
    metrics:
      token: monitoring-test-token
      endpoint: %s
service:
  telemetry:
    metrics:
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: %d
  pipelines:
    metrics:
      receivers: [firehosemetrics]
      exporters: [logzio]
`, firehose, sampleAccessKey, listener.URL, ports[1]))
	postFirehoseSample(t, "http://"+firehose+"/")

	// The exporter sends asynchronously (sending queue): wait until its series show up, by prefix, so that a renamed
	// series is reported by the assertions below rather than as a timeout.
	var exposed map[string]bool
	require.Eventually(t, func() bool {
		exposed = scrape("http://" + telemetry + "/metrics")
		return hasPrefix(exposed, "otelcol_exporter_logzio_requests") && hasPrefix(exposed, "otelcol_exporter_sent_metric_points")
	}, 30*time.Second, 200*time.Millisecond, "the exporter's series never appeared")

	allowed := allowedNames(t)
	var components int
	for name := range exposed {
		for _, prefix := range componentPrefixes {
			if strings.HasPrefix(name, prefix) {
				components++
				_, ok := allowed[name]
				assert.True(t, ok, "the binary exposes %s, which no metadata.yaml gives with exposedNames' rule", name)
			}
		}
	}
	assert.GreaterOrEqual(t, components, 5, "too few component series: %v", exposed)
	for _, name := range coreWitnesses {
		assert.True(t, exposed[name], "the binary does not expose %s (listed in coreMetrics)", name)
	}
}

func hasPrefix(names map[string]bool, prefix string) bool {
	for n := range names {
		if strings.HasPrefix(n, prefix) {
			return true
		}
	}
	return false
}

func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// startCollector runs the binary on config until the test ends; its output is shown when the test fails.
func startCollector(t *testing.T, config string) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "config.yaml")
	require.NoError(t, os.WriteFile(file, []byte(config), 0o600))
	var output bytes.Buffer
	bin, err := filepath.Abs(distributionBinary) // relative paths are resolved from cmd.Dir
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--config="+file)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &output, &output
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("collector output:\n%s", output.String())
		}
	})
}

// postFirehoseSample sends the demo's OpenTelemetry 0.7 delivery, retrying while the receiver is not listening yet.
func postFirehoseSample(t *testing.T, url string) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(firehoseSample, "otel0.7-request.json"))
	require.NoError(t, err)
	headersJSON, err := os.ReadFile(filepath.Join(firehoseSample, "headers.json"))
	require.NoError(t, err)
	var headers map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(headersJSON, &headers))
	var sampleHeaders map[string]string
	require.NoError(t, json.Unmarshal(headers["otel0.7-request.json"], &sampleHeaders))
	require.Equal(t, sampleAccessKey, sampleHeaders["X-Amz-Firehose-Access-Key"])

	var status int
	require.Eventually(t, func() bool {
		// No require in here: Eventually runs this function in another goroutine.
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return false
		}
		for k, v := range sampleHeaders {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false // not listening yet
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		status = resp.StatusCode
		return true
	}, 30*time.Second, 100*time.Millisecond, "the Firehose receiver never answered")
	require.Equal(t, http.StatusOK, status, "the Firehose sample was refused")
}

// scrape returns the series names the endpoint exposes: the family of each "# TYPE" line, or for a histogram its
// _bucket, _sum and _count series. Nil while the endpoint does not answer. It runs inside Eventually, hence no t.
func scrape(url string) map[string]bool {
	resp, err := http.Get(url)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	names := map[string]bool{}
	scanner := bufio.NewScanner(resp.Body)
	scanner.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) != 4 || fields[0] != "#" || fields[1] != "TYPE" {
			continue
		}
		for _, n := range exposedNames(fields[2], fields[3] == "histogram") {
			names[n] = true
		}
	}
	if scanner.Err() != nil {
		return nil
	}
	return names
}
