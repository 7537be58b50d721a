// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver

import (
	"bytes"
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
)

// withRequestID is the sample as Firehose would send another batch: the same records under another request id (in
// the header and the body alike).
func (s sample) withRequestID(id string) sample {
	old := s.Headers[headerRequestID]
	return sample{
		Name:    s.Name,
		Body:    bytes.Replace(s.Body, []byte(`"`+old+`"`), []byte(`"`+id+`"`), 1),
		Headers: headersWith(s.Headers, headerRequestID, id),
	}
}

// A Firehose retry of an accepted request (same stream, same request id) is answered 200 and not delivered again;
// another request id, another stream, or a retry of a request that failed is delivered.
func TestFirehoseRetryOfAnAcceptedRequestIsNotDeliveredTwice(t *testing.T) {
	sink := &recordingConsumer{}
	url, tel := startReceiverWithTelemetry(t, testConfig(), sink)

	s := loadSample(t, "otel1.0-request.json")
	id := s.Headers[headerRequestID]
	requireFirehoseAnswer(t, firehosetest.Post(t, url, s.Body, s.Headers, false), 200, id, "")
	requireFirehoseAnswer(t, firehosetest.Post(t, url, s.Body, s.Headers, true), 200, id, "")
	assert.Len(t, sink.Calls(), 1, "the retry is answered without a second delivery")

	next := s.withRequestID("next-batch")
	requireFirehoseAnswer(t, firehosetest.Post(t, url, next.Body, next.Headers, false), 200, "next-batch", "")
	otherStream := headersWith(s.Headers, headerSourceARN, "arn:aws:firehose:eu-west-1:123456789012:deliverystream/other")
	requireFirehoseAnswer(t, firehosetest.Post(t, url, s.Body, otherStream, false), 200, id, "")
	assert.Len(t, sink.Calls(), 3)

	sink.mu.Lock()
	sink.err = assert.AnError
	sink.mu.Unlock()
	failing := s.withRequestID("failing-batch")
	requireFirehoseAnswer(t, firehosetest.Post(t, url, failing.Body, failing.Headers, false), 503, "failing-batch", "retry later")
	sink.mu.Lock()
	sink.err = nil
	sink.mu.Unlock()
	requireFirehoseAnswer(t, firehosetest.Post(t, url, failing.Body, failing.Headers, false), 200, "failing-batch", "")
	assert.Len(t, sink.Calls(), 5, "a retry of a request answered 503 is delivered")

	assert.Equal(t, map[string]int64{"": 1}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehosemetrics_duplicate_requests"))
}

// blockingMetrics holds every delivery until released.
type blockingMetrics struct {
	recordingConsumer
	entered chan struct{}
	release chan struct{}
}

func (b *blockingMetrics) ConsumeMetrics(ctx context.Context, md pmetric.Metrics) error {
	b.entered <- struct{}{}
	<-b.release
	return b.recordingConsumer.ConsumeMetrics(ctx, md)
}

// A retry that arrives while the first delivery of the same request is still in the pipeline is answered 503: the
// first one decides, and Firehose's next retry gets its answer.
func TestFirehoseRetryDuringTheFirstDeliveryIsAnswered503(t *testing.T) {
	sink := &blockingMetrics{entered: make(chan struct{}, 1), release: make(chan struct{})}
	url, _ := startReceiver(t, testConfig(), sink)
	s := loadSample(t, "json-request.json")
	id := s.Headers[headerRequestID]

	var first firehosetest.Answer
	var wg sync.WaitGroup
	wg.Go(func() { first = firehosetest.Post(t, url, s.Body, s.Headers, false) })
	<-sink.entered
	requireFirehoseAnswer(t, firehosetest.Post(t, url, s.Body, s.Headers, false), 503, id, "still being delivered")
	close(sink.release)
	wg.Wait()
	requireFirehoseAnswer(t, first, 200, id, "")
	requireFirehoseAnswer(t, firehosetest.Post(t, url, s.Body, s.Headers, false), 200, id, "")
	assert.Len(t, sink.Calls(), 1)
}

// With dedup_window: 0 every request is delivered.
func TestDedupWindowZeroDeliversEveryRequest(t *testing.T) {
	sink := &recordingConsumer{}
	cfg := testConfig()
	cfg.DedupWindow = 0
	url, _ := startReceiver(t, cfg, sink)
	s := loadSample(t, "otel0.7-request.json")
	for range 2 {
		requireFirehoseAnswer(t, firehosetest.Post(t, url, s.Body, s.Headers, false), 200, s.Headers[headerRequestID], "")
	}
	assert.Len(t, sink.Calls(), 2)
}

// panicOnce panics in its first ConsumeMetrics call (a bug in a downstream component), then records.
type panicOnce struct {
	recordingConsumer
	panicked bool
}

func (p *panicOnce) ConsumeMetrics(ctx context.Context, md pmetric.Metrics) error {
	p.mu.Lock()
	first := !p.panicked
	p.panicked = true
	p.mu.Unlock()
	if first {
		panic("downstream bug")
	}
	return p.recordingConsumer.ConsumeMetrics(ctx, md)
}

// A delivery that panics (net/http recovers and drops the connection) is not left "in flight": Firehose's retry is
// delivered instead of being answered 503 for ever.
func TestFirehoseRetryAfterAPanickedDeliveryIsDelivered(t *testing.T) {
	sink := &panicOnce{}
	url, _ := startReceiver(t, testConfig(), sink)
	s := loadSample(t, "json-request.json")
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(s.Body))
	require.NoError(t, err)
	for k, v := range s.Headers {
		req.Header.Set(k, v)
	}
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the panicked delivery was answered %d; net/http should have dropped the connection", resp.StatusCode)
	}
	requireFirehoseAnswer(t, firehosetest.Post(t, url, s.Body, s.Headers, false), 200, s.Headers[headerRequestID], "")
	assert.Len(t, sink.Calls(), 1)
}
