// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// FirehoseRequest is one Firehose HTTP endpoint delivery: headers and body.
type FirehoseRequest struct {
	RequestID string
	AccessKey string // empty: no X-Amz-Firehose-Access-Key header
	Encoding  string // Content-Encoding, empty for none
	Body      []byte
}

// MetricStreamRecord is one CloudWatch Metric Streams JSON record (a line, newline-terminated) for metric of
// instance at time at.
func MetricStreamRecord(metric, instance string, at time.Time) []byte {
	return fmt.Appendf(nil, `{"metric_stream_name":"faults","account_id":"123456789012","region":"us-east-1","namespace":"AWS/EC2","metric_name":"%s","dimensions":{"InstanceId":"%s"},"timestamp":%d,"value":{"count":3.0,"sum":20.0,"max":18.0,"min":1.0},"unit":"Percent"}`+"\n",
		metric, instance, at.UnixMilli())
}

// FirehoseBody builds {"requestId":…,"timestamp":…,"records":[{"data":base64(record)}…]}.
func FirehoseBody(requestID string, records ...[]byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"requestId":%q,"timestamp":%d,"records":[`, requestID, time.Now().UnixMilli())
	for i, rec := range records {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"data":"`)
		b.WriteString(base64.StdEncoding.EncodeToString(rec))
		b.WriteString(`"}`)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// NewHTTPRequest turns the delivery into a POST to url with Firehose's headers.
func (r FirehoseRequest) NewHTTPRequest(url string) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(r.Body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Amazon Kinesis Data Firehose Agent/1.0")
	req.Header.Set("X-Amz-Firehose-Protocol-Version", "1.0")
	if r.RequestID != "" {
		req.Header.Set("X-Amz-Firehose-Request-Id", r.RequestID)
	}
	if r.AccessKey != "" {
		req.Header.Set("X-Amz-Firehose-Access-Key", r.AccessKey)
	}
	if r.Encoding != "" {
		req.Header.Set("Content-Encoding", r.Encoding)
	}
	return req, nil
}

// RemoteWriteSink stands in for the Logz.io metrics listener: it answers 204 to remote-write requests that carry
// the token and counts them.
type RemoteWriteSink struct {
	URL string

	mu       sync.Mutex
	requests int
	bytes    int
	names    map[string]bool
}

// NewRemoteWriteSink starts the sink; it is closed when the test ends.
func NewRemoteWriteSink(t testing.TB, token string) *RemoteWriteSink {
	t.Helper()
	s := &RemoteWriteSink{names: map[string]bool{}}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 32<<20))
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		s.mu.Lock()
		s.requests++
		s.bytes += len(body)
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	s.URL = server.URL
	t.Cleanup(server.Close)
	return s
}

// Requests is the number of accepted remote-write requests.
func (s *RemoteWriteSink) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// statusOf is the status of an answer, or a description of the transport error.
func statusOf(resp *http.Response, err error) string {
	if err != nil {
		msg := err.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		return "error: " + msg
	}
	return fmt.Sprint(resp.StatusCode)
}
