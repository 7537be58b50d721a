// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package logziotest is an in-process emulator of the Logz.io bulk HTTP log listener for tests.
//
// It enforces the contract described in docs/logzio-listeners.md: a POST with a token query parameter
// (401 "Logging token is missing" / "Logging token is not valid"), an optional type without spaces, an optional
// gzip body, a 10 MB request limit (413), NDJSON lines of at most 500,000 bytes, and a 400 partial-success answer
// with malformedLines/successfulLines/oversizedLines/emptyLogLines. Lines that parse but break a field rule
// (dots in keys, nesting depth, field count, field size) are stored, as Logz.io does, and recorded as Violations so
// that tests can assert there are none. Tests can script answers (any status, headers such as Retry-After,
// lines ingested or not, a dropped connection), one by one or decided per request (Decide), delay every answer
// (SetLatency), and, for runs too long to keep every line, take the accepted lines as they come (Options.Consume).
package logziotest // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/logziotest"

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Limits of the real listener (docs/logzio-listeners.md#limits and #field-rules).
const (
	DefaultMaxRequestBytes = 10 * 1024 * 1024
	DefaultMaxLineBytes    = 500_000
	MaxFieldBytes          = 32_700
	MaxDepth               = 10
	MaxFields              = 1_000
)

// Options configure a Listener. The zero value emulates the real listener and accepts any non-empty token.
type Options struct {
	// Tokens, when set, are the only tokens accepted; others get 401 "Logging token is not valid".
	Tokens []string
	// MaxRequestBytes overrides the 10,485,760-byte body limit (applied to the compressed and the uncompressed body),
	// so that tests can provoke 413 without sending 10 MB.
	MaxRequestBytes int
	// MaxLineBytes overrides the 500,000-byte line limit.
	MaxLineBytes int
	// TLS serves HTTPS with a self-signed certificate (see CAFile), like the real listener on port 8071.
	TLS bool
	// Consume, when set, receives every accepted line instead of the listener keeping it, so that a long run does not
	// hold every line in memory: Entries and Docs then stay empty (Requests and Violations are kept). It is called
	// from the request's goroutine, before the request shows in Requests, concurrently for concurrent requests.
	Consume func(Entry)
	// SkipDecoding accepts every line that is neither empty nor oversized as it is, without decoding it or applying
	// the field rules (Entry.Doc is nil; no MALFORMED_LINE, field or TYPE_MISMATCH violation is recorded): for load
	// runs, where decoding every line would cost the test more CPU than the sender it measures uses.
	SkipDecoding bool
}

// Counts is the body of a 400 answer.
type Counts struct {
	MalformedLines  int `json:"malformedLines"`
	SuccessfulLines int `json:"successfulLines"`
	OversizedLines  int `json:"oversizedLines"`
	EmptyLogLines   int `json:"emptyLogLines"`
}

// Request describes one request the listener received.
type Request struct {
	Token           string
	Type            string
	ContentType     string
	ContentEncoding string
	UserAgent       string
	// CompressedBytes is the body size on the wire; Bytes the size after gunzip.
	CompressedBytes int
	Bytes           int
	// Lines is the number of lines in the body (a trailing newline does not add one).
	Lines int
	// Status is what the listener answered (0 when the connection was dropped).
	Status int
	// Scripted is true when the answer came from Script or Always.
	Scripted bool
	Counts   Counts
}

// Entry is one stored log line.
type Entry struct {
	// Type is the request's type parameter ("http-bulk" when absent, as documented).
	Type string
	// Line is the raw line as received.
	Line string
	// Doc is the line decoded with encoding/json (numbers as float64).
	Doc map[string]any
}

// Violation is a breach of the listener contract that the real listener would not reject outright but that
// damages the log (it becomes type logzio-invalid-log) or that the sender must never do.
type Violation struct {
	// Rule is the Logz.io tag or a short name: ARRAY_INDEX_OUT_OF_BOUNDS_EXCEPTION (dot in a key), MAX_JSON_DEPTH,
	// MAX_FIELDS_NUMBER, INVALID_FIELD_VALUE_LENGTH, MAX_FIELD_KEY_SIZE, TYPE_MISMATCH, TYPE_WITH_SPACES,
	// CONTENT_TYPE, GZIP, EMPTY_LINE, OVERSIZED_LINE, MALFORMED_LINE.
	Rule   string
	Detail string
	// Line is the offending line, shortened.
	Line string
}

// Listener is a running emulator. Its methods are safe for concurrent use.
type Listener struct {
	// URL is the base URL, e.g. http://127.0.0.1:41234; requests go to URL + "/?token=...&type=...".
	URL string

	opts   Options
	server *httptest.Server

	mu         sync.Mutex
	received   int
	script     []Answer
	decide     func(n int) *Answer
	always     *Answer
	latency    time.Duration
	entries    []Entry
	requests   []Request
	violations []Violation
}

// New starts a listener that is closed when the test ends.
func New(t testing.TB, opts Options) *Listener {
	t.Helper()
	if opts.MaxRequestBytes <= 0 {
		opts.MaxRequestBytes = DefaultMaxRequestBytes
	}
	if opts.MaxLineBytes <= 0 {
		opts.MaxLineBytes = DefaultMaxLineBytes
	}
	l := &Listener{opts: opts}
	if opts.TLS {
		l.server = httptest.NewTLSServer(http.HandlerFunc(l.serveHTTP))
	} else {
		l.server = httptest.NewServer(http.HandlerFunc(l.serveHTTP))
	}
	l.URL = l.server.URL
	t.Cleanup(l.server.Close)
	return l
}

// CAFile writes the certificate of a TLS listener to a PEM file in a temporary directory and returns its path,
// for a client's tls.ca_file.
func (l *Listener) CAFile(t testing.TB) string {
	t.Helper()
	if l.server.Certificate() == nil {
		t.Fatal("logziotest: CAFile needs Options.TLS")
	}
	path := filepath.Join(t.TempDir(), "listener-ca.pem")
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: l.server.Certificate().Raw})
	if err := os.WriteFile(path, certPEM, 0o600); err != nil {
		t.Fatalf("logziotest: writing the CA file: %v", err)
	}
	return path
}

