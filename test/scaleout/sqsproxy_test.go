// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package scaleout

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// receiveSerializer sits between the replicas and moto_server's SQS. It forwards every request unchanged, but lets
// only one ReceiveMessage through at a time, and counts how often each message was handed out.
//
// Why: moto_server's ReceiveMessage is not atomic across concurrent requests (its threads check a message's
// visibility and mark it received without a lock), so under load two replicas can both get the same message, which
// SQS does not do within a visibility timeout. Serializing the receives keeps that peer defect out of the
// exactly-once check; the delivery counts show whether the queue ever handed a message out twice.
type receiveSerializer struct {
	URL string

	receive    sync.Mutex // held during each ReceiveMessage
	mu         sync.Mutex
	receives   int
	deliveries map[string]int // message id → times handed out
}

func newReceiveSerializer(t *testing.T, target string) *receiveSerializer {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("parsing %s: %v", target, err)
	}
	s := &receiveSerializer{deliveries: map[string]int{}}
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.ModifyResponse = s.countDeliveries
	// A replica shutting down cancels its long poll: answer quietly instead of logging each one.
	proxy.ErrorHandler = func(w http.ResponseWriter, _ *http.Request, _ error) { w.WriteHeader(http.StatusBadGateway) }
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isReceiveMessage(r) {
			s.receive.Lock()
			defer s.receive.Unlock()
			s.mu.Lock()
			s.receives++
			s.mu.Unlock()
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(server.Close)
	s.URL = server.URL
	return s
}

// isReceiveMessage recognises ReceiveMessage in the AWS JSON protocol the SDK speaks to SQS.
func isReceiveMessage(r *http.Request) bool {
	return strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".ReceiveMessage")
}

// countDeliveries reads the message ids out of a ReceiveMessage answer and puts the body back.
func (s *receiveSerializer) countDeliveries(resp *http.Response) error {
	if !isReceiveMessage(resp.Request) || resp.StatusCode != http.StatusOK {
		return nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var out struct {
		Messages []struct{ MessageId string } // JSON field names of the SQS API
	}
	if json.Unmarshal(body, &out) == nil {
		s.mu.Lock()
		for _, m := range out.Messages {
			s.deliveries[m.MessageId]++
		}
		s.mu.Unlock()
	}
	return nil
}

// stats returns how many ReceiveMessage calls went through, how many distinct messages were handed out, and how many
// hand-outs were repeats of a message handed out before.
func (s *receiveSerializer) stats() (receives, messages, repeats int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.deliveries {
		repeats += n - 1
	}
	return s.receives, len(s.deliveries), repeats
}
