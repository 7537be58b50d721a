// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/logziotest"
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

// Sink is the suite's Logz.io listener: internal/logziotest (the real listener's token, request-size, gzip and
// empty/oversized-line rules and answers) counting the documents it accepts by eventID; a FailurePlan makes it answer
// errors without ingesting anything. It keeps no document (Options.Consume), so that runs of hundreds of thousands of
// records stay light, and reads no more of a document than its eventID (Options.SkipDecoding): decoding every line
// for the field rules costs about five times as much CPU per record, enough for the stand-in, not the collector, to
// set the e2e bench's pace. The line and field rules are the exporter tests' to check.
type Sink struct {
	URL string

	listener *logziotest.Listener

	mu        sync.Mutex
	byEventID map[string]int
	docs      int
	withoutID int
	// observer, when set, sees every ingested document (for scenarios that look beyond eventIDs).
	observer func(doc []byte)
}

// NewSink starts a sink that accepts only token; it is closed when the test ends.
func NewSink(t testing.TB, token string) *Sink {
	t.Helper()
	s := &Sink{byEventID: map[string]int{}}
	s.listener = logziotest.New(t, logziotest.Options{Tokens: []string{token}, Consume: s.ingest, SkipDecoding: true})
	s.URL = s.listener.URL
	return s
}

// SetPlan installs a failure plan; nil makes the sink ingest everything again. A request with a wrong token gets 401
// whatever the plan says.
func (s *Sink) SetPlan(plan FailurePlan) {
	if plan == nil {
		s.listener.Decide(nil)
		return
	}
	s.listener.Decide(func(n int) *logziotest.Answer {
		f := plan(n)
		if f == nil {
			return nil
		}
		answer := &logziotest.Answer{Status: f.Status, Body: http.StatusText(f.Status)}
		if f.RetryAfter != "" {
			answer.Header = http.Header{"Retry-After": {f.RetryAfter}}
		}
		return answer
	})
}

// SetLatency makes every answer wait d after the request was read (0: answer at once).
func (s *Sink) SetLatency(d time.Duration) {
	s.listener.SetLatency(d)
}

// Observe calls fn with every ingested document.
func (s *Sink) Observe(fn func(doc []byte)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.observer = fn
}

// ingest counts one accepted NDJSON line by its eventID.
func (s *Sink) ingest(entry logziotest.Entry) {
	id, ok := eventID(entry.Line)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs++
	if s.observer != nil {
		s.observer([]byte(entry.Line))
	}
	if !ok || id == "" {
		s.withoutID++
		return
	}
	s.count(id)
}

// count adds one document with eventID id; s.mu is held. id is a piece of the line, and assigning to a map stores
// the key given even when an equal one is there: a copy keeps the map from holding every line.
func (s *Sink) count(id string) {
	s.byEventID[strings.Clone(id)]++
}

// eventIDKey starts the eventID member as the collector writes it (compact JSON).
const eventIDKey = `"eventID":"`

// eventID returns a document's eventID. The member is found by its bytes: outside a string a quote is structural, and
// inside one it is escaped, so the first match is a member named eventID with a string value; it is the record's own
// unless a value before it holds an object with an eventID, which no CloudTrail record (nor the suite's) has. An ID
// with an escape, or a line without the member, is decoded as JSON instead. Decoding every line costs the stand-in
// more CPU than the collector spends on it, on the same cores (make bench-e2e); TestSinkEventID compares both ways.
func eventID(line string) (string, bool) {
	if i := strings.Index(line, eventIDKey); i >= 0 {
		rest := line[i+len(eventIDKey):]
		if end := strings.IndexAny(rest, `"\`); end >= 0 && rest[end] == '"' {
			return rest[:end], true
		}
	}
	var doc struct {
		EventID string `json:"eventID"`
	}
	if err := json.Unmarshal([]byte(line), &doc); err != nil {
		return "", false
	}
	return doc.EventID, true
}

// Requests is the number of requests received; Answers counts them by the status answered.
func (s *Sink) Requests() int {
	return len(s.listener.Requests())
}

// WireBytes is the total size of the request bodies received, as sent (compressed when gzipped).
func (s *Sink) WireBytes() int64 {
	var n int64
	for _, r := range s.listener.Requests() {
		n += int64(r.CompressedBytes)
	}
	return n
}

// Answers returns how many requests got each status.
func (s *Sink) Answers() map[int]int {
	out := map[int]int{}
	for _, r := range s.listener.Requests() {
		out[r.Status]++
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
	badBodies := 0
	for _, v := range s.listener.Violations() {
		if v.Rule == "GZIP" {
			badBodies++
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tally := Tally{Sent: len(expected), Documents: s.docs, WithoutEventID: s.withoutID, BadBodies: badBodies}
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