// Entries returns the stored lines, in the order they were accepted.
func (l *Listener) Entries() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.entries)
}

// Docs returns the stored documents, in the order they were accepted.
func (l *Listener) Docs() []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	docs := make([]map[string]any, len(l.entries))
	for i, e := range l.entries {
		docs[i] = e.Doc
	}
	return docs
}

// Requests returns every request received, in order.
func (l *Listener) Requests() []Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.requests)
}

// Violations returns every contract breach seen so far.
func (l *Listener) Violations() []Violation {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.violations)
}

func (l *Listener) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	query := r.URL.Query()
	req := Request{
		Token:           query.Get("token"),
		Type:            query.Get("type"),
		ContentType:     r.Header.Get("Content-Type"),
		ContentEncoding: r.Header.Get("Content-Encoding"),
		UserAgent:       r.Header.Get("User-Agent"),
	}
	if req.Type == "" {
		req.Type = "http-bulk"
	}

	scripted, isScripted := l.nextScripted()
	if isScripted {
		req.Scripted = true
		if scripted.DropConnection {
			l.record(req, nil, nil)
			dropConnection(w)
			return
		}
	}

	status, body, counts, entries, violations := l.process(r, &req, scripted, isScripted)
	req.Status = status
	req.Counts = counts
	l.mu.Lock()
	latency := l.latency
	l.mu.Unlock()
	if latency > 0 {
		time.Sleep(latency)
	}
	if l.opts.Consume != nil {
		for _, e := range entries {
			l.opts.Consume(e)
		}
		entries = nil
	}
	l.record(req, entries, violations)
	if isScripted {
		for name, values := range scripted.Header {
			for _, v := range values {
				w.Header().Add(name, v)
			}
		}
	}
	if status == http.StatusBadRequest && strings.HasPrefix(body, "{") {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func (l *Listener) record(req Request, entries []Entry, violations []Violation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.requests = append(l.requests, req)
	l.entries = append(l.entries, entries...)
	l.violations = append(l.violations, violations...)
}

// process applies the listener's rules to one request and returns the answer and what to store.
func (l *Listener) process(r *http.Request, req *Request, scripted Answer, isScripted bool) (status int, body string, counts Counts, entries []Entry, violations []Violation) {
	if req.Token == "" {
		return http.StatusUnauthorized, "Logging token is missing", counts, nil, nil
	}
	if len(l.opts.Tokens) > 0 && !slices.Contains(l.opts.Tokens, req.Token) {
		return http.StatusUnauthorized, "Logging token is not valid", counts, nil, nil
	}
	if strings.ContainsAny(req.Type, " \t") {
		violations = append(violations, Violation{Rule: "TYPE_WITH_SPACES", Detail: fmt.Sprintf("type %q contains spaces", req.Type)})
	}
	if mediaType, _, _ := strings.Cut(req.ContentType, ";"); mediaType != "application/json" && mediaType != "text/plain" {
		violations = append(violations, Violation{Rule: "CONTENT_TYPE", Detail: fmt.Sprintf("Content-Type %q is neither application/json nor text/plain", req.ContentType)})
	}

	// Every line stored or consumed is a copy (checkLine), so the body's buffers serve the next request.
	rawBuf, payloadBuf := getBuffer(), getBuffer()
	defer putBuffer(rawBuf)
	defer putBuffer(payloadBuf)
	raw, err := readAtMost(rawBuf, r.Body, int(r.ContentLength), l.opts.MaxRequestBytes)
	if err != nil {
		return http.StatusBadRequest, "cannot read body", counts, nil, violations
	}
	req.CompressedBytes = len(raw)
	if len(raw) > l.opts.MaxRequestBytes {
		return http.StatusRequestEntityTooLarge, "Request body is too large", counts, nil, violations
	}
	payload := raw
	if strings.EqualFold(req.ContentEncoding, "gzip") {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			violations = append(violations, Violation{Rule: "GZIP", Detail: err.Error()})
			return http.StatusBadRequest, "body is not gzip", counts, nil, violations
		}
		payload, err = readAtMost(payloadBuf, zr, gzipSize(raw), l.opts.MaxRequestBytes)
		if err != nil {
			violations = append(violations, Violation{Rule: "GZIP", Detail: err.Error()})
			return http.StatusBadRequest, "body is not gzip", counts, nil, violations
		}
	}
	req.Bytes = len(payload)
	if len(payload) > l.opts.MaxRequestBytes {
		return http.StatusRequestEntityTooLarge, "Request body is too large", counts, nil, violations
	}

	lines := splitLines(payload)
	req.Lines = len(lines)

	if isScripted && !scripted.Ingest {
		return scripted.Status, scripted.Body, counts, nil, violations
	}

	for i, line := range lines {
		if isScripted && i < scripted.RejectFirst {
			counts.MalformedLines++
			continue
		}
		entry, lineViolations, rejection := l.checkLine(line, req.Type)
		violations = append(violations, lineViolations...)
		switch rejection {
		case "empty":
			counts.EmptyLogLines++
		case "oversized":
			counts.OversizedLines++
		case "malformed":
			counts.MalformedLines++
		default:
			counts.SuccessfulLines++
			entries = append(entries, entry)
		}
	}

	if isScripted {
		body = scripted.Body
		if scripted.Status == http.StatusBadRequest && body == "" {
			body = countsJSON(counts)
		}
		return scripted.Status, body, counts, entries, violations
	}
	if counts.SuccessfulLines != len(lines) {
		return http.StatusBadRequest, countsJSON(counts), counts, entries, violations
	}
	return http.StatusOK, "", counts, entries, violations
}

