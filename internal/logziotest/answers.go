// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logziotest // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/logziotest"

import (
	"net/http"
	"time"
)

// Answer is a scripted reaction to one request.
type Answer struct {
	// Status is the HTTP status to answer. Ignored when DropConnection is set.
	Status int
	// Header is added to the answer, e.g. {"Retry-After": {"2"}}.
	Header http.Header
	// Body is the answer body. For a 400 with Ingest and no Body, the four counts are computed and sent.
	Body string
	// Ingest stores the request's lines as accepted, as the real listener does for the valid lines of a 400 answer.
	Ingest bool
	// RejectFirst, with Ingest, counts the first N lines of the request as malformed and does not store them.
	RejectFirst int
	// DropConnection closes the connection without an answer.
	DropConnection bool
}

// Script queues answers; each request consumes the next one instead of the normal processing.
func (l *Listener) Script(answers ...Answer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.script = append(l.script, answers...)
}

// Decide makes fn choose the answer to every request that Script has no answer queued for: fn gets the request's
// number n (counting every request received from 1) and returns the answer, or nil for what Always or the normal
// processing gives. Decide(nil) removes fn. fn may be called concurrently.
func (l *Listener) Decide(fn func(n int) *Answer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.decide = fn
}

// Always makes every request without a scripted or decided answer get a; nil restores normal processing.
func (l *Listener) Always(a *Answer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.always = a
}

// SetLatency makes every answer wait d once the request's body was read, as a distant listener's would: what the
// request brings is stored, and the request shows in Requests, only then (0: answer at once).
func (l *Listener) SetLatency(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.latency = d
}

// nextScripted returns the answer Script, Decide or Always gives to the request just received, if any.
func (l *Listener) nextScripted() (Answer, bool) {
	l.mu.Lock()
	l.received++
	if len(l.script) > 0 {
		a := l.script[0]
		l.script = l.script[1:]
		l.mu.Unlock()
		return a, true
	}
	n, decide := l.received, l.decide
	var always *Answer
	if l.always != nil {
		a := *l.always
		always = &a
	}
	l.mu.Unlock()
	// fn runs without the lock, so that it may be slow or use the listener.
	if decide != nil {
		if a := decide(n); a != nil {
			return *a, true
		}
	}
	if always != nil {
		return *always, true
	}
	return Answer{}, false
}

// dropConnection closes the client connection without writing an answer.
func dropConnection(w http.ResponseWriter) {
	hijacker, ok := w.(http.Hijacker)
	if !ok {
		panic("logziotest: the response writer cannot be hijacked")
	}
	conn, _, err := hijacker.Hijack()
	if err == nil {
		_ = conn.Close()
	}
}
