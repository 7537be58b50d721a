// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
)

// redWithin is how soon the health endpoint must turn unhealthy once the receiver cannot read the bucket: the shipped
// recovery_duration (30 s) plus the time to start and to meet the error.
const redWithin = 60 * time.Second

// healthScenario is the shared part of the health scenarios: versitygw (it checks signatures) holding a few trail
// files, the Logz.io stand-in, and the collector configuration with the shipped health_check block.
type healthScenario struct {
	*scenario
	server     *testpeers.S3Server
	bucket     string
	corpus     *Corpus
	sink       *Sink
	ports      CollectorPorts
	startTime  time.Time
	block      map[string]any
	statusPath string
}

func startHealthScenario(t *testing.T, name string) *healthScenario {
	s := startScenario(t, name)
	h := &healthScenario{scenario: s, server: testpeers.VersityGW(t)}
	client := testpeers.S3Client(t, h.server)
	h.bucket = testpeers.UniqueName(t, "health")
	testpeers.CreateBucket(t, client, h.bucket)
	first := time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Hour)
	h.corpus = NewCorpus()
	h.corpus.AddFiles(t, 11, 8, 25, first, time.Minute)
	h.corpus.Upload(s.ctx, t, client, h.bucket, 0)
	s.row.Sent = len(h.corpus.EventIDs)
	h.startTime = first.Add(-time.Hour)
	h.sink = NewSink(t, s.secrets.LogsToken)
	ports := FreePorts(t, 2)
	h.ports = CollectorPorts{Health: ports[0], Metrics: ports[1]}
	h.block, h.statusPath = ShippedHealthCheck(t, h.ports.Health)
	return h
}

// config renders the fault suite's configuration against endpoint (versitygw or a proxy in front of it) with the
// given AWS keys and the shipped health_check block.
func (h *healthScenario) config(endpoint, accessKey, secretKey string) string {
	h.t.Helper()
	secrets := h.secrets
	secrets.AWSAccessKey, secrets.AWSSecretKey = accessKey, secretKey
	cfg := PipelineConfig{
		Ports:      h.ports,
		StorageDir: filepath.Join(h.dir, "storage"),
		Secrets:    secrets,
		S3Endpoint: endpoint,
		Region:     h.server.Region,
		Bucket:     h.bucket,
		StartTime:  h.startTime,
		SinkURL:    h.sink.URL,
	}
	yaml, err := cfg.Render()
	if err != nil {
		h.t.Fatalf("rendering the collector config: %v", err)
	}
	return WithHealthCheck(h.t, yaml, h.block)
}

// start runs the binary the way the packages do (with the feature gate) and waits for its first 200.
func (h *healthScenario) start(config string) *Collector {
	h.t.Helper()
	c := NewCollector(h.t, h.dir, config, h.ports)
	c.HealthURL = "http://127.0.0.1:" + strconv.Itoa(h.ports.Health) + h.statusPath
	h.collector = c
	c.StartWithArgs(h.ctx, HealthCheckGate)
	return c
}