// readAtMost reads r to its end, or to limit+1 bytes (enough to tell a body over the limit), into buf, grown at once
// from sizeHint (the Content-Length, or the gzip trailer's length): growing from nothing would allocate, clear and
// copy the megabytes of a large body several times, more CPU than a load run's sender spends on it.
func readAtMost(buf *bytes.Buffer, r io.Reader, sizeHint, limit int) ([]byte, error) {
	if sizeHint > 0 {
		buf.Grow(min(sizeHint, limit+1) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(io.LimitReader(r, int64(limit)+1))
	return buf.Bytes(), err
}

// bodyBuffers keeps the buffers of request bodies between requests (see process).
var bodyBuffers sync.Pool

func getBuffer() *bytes.Buffer {
	if b, ok := bodyBuffers.Get().(*bytes.Buffer); ok {
		return b
	}
	return new(bytes.Buffer)
}

func putBuffer(b *bytes.Buffer) {
	b.Reset()
	bodyBuffers.Put(b)
}

// gzipSize is the uncompressed size a gzip body's trailer states (ISIZE, modulo 4 GiB; of its last member only): a
// hint for readAtMost, never trusted beyond that.
func gzipSize(body []byte) int {
	if len(body) < 18 {
		return 0
	}
	return int(binary.LittleEndian.Uint32(body[len(body)-4:]))
}

// splitLines splits an NDJSON body on '\n'; a final newline does not start an extra line.
func splitLines(payload []byte) [][]byte {
	if len(payload) == 0 {
		return nil
	}
	payload = bytes.TrimSuffix(payload, []byte("\n"))
	return bytes.Split(payload, []byte("\n"))
}

// checkLine applies the line rules. rejection is "", "empty", "oversized" or "malformed".
func (l *Listener) checkLine(line []byte, docType string) (entry Entry, violations []Violation, rejection string) {
	if len(bytes.TrimSpace(line)) == 0 {
		return entry, []Violation{{Rule: "EMPTY_LINE", Detail: "empty line", Line: shorten(line)}}, "empty"
	}
	if len(line) > l.opts.MaxLineBytes {
		return entry, []Violation{{Rule: "OVERSIZED_LINE", Detail: fmt.Sprintf("%d bytes > %d", len(line), l.opts.MaxLineBytes), Line: shorten(line)}}, "oversized"
	}
	if l.opts.SkipDecoding {
		return Entry{Type: docType, Line: string(line)}, nil, ""
	}
	short := shorten(line)
	var tree any
	if err := decodeStrict(line, &tree, true); err != nil {
		return entry, []Violation{{Rule: "MALFORMED_LINE", Detail: err.Error(), Line: short}}, "malformed"
	}
	object, ok := tree.(map[string]any)
	if !ok {
		return entry, []Violation{{Rule: "MALFORMED_LINE", Detail: "line is not a JSON object", Line: short}}, "malformed"
	}
	for _, problem := range checkFields(object) {
		violations = append(violations, Violation{Rule: problem.rule, Detail: problem.detail, Line: short})
	}
	if lineType, has := object["type"]; has && lineType != docType {
		violations = append(violations, Violation{Rule: "TYPE_MISMATCH", Detail: fmt.Sprintf("field type %v differs from the type parameter %q", lineType, docType), Line: short})
	}
	var doc map[string]any
	if err := decodeStrict(line, &doc, false); err != nil {
		return entry, []Violation{{Rule: "MALFORMED_LINE", Detail: err.Error(), Line: short}}, "malformed"
	}
	return Entry{Type: docType, Line: string(line), Doc: doc}, violations, ""
}

// decodeStrict decodes exactly one JSON value from line, with nothing after it.
func decodeStrict(line []byte, into any, useNumber bool) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	if useNumber {
		dec.UseNumber()
	}
	if err := dec.Decode(into); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("data after the JSON object")
	}
	return nil
}

func countsJSON(c Counts) string {
	b, _ := json.Marshal(c)
	return string(b)
}

func shorten(line []byte) string {
	const maxShown = 200
	if len(line) > maxShown {
		return string(line[:maxShown]) + "..."
	}
	return string(line)
}
