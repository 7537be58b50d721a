// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// distributionBinary is the binary `make build` produces, relative to the repository root.
const distributionBinary = "bin/otelcol-logzio-aws"

// Collector runs the real distribution binary with a given configuration: start, kill -9, restart, stop. Its
// output (all runs) goes to one log file; its peak RSS is the largest VmHWM seen over all runs.
type Collector struct {
	t          testing.TB
	bin        string
	dir        string
	configPath string
	logPath    string
	// HealthURL answers 200 once the pipelines run; MetricsURL is the collector's own Prometheus endpoint.
	HealthURL  string
	MetricsURL string

	mu      sync.Mutex
	cmd     *exec.Cmd
	exited  chan struct{}
	peakRSS int64
	starts  int
	kills   int
}

// CollectorPorts are free loopback ports for the collector's own endpoints.
type CollectorPorts struct {
	Health  int
	Metrics int
}

// FindBinary returns the path of bin/otelcol-logzio-aws (or of $FAULTS_BINARY when set, e.g. a build with more
// components) or fails the test telling to run make build.
func FindBinary(t testing.TB) string {
	t.Helper()
	if bin := os.Getenv("FAULTS_BINARY"); bin != "" {
		if _, err := os.Stat(bin); err != nil {
			t.Fatalf("FAULTS_BINARY=%s: %v", bin, err)
		}
		return bin
	}
	root := RepoRoot(t)
	bin := filepath.Join(root, distributionBinary)
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s is missing: run `make build` first (the fault suite runs the real distribution binary)", bin)
	}
	return bin
}

// RepoRoot walks up from the working directory to the directory holding go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// FreePorts returns n distinct free loopback ports.
func FreePorts(t testing.TB, n int) []int {
	t.Helper()
	ports := make([]int, 0, n)
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("finding a free port: %v", err)
		}
		listeners = append(listeners, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// NewCollector writes config (YAML) into a temporary directory; env is added to the process environment.
// The collector is killed when the test ends.
func NewCollector(t testing.TB, dir, config string, ports CollectorPorts) *Collector {
	t.Helper()
	c := &Collector{
		t:          t,
		bin:        FindBinary(t),
		dir:        dir,
		configPath: filepath.Join(dir, "config.yaml"),
		logPath:    filepath.Join(dir, "collector.log"),
		HealthURL:  fmt.Sprintf("http://127.0.0.1:%d/", ports.Health),
		MetricsURL: fmt.Sprintf("http://127.0.0.1:%d/metrics", ports.Metrics),
	}
	if err := os.WriteFile(c.configPath, []byte(config), 0o600); err != nil {
		t.Fatalf("writing the collector config: %v", err)
	}
	t.Cleanup(func() { c.kill() })
	return c
}

// Start runs the binary and waits until its health check answers 200.
func (c *Collector) Start(ctx context.Context) {
	c.t.Helper()
	c.StartWithArgs(ctx)
}

// StartWithArgs is Start with more command-line arguments after --config (e.g. HealthCheckGate): it runs the binary
// and waits until its health check (HealthURL) answers 200.
func (c *Collector) StartWithArgs(ctx context.Context, args ...string) {
	c.t.Helper()
	logFile, err := os.OpenFile(c.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		c.t.Fatalf("opening the collector log: %v", err)
	}
	fmt.Fprintf(logFile, "=== faults: start %d at %s with %v\n", c.starts+1, time.Now().Format(time.RFC3339Nano), args)
	cmd := exec.Command(c.bin, append([]string{"--config", c.configPath}, args...)...)
	cmd.Dir = c.dir
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		c.t.Fatalf("starting %s: %v", c.bin, err)
	}
	exited := make(chan struct{})
	c.mu.Lock()
	c.cmd, c.exited = cmd, exited
	c.starts++
	c.mu.Unlock()
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(exited)
	}()
	go c.watchRSS(cmd.Process.Pid, exited)
	if err := c.waitHealthy(ctx, exited); err != nil {
		c.t.Fatalf("the collector did not become healthy: %v\n%s", err, c.tail(4000))
	}
}

func (c *Collector) waitHealthy(ctx context.Context, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.HealthURL, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return errors.New("the process exited")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// watchRSS samples VmHWM (the kernel's own peak RSS of the process) until the process exits, so that the peak of a
// run that is then killed is not lost.
func (c *Collector) watchRSS(pid int, exited <-chan struct{}) {
	ticker := time.NewTicker(200 * time.Millisecond)
	defer ticker.Stop()
	for {
		if hwm, err := readVmHWM(pid); err == nil {
			c.mu.Lock()
			c.peakRSS = max(c.peakRSS, hwm)
			c.mu.Unlock()
		}
		select {
		case <-exited:
			return
		case <-ticker.C:
		}
	}
}

// readVmHWM returns the process's peak resident set size in bytes.
func readVmHWM(pid int) (int64, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		line := scanner.Text()
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0, err
			}
			return kb * 1024, nil
		}
	}
	return 0, errors.New("no VmHWM in /proc/<pid>/status")
}

