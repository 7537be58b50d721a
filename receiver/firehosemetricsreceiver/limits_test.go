// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
)

// rawConn dials the receiver without an HTTP client, so that a test controls every byte sent.
func rawConn(t *testing.T, r *firehoseReceiver) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", r.address.String())
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	// A guard against a hung test, not an assertion on speed: every read below is expected to end on its own.
	require.NoError(t, conn.SetDeadline(time.Now().Add(30*time.Second)))
	return conn
}

// A client with a wrong access key that sends its headers and then trickles its body gets its 401 and then the end
// of the connection: the receiver does not wait for (nor read) the rest of the body. The read timeout is off here so
// that only the connection handling is tested.
func TestUnauthenticatedTricklingBodyGets401AndTheConnectionClosed(t *testing.T) {
	sink := &recordingConsumer{}
	cfg := testConfig()
	cfg.ServerConfig.ReadTimeout = 0
	_, r := startReceiver(t, cfg, sink)
	conn := rawConn(t, r)

	// Headers and the first bytes of a body announced as 100,000 bytes; the rest never comes.
	_, err := io.WriteString(conn, "POST / HTTP/1.1\r\nHost: firehose\r\nContent-Type: application/json\r\n"+
		"X-Amz-Firehose-Request-Id: trickle\r\nX-Amz-Firehose-Access-Key: WRONG-KEY\r\nContent-Length: 100000\r\n\r\n"+
		`{"requestId":"trickle","records":[`)
	require.NoError(t, err)

	reader := bufio.NewReader(conn)
	resp, err := http.ReadResponse(reader, nil)
	require.NoError(t, err, "the 401 must be answered without waiting for the body")
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Contains(t, string(raw), "missing or invalid access key")
	assert.True(t, resp.Close, "the answer announces Connection: close")

	_, err = reader.ReadByte()
	assert.ErrorIs(t, err, io.EOF, "the receiver closes the connection instead of reading the trickling body")
	assert.Empty(t, sink.Calls())
}

// A request whose body was read to its end keeps its connection for the next one.
func TestAcceptedRequestKeepsTheConnection(t *testing.T) {
	url, _ := startReceiver(t, testConfig(), &recordingConsumer{})
	s := loadSample(t, "json-request.json")
	a := firehosetest.Post(t, url, s.Body, s.Headers, false)
	requireFirehoseAnswer(t, a, 200, s.Headers[headerRequestID], "")
	assert.False(t, a.Close, "no Connection: close after a body read to its end")
}

// Beyond max_concurrent_requests a request is answered 503 at once, with the Firehose answer body and without reading
// its body; health checks still answer; once a slot is free requests are served again.
func TestRequestsBeyondMaxConcurrentRequestsAreAnswered503(t *testing.T) {
	sink := &blockingMetrics{entered: make(chan struct{}, 1), release: make(chan struct{})}
	cfg := testConfig()
	cfg.MaxConcurrentRequests = 1
	url, _ := startReceiver(t, cfg, sink)
	s := loadSample(t, "json-request.json")

	var first firehosetest.Answer
	var wg sync.WaitGroup
	wg.Go(func() { first = firehosetest.Post(t, url, s.Body, s.Headers, false) })
	<-sink.entered

	second := s.withRequestID("second-batch")
	a := firehosetest.Post(t, url, second.Body, second.Headers, false)
	requireFirehoseAnswer(t, a, 503, "second-batch", "1 requests are already being served (max_concurrent_requests)")
	assert.True(t, a.Close, "Connection: close: the unread body is not drained")

	health, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, firehosetest.Do(t, health).Status, "health checks are not counted")

	close(sink.release)
	wg.Wait()
	requireFirehoseAnswer(t, first, 200, s.Headers[headerRequestID], "")
	requireFirehoseAnswer(t, firehosetest.Post(t, url, second.Body, second.Headers, false), 200, "second-batch", "")
	assert.Len(t, sink.Calls(), 2)
}

// X-Amz-Firehose-Source-Arn is part of the dedup key: longer than an ARN can be, it is refused before anything is
// remembered (or logged) of it.
func TestSourceARNLongerThanAnARNIsRefused(t *testing.T) {
	sink := &recordingConsumer{}
	url, _ := startReceiver(t, testConfig(), sink)
	s := loadSample(t, "json-request.json")
	id := s.Headers[headerRequestID]

	tooLong := "arn:aws:firehose:us-east-1:123456789012:deliverystream/" + strings.Repeat("x", maxSourceARNLength)
	a := firehosetest.Post(t, url, s.Body, headersWith(s.Headers, headerSourceARN, tooLong), false)
	requireFirehoseAnswer(t, a, 400, id, "X-Amz-Firehose-Source-Arn longer than 2048 bytes")
	assert.Empty(t, sink.Calls())

	longest := "arn:aws:firehose:us-east-1:123456789012:deliverystream/"
	longest += strings.Repeat("x", maxSourceARNLength-len(longest))
	requireFirehoseAnswer(t, firehosetest.Post(t, url, s.Body, headersWith(s.Headers, headerSourceARN, longest), false), 200, id, "")
	assert.Len(t, sink.Calls(), 1)
}

// Headers beyond max_request_header_size are refused by the server with 431 before the receiver sees the request.
func TestOneMegabyteOfHeadersIsRefusedWith431(t *testing.T) {
	sink := &recordingConsumer{}
	_, r := startReceiver(t, testConfig(), sink)
	conn := rawConn(t, r)

	// The server stops reading at the cap: the write may fail once it hangs up, what matters is its answer.
	go func() {
		_, _ = io.WriteString(conn, "POST / HTTP/1.1\r\nHost: firehose\r\nX-Amz-Firehose-Request-Id: big\r\n"+
			"X-Padding: "+strings.Repeat("p", 1<<20)+"\r\nContent-Length: 2\r\n\r\n{}")
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, resp.StatusCode)
	assert.Empty(t, sink.Calls())
}

// A request whose headers fit under max_request_header_size is served as usual.
func TestHeadersUnderMaxRequestHeaderSizeAreServed(t *testing.T) {
	url, _ := startReceiver(t, testConfig(), &recordingConsumer{})
	s := loadSample(t, "json-request.json")
	headers := headersWith(s.Headers, "X-Padding", strings.Repeat("p", 64<<10))
	a := firehosetest.Post(t, url, s.Body, headers, false)
	requireFirehoseAnswer(t, a, 200, s.Headers[headerRequestID], "")
}
