// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package testpeers // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// peer is a server process shared by every test of one test binary.
type peer struct {
	once    sync.Once
	err     error
	missing bool // the binary is not installed
	cmd     *exec.Cmd
	dir     string
	port    int
}

// start runs launch once; later calls return the first result. A peer that failed to start fails every test that needs it.
func (p *peer) start(t testing.TB, launch func(p *peer) error) {
	t.Helper()
	p.once.Do(func() { p.err = launch(p) })
	if p.err == nil {
		return
	}
	if p.missing && os.Getenv("CI") != "true" {
		t.Skipf("skipping: %v", p.err)
	}
	t.Fatalf("test peer unavailable: %v", p.err)
}

// errMissing marks the peer as not installed.
func (p *peer) errMissing(format string, args ...any) error {
	p.missing = true
	return fmt.Errorf(format, args...)
}

// findBinary looks for a server binary in $envVar, the repository's bin/, then PATH.
func findBinary(envVar, name string) (string, bool) {
	if v := os.Getenv(envVar); v != "" {
		if _, err := os.Stat(v); err == nil {
			return v, true
		}
	}
	if root, ok := RepoRoot(); ok {
		candidate := filepath.Join(root, "bin", name)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, true
		}
	}
	if path, err := exec.LookPath(name); err == nil {
		return path, true
	}
	return "", false
}

// RepoRoot walks up from the working directory to the directory holding go.mod.
func RepoRoot() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// launchProcess starts the command with its output in dir/log, tied to the life of the test process.
func (p *peer) launchProcess(name string, env []string, bin string, args ...string) error {
	dir, err := os.MkdirTemp("", "testpeer-"+name+"-")
	if err != nil {
		return err
	}
	p.dir = dir
	logFile, err := os.Create(filepath.Join(dir, "log"))
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s (%s): %w", name, bin, err)
	}
	p.cmd = cmd
	return nil
}

// waitHTTP polls url until any HTTP answer arrives (bounded), or the process exits.
func (p *peer) waitHTTP(name, url string, timeout time.Duration) error {
	exited := make(chan error, 1)
	go func() { exited <- p.cmd.Wait() }()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("%s exited during start-up (%v); its log:\n%s", name, err, p.logTail())
		default:
		}
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer on %s within %s; its log:\n%s", name, url, timeout, p.logTail())
}

func (p *peer) logTail() string {
	b, err := os.ReadFile(filepath.Join(p.dir, "log"))
	if err != nil {
		return err.Error()
	}
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

func (p *peer) baseURL() string { return "http://127.0.0.1:" + strconv.Itoa(p.port) }

var uniqueMu sync.Mutex
var uniqueCount int

// UniqueName returns a lower-case name that is unique within this test binary and valid as an S3 bucket name or a label
// value: prefix, a sanitised form of the test name, and a counter.
func UniqueName(t testing.TB, prefix string) string {
	uniqueMu.Lock()
	uniqueCount++
	n := uniqueCount
	uniqueMu.Unlock()
	var b strings.Builder
	for _, r := range strings.ToLower(t.Name()) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	name := strings.Trim(b.String(), "-")
	if len(name) > 30 {
		name = name[len(name)-30:]
	}
	return strings.Trim(fmt.Sprintf("%s-%s-%d-%d", prefix, strings.Trim(name, "-"), os.Getpid()%100000, n), "-")
}

var errNotReady = errors.New("not ready")