// Kill sends SIGKILL and waits for the process to be gone.
func (c *Collector) Kill() {
	c.t.Helper()
	if !c.kill() {
		c.t.Fatal("kill -9: the collector was not running")
	}
	c.mu.Lock()
	c.kills++
	c.mu.Unlock()
}

func (c *Collector) kill() bool {
	c.mu.Lock()
	cmd, exited := c.cmd, c.exited
	c.cmd = nil
	c.mu.Unlock()
	if cmd == nil {
		return false
	}
	if hwm, err := readVmHWM(cmd.Process.Pid); err == nil {
		c.mu.Lock()
		c.peakRSS = max(c.peakRSS, hwm)
		c.mu.Unlock()
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-exited
	return true
}

// DumpGoroutines makes a running collector print every goroutine's stack into its log and exit (SIGQUIT, the Go
// runtime's dump): for a scenario that failed waiting, the log then shows where the collector was stuck.
func (c *Collector) DumpGoroutines() {
	c.mu.Lock()
	cmd, exited := c.cmd, c.exited
	c.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
	}
}

// Stop asks the collector to shut down (SIGTERM) and waits up to 30 s before killing it; it fails the test if the
// process had already died.
func (c *Collector) Stop() {
	c.t.Helper()
	c.mu.Lock()
	cmd, exited := c.cmd, c.exited
	c.mu.Unlock()
	if cmd == nil {
		return
	}
	if hwm, err := readVmHWM(cmd.Process.Pid); err == nil {
		c.mu.Lock()
		c.peakRSS = max(c.peakRSS, hwm)
		c.mu.Unlock()
	}
	select {
	case <-exited:
		c.t.Errorf("the collector had exited by itself before Stop:\n%s", c.tail(4000))
	default:
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		c.t.Errorf("the collector did not stop within 30 s of SIGTERM: killing it")
	}
	c.kill()
}

// Running reports whether the current process is alive.
func (c *Collector) Running() bool {
	c.mu.Lock()
	exited := c.exited
	c.mu.Unlock()
	if exited == nil {
		return false
	}
	select {
	case <-exited:
		return false
	default:
		return true
	}
}

// PeakRSS is the largest VmHWM over every run so far, in bytes.
func (c *Collector) PeakRSS() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.peakRSS
}

// CurrentRSS is the current VmRSS of the running process, in bytes (0 when not running).
func (c *Collector) CurrentRSS() int64 {
	data, ok := c.procFile("status")
	if !ok {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// CPUTime is the user plus system CPU time the running process used so far (0 when not running), from
// /proc/<pid>/stat; the kernel counts it in clock ticks of 1/100 s on Linux.
func (c *Collector) CPUTime() time.Duration {
	data, ok := c.procFile("stat")
	if !ok {
		return 0
	}
	// The command name (field 2) may hold spaces: count fields after its closing parenthesis. utime and stime are
	// fields 14 and 15, i.e. the 12th and 13th after it.
	end := bytes.LastIndexByte(data, ')')
	if end < 0 {
		return 0
	}
	fields := strings.Fields(string(data[end+1:]))
	if len(fields) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	const clockTicksPerSecond = 100
	return time.Duration(utime+stime) * time.Second / clockTicksPerSecond
}

// procFile reads /proc/<pid>/<name> of the running process; false when it is not running.
func (c *Collector) procFile(name string) ([]byte, bool) {
	c.mu.Lock()
	cmd := c.cmd
	c.mu.Unlock()
	if cmd == nil {
		return nil, false
	}
	data, err := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/" + name)
	return data, err == nil
}

// Kills is how many times the collector was killed with SIGKILL.
func (c *Collector) Kills() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.kills
}

// Logs returns everything the collector printed, over all runs.
func (c *Collector) Logs() []byte {
	data, err := os.ReadFile(c.logPath)
	if err != nil {
		return nil
	}
	return data
}

// tail is the end of the log, for failure messages.
func (c *Collector) tail(n int) string {
	data := c.Logs()
	if len(data) > n {
		data = data[len(data)-n:]
	}
	return string(data)
}

// LogTail is the last n bytes of the log.
func (c *Collector) LogTail(n int) string { return c.tail(n) }

// ScrapeMetrics returns the collector's own metrics in the Prometheus text format.
func (c *Collector) ScrapeMetrics(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.MetricsURL, nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("scraping the collector's telemetry at %s: %w", c.MetricsURL, err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, resp.Body); err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("scraping %s: HTTP %d", c.MetricsURL, resp.StatusCode)
	}
	return buf.String(), nil
}
