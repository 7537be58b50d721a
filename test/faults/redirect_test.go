// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestRedirectingListener: the Logz.io endpoint answers every request with 307 to another host. The exporter never
// follows it: the other host receives nothing (no records, no token in a URL, header or Referer), the configuration
// error is logged once with the Location host only, and the collector stays up. The records are not delivered (a
// configuration error) and not given up either: the receiver keeps the objects unread (no object counts as refused).
func TestRedirectingListener(t *testing.T) {
	s := startScenario(t, "redirecting listener: 307 to another host")
	sc := s.scale
	server, client, bucket := s.s3()

	first := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Hour)
	corpus := NewCorpus()
	corpus.AddFiles(t, 7, sc.GoodFilesAround, sc.RecordsPerFile, first, time.Minute)
	corpus.Upload(s.ctx, t, client, bucket, 0)

	// The redirect target records everything it is sent.
	var mu sync.Mutex
	var targetRequests []string
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		var b strings.Builder
		b.WriteString(r.Method + " " + r.URL.String())
		for name, values := range r.Header {
			b.WriteString(" " + name + "=" + strings.Join(values, ","))
		}
		targetRequests = append(targetRequests, b.String())
	}))
	t.Cleanup(target.Close)
	var redirects int
	listener := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		redirects++
		mu.Unlock()
		http.Redirect(w, r, target.URL+"/elsewhere?"+r.URL.RawQuery, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(listener.Close)

	collector := s.startCollector(PipelineConfig{
		S3Endpoint: server.Endpoint,
		Bucket:     bucket,
		StartTime:  first.Add(-time.Hour),
		SinkURL:    listener.URL,
	})
	s.waitFor("redirect answers and the configuration error in the log", 200*time.Millisecond, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return redirects >= 1 && strings.Contains(string(collector.Logs()), "answered with a redirect")
	}, func() {})
	s.sleep(2 * time.Second)
	telemetry := s.scrape()
	running := collector.Running()
	collector.Stop()

	mu.Lock()
	defer mu.Unlock()
	s.row.Sent = len(corpus.EventIDs)
	logs := string(collector.Logs())
	logged := strings.Count(logs, "answered with a redirect")
	refused := telemetry.Sum("otelcol_receiver_cloudtrails3_objects_failed", `reason="refused"`)
	s.note("%d redirect answers, %d requests reached the redirect target, configuration error logged %d time(s); objects given up %.0f (kept unread for when the configuration is fixed)",
		redirects, len(targetRequests), logged, refused)
	if refused != 0 {
		t.Errorf("%.0f objects were given up as refused; a redirect is a configuration error and must keep them unread", refused)
	}
	if len(targetRequests) != 0 {
		t.Errorf("the redirect target was sent %d requests, want none: %v", len(targetRequests), targetRequests)
	}
	if logged != 1 {
		t.Errorf("the redirect configuration error was logged %d times, want once", logged)
	}
	if host := strings.TrimPrefix(target.URL, "http://"); !strings.Contains(logs, host) {
		t.Errorf("the log does not name the Location host %s", host)
	}
	if !running {
		t.Errorf("the collector stopped")
	}
	// The suite's secret markers (tokens, keys) must not be in the logs or telemetry: startScenario's cleanup checks.
}
