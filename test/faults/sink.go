// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Failure is what the sink answers instead of ingesting a request.
type Failure struct {
	Status int
	// RetryAfter, when not empty, is sent as the Retry-After header.
	RetryAfter string
}

// FailurePlan decides, for the n-th request (counting from 1), whether to fail it; nil means ingest.
type FailurePlan func(n int) *Failure

// Outage fails every request with status (and Retry-After when not empty).
func Outage(status int, retryAfter string) FailurePlan {
	f := &Failure{Status: status, RetryAfter: retryAfter}
	return func(int) *Failure { return f }
}

// RandomFailures fails each request with probability p (seeded: the same seed gives the same sequence).
func RandomFailures(seed uint64, p float64, status int) FailurePlan {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	f := &Failure{Status: status}
	return func(int) *Failure {
		mu.Lock()
		defer mu.Unlock()
		if rng.Float64() < p {
			return f
		}
		return nil
	}
}

// Bursts fails `length` requests in a row out of every `period` requests (counted from the first request the plan
// sees) with status, e.g. 429 three times in every five requests.
func Bursts(period, length, status int, retryAfter string) FailurePlan {
	f := &Failure{Status: status, RetryAfter: retryAfter}
	first := -1
	var mu sync.Mutex
	return func(n int) *Failure {
		mu.Lock()
		if first < 0 {
			first = n
		}
		i := n - first
		mu.Unlock()
		if i%period < length {
			return f
		}
		return nil
	}
}

// Sink is a Logz.io bulk-listener stand-in that counts documents by eventID: a gzip NDJSON body, the token in the
// query string, 200 when ingested; a FailurePlan makes it answer errors without ingesting anything.
type Sink struct {
	URL string

	token  string
	server *httptest.Server

	mu        sync.Mutex
	plan      FailurePlan
	requests  int
	answers   map[int]int
	byEventID map[string]int
	docs      int
	withoutID int
	badBodies int
	// lastDocs keeps a few documents without eventID, for failure messages.
	lastWithoutID []string
	// observer, when set, sees every ingested document (for scenarios that look beyond eventIDs).
	observer func(doc []byte)
	// latency delays every answer, as a distant listener would.
	latency time.Duration
}

// NewSink starts a sink that accepts only token; it is closed when the test ends.
func NewSink(t testing.TB, token string) *Sink {
	t.Helper()
	s := &Sink{token: token, answers: map[int]int{}, byEventID: map[string]int{}}
	s.server = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.server.URL
	t.Cleanup(s.server.Close)
	return s
}

// SetPlan installs a failure plan; nil makes the sink ingest everything again.
func (s *Sink) SetPlan(plan FailurePlan) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plan = plan
}

// SetLatency makes every answer wait d after the request was read (0: answer at once).
func (s *Sink) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// Observe calls fn with every ingested document.
func (s *Sink) Observe(fn func(doc []byte)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.observer = fn
}

func (s *Sink) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 11<<20))
	if err != nil {
		return // the client went away: nothing was ingested
	}
	s.mu.Lock()
	s.requests++
	n, plan, latency := s.requests, s.plan, s.latency
	s.mu.Unlock()
	if latency > 0 {
		time.Sleep(latency)
	}

	status := http.StatusOK
	defer func() {
		s.mu.Lock()
		s.answers[status]++
		s.mu.Unlock()
	}()
	if r.URL.Query().Get("token") != s.token {
		status = http.StatusUnauthorized
		http.Error(w, "Logging token is not valid", status)
		return
	}
	if plan != nil {
		if f := plan(n); f != nil {
			status = f.Status
			if f.RetryAfter != "" {
				w.Header().Set("Retry-After", f.RetryAfter)
			}
			http.Error(w, http.StatusText(f.Status), f.Status)
			return
		}
	}
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err == nil {
			body, err = io.ReadAll(zr)
		}
		if err != nil {
			s.mu.Lock()
			s.badBodies++
			s.mu.Unlock()
			status = http.StatusBadRequest
			http.Error(w, "invalid gzip body", status)
			return
		}
	}
	s.ingest(body)
	w.WriteHeader(http.StatusOK)
}

// ingest counts every line of an NDJSON body by its eventID.
func (s *Sink) ingest(body []byte) {
	type identity struct {
		EventID string `json:"eventID"`
	}
	scanner := bufio.NewScanner(bytes.NewReader(body))
	scanner.Buffer(make([]byte, 0, 64<<10), 11<<20)
	s.mu.Lock()
	defer s.mu.Unlock()
	for scanner.Scan() {
		line := scanner.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		s.docs++
		if s.observer != nil {
			s.observer(line)
		}
		var id identity
		if err := json.Unmarshal(line, &id); err != nil || id.EventID == "" {
			s.withoutID++
			if len(s.lastWithoutID) < 3 {
				s.lastWithoutID = append(s.lastWithoutID, shorten(string(line), 300))
			}
			continue
		}
		s.byEventID[id.EventID]++
	}
}

// Requests is the number of requests received; Answers counts them by the status answered.
func (s *Sink) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Answers returns how many requests got each status.
func (s *Sink) Answers() map[int]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[int]int, len(s.answers))
	for k, v := range s.answers {
		out[k] = v
	}
	return out
}

// Unique is the number of distinct eventIDs received.
func (s *Sink) Unique() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byEventID)
}

// Count compares what arrived with the expected eventIDs.
func (s *Sink) Count(expected map[string]struct{}) Tally {
	s.mu.Lock()
	defer s.mu.Unlock()
	tally := Tally{Sent: len(expected), Documents: s.docs, WithoutEventID: s.withoutID, BadBodies: s.badBodies}
	for id, n := range s.byEventID {
		if _, ok := expected[id]; !ok {
			tally.Unexpected += n
			continue
		}
		tally.Received++
		tally.Duplicated += n - 1
	}
	tally.Lost = tally.Sent - tally.Received
	return tally
}

// HasAll reports whether every expected eventID arrived at least once.
func (s *Sink) HasAll(expected map[string]struct{}) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range expected {
		if s.byEventID[id] == 0 {
			return false
		}
	}
	return true
}

// Tally is what a scenario sent and what the sink received.
type Tally struct {
	Sent       int
	Received   int // distinct expected eventIDs that arrived
	Lost       int
	Duplicated int // extra copies of expected eventIDs
	// Documents is every line ingested; Unexpected counts documents whose eventID was not sent; WithoutEventID
	// counts documents with no eventID; BadBodies counts requests whose gzip body could not be read.
	Documents      int
	Unexpected     int
	WithoutEventID int
	BadBodies      int
}

func (t Tally) String() string {
	return fmt.Sprintf("sent %d, received %d, lost %d, duplicated %d (documents %d, unexpected %d, without eventID %d, bad bodies %d)",
		t.Sent, t.Received, t.Lost, t.Duplicated, t.Documents, t.Unexpected, t.WithoutEventID, t.BadBodies)
}

// StatusSummary renders answer counts as "200×12 503×40".
func StatusSummary(answers map[int]int) string {
	var buf bytes.Buffer
	for _, code := range []int{200, 400, 401, 413, 429, 500, 502, 503} {
		if answers[code] > 0 {
			if buf.Len() > 0 {
				buf.WriteByte(' ')
			}
			buf.WriteString(strconv.Itoa(code) + "×" + strconv.Itoa(answers[code]))
		}
	}
	return buf.String()
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
