// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/otel/metric/noop"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/pipelineerr"
)

// fakeBatch records what the Handler hands it.
type fakeBatch struct {
	common     map[string]string
	records    []string
	format     string
	failAt     int // index of the record AddRecord refuses; -1 for none
	consumeErr error
	consumed   bool
}

func (b *fakeBatch) AddRecord(data []byte) error {
	if len(b.records) == b.failAt {
		return errors.New("not a record of this receiver")
	}
	b.records = append(b.records, string(data))
	b.format = "fake"
	return nil
}

func (b *fakeBatch) Format() string { return b.format }

func (b *fakeBatch) Consume(ctx context.Context) error {
	if _, ok := ctx.Deadline(); !ok {
		return errors.New("Consume without consume_timeout")
	}
	b.consumed = true
	return b.consumeErr
}

// fakeReceiver serves a Handler over real HTTP and keeps the batches it made.
type fakeReceiver struct {
	mu         sync.Mutex
	batches    []*fakeBatch
	failAt     int
	consumeErr error
}

func (f *fakeReceiver) newBatch(common map[string]string) Batch {
	f.mu.Lock()
	defer f.mu.Unlock()
	b := &fakeBatch{common: common, failAt: f.failAt, consumeErr: f.consumeErr}
	f.batches = append(f.batches, b)
	return b
}

func startHandler(t *testing.T, f *fakeReceiver) string {
	t.Helper()
	cfg := NewDefaultEndpointConfig("127.0.0.1:0")
	cfg.AccessKeys = []configopaque.String{"key"}
	require.NoError(t, cfg.Check())
	meter := noop.NewMeterProvider().Meter("test")
	requests, _ := meter.Int64Counter("requests")
	duration, _ := meter.Float64Histogram("duration")
	duplicates, _ := meter.Int64Counter("duplicates")
	decodeErrors, _ := meter.Int64Counter("decode_errors")
	h := NewHandler(&cfg, HandlerSettings{
		Logger:    zap.NewNop(),
		Telemetry: Telemetry{Requests: requests, RequestDuration: duration, DuplicateRequests: duplicates, DecodeErrors: decodeErrors},
		NewBatch:  f.newBatch,
	})
	server := httptest.NewServer(h)
	t.Cleanup(server.Close)
	return server.URL + "/"
}

func send(t *testing.T, url, id string, records ...string) (int, map[string]any) {
	t.Helper()
	var data []string
	for _, r := range records {
		data = append(data, `{"data":"`+base64.StdEncoding.EncodeToString([]byte(r))+`"}`)
	}
	body := `{"requestId":"` + id + `","timestamp":1,"records":[` + strings.Join(data, ",") + `]}`
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set(headerRequestID, id)
	req.Header.Set(headerAccessKey, "key")
	req.Header.Set(headerCommonAttributes, `{"commonAttributes":{"team":"a"}}`)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var fields map[string]any
	require.NoError(t, json.Unmarshal(raw, &fields))
	return resp.StatusCode, fields
}

// The Handler hands a receiver's Batch the records in order with the stream's common attributes, and consumes it
// once, bounded by consume_timeout.
func TestHandlerHandsRecordsToTheBatch(t *testing.T) {
	f := &fakeReceiver{failAt: -1}
	url := startHandler(t, f)
	status, fields := send(t, url, "one", "first", "second")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "one", fields["requestId"])
	require.Len(t, f.batches, 1)
	b := f.batches[0]
	assert.Equal(t, []string{"first", "second"}, b.records)
	assert.Equal(t, map[string]string{"team": "a"}, b.common)
	assert.True(t, b.consumed)
}

// A record the Batch refuses fails the request with 400 naming its index; nothing is consumed.
func TestHandlerRefusesTheRequestOfABadRecord(t *testing.T) {
	f := &fakeReceiver{failAt: 1}
	url := startHandler(t, f)
	status, fields := send(t, url, "bad", "first", "second")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "record 1 could not be decoded: not a record of this receiver", fields["errorMessage"])
	assert.False(t, f.batches[0].consumed)
}

// The pipeline's answer: a permanent error is 400 (Firehose backs the batch up to S3), any other 503 (it retries),
// a configuration error downstream (a refused token: permanent for the exporter helper) 503 too.
func TestHandlerMapsPipelineErrors(t *testing.T) {
	for _, tt := range []struct {
		err    error
		status int
		msg    string
	}{
		{err: consumererror.NewPermanent(errors.New("never")), status: http.StatusBadRequest, msg: "the pipeline refused the data permanently; see the collector log"},
		{err: errors.New("busy"), status: http.StatusServiceUnavailable, msg: "the pipeline cannot take the data now; retry later"},
		{err: consumererror.NewPermanent(pipelineerr.Configuration(errors.New("the Logz.io metrics listener refused the metrics token"))),
			status: http.StatusServiceUnavailable, msg: "the collector cannot deliver now (a configuration error downstream); retry later"},
	} {
		f := &fakeReceiver{failAt: -1, consumeErr: tt.err}
		url := startHandler(t, f)
		status, fields := send(t, url, "r", "record")
		assert.Equal(t, tt.status, status)
		assert.Equal(t, tt.msg, fields["errorMessage"])
	}
}
