// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Command listener stands in for Logz.io in the demo: it accepts what the logzio exporter sends to the bulk log listener
// (NDJSON, gzip, ?token=&type=) and to the metrics listener (Prometheus remote write 1.0, snappy, Bearer token), and writes
// every document and every sample it receives to files, so a user sees exactly what would go to Logz.io.
//
// It is a demo tool, not a faithful emulator: it accepts every well-formed request. The tests use a strict emulator.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/golang/snappy"
	"github.com/prometheus/prometheus/prompb"
)

func main() {
	logsAddr := flag.String("logs-addr", "127.0.0.1:18071", "address of the bulk log listener")
	metricsAddr := flag.String("metrics-addr", "127.0.0.1:18053", "address of the remote-write metrics listener")
	out := flag.String("out", "demo-output", "directory for logzio-logs.ndjson and logzio-metrics.txt")
	flag.Parse()

	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	logs, err := newSink(filepath.Join(*out, "logzio-logs.ndjson"))
	if err != nil {
		log.Fatal(err)
	}
	metrics, err := newSink(filepath.Join(*out, "logzio-metrics.txt"))
	if err != nil {
		log.Fatal(err)
	}
	servers := []*http.Server{
		{Addr: *logsAddr, Handler: http.HandlerFunc(logs.handleLogs), ReadHeaderTimeout: 10 * time.Second},
		{Addr: *metricsAddr, Handler: http.HandlerFunc(metrics.handleMetrics), ReadHeaderTimeout: 10 * time.Second},
	}
	for _, srv := range servers {
		go func() {
			if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Fatalf("listener %s: %v", srv.Addr, err)
			}
		}()
	}
	log.Printf("demo Logz.io listener: logs on %s, metrics on %s, writing to %s", *logsAddr, *metricsAddr, *out)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range servers {
		_ = srv.Shutdown(ctx)
	}
	logs.close()
	metrics.close()
}

// sink appends lines to one file.
type sink struct {
	mu   sync.Mutex
	file *os.File
	w    *bufio.Writer
}

func newSink(path string) (*sink, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &sink{file: f, w: bufio.NewWriter(f)}, nil
}

func (s *sink) write(lines []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range lines {
		s.w.WriteString(l)
		s.w.WriteByte('\n')
	}
	s.w.Flush()
}

func (s *sink) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.w.Flush()
	s.file.Close()
}

// handleLogs accepts a bulk request: POST /?token=<token>&type=<type>, NDJSON body, optionally gzip.
func (s *sink) handleLogs(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Query().Get("token") == "" {
		http.Error(w, "Logging token is missing", http.StatusUnauthorized)
		return
	}
	body, err := readBody(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var lines []string
	for _, line := range strings.Split(string(body), "\n") {
		if line != "" {
			lines = append(lines, line)
		}
	}
	s.write(lines)
	w.WriteHeader(http.StatusOK)
}

// handleMetrics accepts a remote-write 1.0 request and writes one line per sample: name{labels} value timestamp.
func (s *sink) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		http.Error(w, "metrics token is missing", http.StatusUnauthorized)
		return
	}
	compressed, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	raw, err := snappy.Decode(nil, compressed)
	if err != nil {
		http.Error(w, "snappy: "+err.Error(), http.StatusBadRequest)
		return
	}
	var req prompb.WriteRequest
	if err := req.Unmarshal(raw); err != nil {
		http.Error(w, "protobuf: "+err.Error(), http.StatusBadRequest)
		return
	}
	var lines []string
	for _, ts := range req.Timeseries {
		name, labels := "", make([]string, 0, len(ts.Labels))
		for _, l := range ts.Labels {
			if l.Name == "__name__" {
				name = l.Value
				continue
			}
			labels = append(labels, fmt.Sprintf("%s=%q", l.Name, l.Value))
		}
		sort.Strings(labels)
		for _, sample := range ts.Samples {
			lines = append(lines, fmt.Sprintf("%s{%s} %g %s", name, strings.Join(labels, ","), sample.Value,
				time.UnixMilli(sample.Timestamp).UTC().Format(time.RFC3339)))
		}
	}
	s.write(lines)
	w.WriteHeader(http.StatusOK)
}

func readBody(r *http.Request) ([]byte, error) {
	var body io.Reader = io.LimitReader(r.Body, 10<<20+1)
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		body = io.LimitReader(zr, 10<<20+1)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	if len(b) > 10<<20 {
		return nil, errors.New("body over 10 MB")
	}
	return bytes.TrimRight(b, "\n"), nil
}