// waitHealth polls the health endpoint (with ?verbose) until want holds, failing after within; it returns the answer
// and how long it took.
func (h *healthScenario) waitHealth(what string, within time.Duration, want func(HealthAnswer) bool) (HealthAnswer, time.Duration) {
	h.t.Helper()
	started := time.Now()
	url := h.collector.HealthURL + "?verbose"
	var last HealthAnswer
	var lastErr error
	for {
		a, err := GetHealth(h.ctx, url)
		if err == nil && want(a) {
			if !h.secrets.AssertNotLeaked(h.t, "health answer", a.Body) {
				h.leaked = true
			}
			return a, time.Since(started)
		}
		last, lastErr = a, err
		if time.Since(started) > within {
			h.t.Fatalf("%s: not within %s; last answer %d %s (error %v)\n%s", what, within, last.Code, last.Body, lastErr, h.collector.LogTail(3000))
		}
		if !h.collector.Running() {
			h.t.Fatalf("the collector died while waiting for %s:\n%s", what, h.collector.LogTail(4000))
		}
		select {
		case <-h.ctx.Done():
			h.t.Fatalf("deadline reached waiting for %s; last answer %d %s", what, last.Code, last.Body)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func unhealthy(a HealthAnswer) bool { return a.Code >= 300 }

func healthyOK(a HealthAnswer) bool {
	return a.Code == http.StatusOK && a.Healthy && a.Status == "StatusOK"
}

// waitRecords waits until every record of the corpus reached the stand-in.
func (h *healthScenario) waitRecords() {
	h.t.Helper()
	h.waitFor("every record", 200*time.Millisecond, func() bool { return h.sink.HasAll(h.corpus.EventIDs) },
		func() { h.setTally(h.sink.Count(h.corpus.EventIDs)) })
	h.settle(h.sink, 2*time.Second)
	tally := h.sink.Count(h.corpus.EventIDs)
	h.setTally(tally)
	if tally.Lost != 0 || tally.Duplicated != 0 {
		h.t.Errorf("records: %s", tally)
	}
}

// receiverError returns the cloudtrails3 receiver's entry of an answer, failing when it is missing or healthy.
func (h *healthScenario) receiverError(a HealthAnswer) ComponentHealth {
	h.t.Helper()
	rc, ok := a.Components["receiver:cloudtrails3"]
	if !ok {
		h.t.Fatalf("the health answer lists no receiver:cloudtrails3: %s", a.Body)
	}
	if rc.Healthy || rc.Status != "StatusRecoverableError" {
		h.t.Errorf("receiver:cloudtrails3 is %s (healthy %v), want an unhealthy StatusRecoverableError: %s", rc.Status, rc.Healthy, a.Body)
	}
	return rc
}

// TestHealthWrongCredentialsThenReload: the real binary, started as the packages start it, with credentials that
// versitygw refuses: the health endpoint answers 500 within a minute, naming the receiver and what to check. The
// right credentials, loaded with a config reload (SIGHUP, `systemctl reload`) into the same process, make it
// healthy again, and every record arrives once.
func TestHealthWrongCredentialsThenReload(t *testing.T) {
	h := startHealthScenario(t, "health: wrong AWS credentials, then a reload with the right ones")
	started := time.Now()
	// The scenario's marker keys: versitygw knows no such access key (404 XAdminUserNotFound; AWS: 403
	// InvalidAccessKeyId).
	c := h.start(h.config(h.server.Endpoint, h.secrets.AWSAccessKey, h.secrets.AWSSecretKey))
	pid := c.Pid()

	red, _ := h.waitHealth("an unhealthy answer with wrong credentials", redWithin, unhealthy)
	redAfter := time.Since(started)
	if red.Code != http.StatusInternalServerError || red.Healthy {
		t.Errorf("answer %d (healthy %v), want 500 and healthy false: %s", red.Code, red.Healthy, red.Body)
	}
	rc := h.receiverError(red)
	for _, want := range []string{"the credentials themselves are not accepted", "check access_key_id and secret_access_key"} {
		if !strings.Contains(rc.Error, want) {
			t.Errorf("the receiver's error does not say %q: %s", want, rc.Error)
		}
	}
	if denied := h.scrape().Sum("otelcol_receiver_cloudtrails3_list_failed", `reason="access_denied"`); denied < 1 {
		t.Errorf("list_failed{reason=access_denied} = %.0f, want at least 1", denied)
	}

	reloaded := time.Now()
	c.Reload(h.config(h.server.Endpoint, h.server.AccessKey, h.server.SecretKey))
	_, greenAfter := h.waitHealth("a healthy answer after the reload", redWithin, healthyOK)
	h.waitRecords()
	recordsAfter := time.Since(reloaded)
	if final, err := GetHealth(h.ctx, c.HealthURL); err != nil || !healthyOK(final) {
		t.Errorf("after every record arrived the answer is %d %s (%v), want 200 StatusOK", final.Code, final.Body, err)
	}
	if c.Pid() != pid {
		t.Errorf("the process changed (%d → %d): a reload must not restart it", pid, c.Pid())
	}
	h.scrape()
	c.Stop()

	h.note("500 after %s (start → first non-2xx; recovery_duration 30s); reload → 200 in %s; every record %s after the reload",
		redAfter.Round(100*time.Millisecond), greenAfter.Round(100*time.Millisecond), recordsAfter.Round(100*time.Millisecond))
	t.Logf("start → 500: %s; reload → 200: %s; reload → every record: %s", redAfter, greenAfter, recordsAfter)
	t.Logf("receiver:cloudtrails3 error: %s", rc.Error)
}

// denyingProxy forwards to an S3 server, unchanged (Host included, so signatures stay valid), except while deny is set:
// then it answers every request 403 AccessDenied, as S3 does when a bucket policy refuses the caller.
type denyingProxy struct {
	URL  string
	deny atomic.Bool
}

func newDenyingProxy(t *testing.T, target string) *denyingProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &denyingProxy{}
	forward := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.deny.Load() {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>faults</RequestId></Error>`)
			return
		}
		forward.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// TestHealthAccessDeniedThenFixedWithoutRestart: the bucket refuses the collector (403 AccessDenied, a bucket policy
// in the way): the health endpoint answers 500 within a minute, saying which permission is missing. Once the bucket
// lets it in, the same process, neither restarted nor reloaded, reports healthy again and every record arrives once.
func TestHealthAccessDeniedThenFixedWithoutRestart(t *testing.T) {
	h := startHealthScenario(t, "health: bucket access denied, then allowed (no restart)")
	proxy := newDenyingProxy(t, h.server.Endpoint)
	proxy.deny.Store(true)
	started := time.Now()
	c := h.start(h.config(proxy.URL, h.server.AccessKey, h.server.SecretKey))
	pid := c.Pid()

	red, _ := h.waitHealth("an unhealthy answer while access is denied", redWithin, unhealthy)
	redAfter := time.Since(started)
	rc := h.receiverError(red)
	if want := "the credentials need s3:ListBucket on arn:aws:s3:::" + h.bucket; !strings.Contains(rc.Error, want) {
		t.Errorf("the receiver's error does not say %q: %s", want, rc.Error)
	}

	allowed := time.Now()
	proxy.deny.Store(false)
	_, greenAfter := h.waitHealth("a healthy answer once access is allowed", redWithin, healthyOK)
	h.waitRecords()
	recordsAfter := time.Since(allowed)
	if c.Pid() != pid {
		t.Errorf("the collector was restarted (pid %d → %d): it must recover by itself", pid, c.Pid())
	}
	h.scrape()
	c.Stop()

	h.note("500 after %s (start → first non-2xx); access allowed → 200 in %s; every record %s after, same process",
		redAfter.Round(100*time.Millisecond), greenAfter.Round(100*time.Millisecond), recordsAfter.Round(100*time.Millisecond))
	t.Logf("start → 500: %s; allowed → 200: %s; allowed → every record: %s", redAfter, greenAfter, recordsAfter)
	t.Logf("receiver:cloudtrails3 error: %s", rc.Error)
}
