// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter/exporterhelper"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/pipelineerr"
)

// switchableListener answers status (401 to start with) until told otherwise, and counts the lines it accepted.
type switchableListener struct {
	status   atomic.Int32
	requests atomic.Int32
	accepted atomic.Int32
}

func newSwitchableListener(t *testing.T, status int) (*switchableListener, string) {
	l := &switchableListener{}
	l.status.Store(int32(status))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.requests.Add(1)
		status := int(l.status.Load())
		if status == http.StatusOK {
			l.accepted.Add(int32(countLines(t, r)))
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return l, srv.URL
}

// countLines counts the documents of a gzip-compressed bulk request.
func countLines(t *testing.T, r *http.Request) int {
	zr, err := gzip.NewReader(r.Body)
	if err != nil {
		t.Errorf("request body: %v", err)
		return 0
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Errorf("request body: %v", err)
	}
	return bytes.Count(body, []byte("\n"))
}

// statusHost records the component status events reported to it.
type statusHost struct {
	component.Host
	mu     sync.Mutex
	events []componentstatus.Status
	errs   []error
}

func (h *statusHost) Report(ev *componentstatus.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, ev.Status())
	h.errs = append(h.errs, ev.Err())
}

func (h *statusHost) statuses() []componentstatus.Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]componentstatus.Status(nil), h.events...)
}

// TestWrongTokenKeepsTheRecordsForASourceThatWaits: without a queue (or with wait_for_result) a 401 comes back to
// the receiver permanent and marked as a configuration error, carrying every record, so that the receiver keeps its
// data instead of dropping it; the component status is RecoverableError, and OK again after the first delivery.
func TestWrongTokenKeepsTheRecordsForASourceThatWaits(t *testing.T) {
	waitingQueue := exporterhelper.NewDefaultQueueConfig()
	waitingQueue.WaitForResult = true
	waitingQueue.NumConsumers = 4
	queues := map[string]configoptional.Optional[exporterhelper.QueueBatchConfig]{
		"no queue":                       configoptional.None[exporterhelper.QueueBatchConfig](),
		"in-memory queue waiting, batch": configoptional.Some(waitingQueue),
	}
	for _, status := range []int{401, 403, 404, 307} {
		for queueName, queue := range queues {
			t.Run(http.StatusText(status)+", "+queueName, func(t *testing.T) {
				h := newHarness(t)
				listener, url := newSwitchableListener(t, status)
				cfg := testConfig(url+"/", "")
				cfg.QueueConfig = queue
				exp, err := NewFactory().CreateLogs(context.Background(), h.settings(), cfg)
				require.NoError(t, err)
				host := &statusHost{Host: componenttest.NewNopHost()}
				require.NoError(t, exp.Start(context.Background(), host))
				t.Cleanup(func() { assert.NoError(t, exp.Shutdown(context.Background())) })

				ld := numberedLogs(20, 10, nil)
				err = h.consumeLogs(exp, ld)
				require.Error(t, err)
				assert.True(t, consumererror.IsPermanent(err), "not retried by the exporter helper: the source retries")
				assert.True(t, pipelineerr.IsConfiguration(err), "marked so that the receiver keeps the records")
				var undelivered consumererror.Logs
				require.True(t, errors.As(err, &undelivered))
				assert.Equal(t, 20, undelivered.Data().LogRecordCount(), "every record is handed back")
				assert.Equal(t, int32(1), listener.requests.Load(), "one request, no retry inside the exporter")
				assert.Equal(t, []componentstatus.Status{componentstatus.StatusRecoverableError}, host.statuses())

				listener.status.Store(http.StatusOK)
				require.NoError(t, h.consumeLogs(exp, undelivered.Data()))
				assert.Equal(t, int32(20), listener.accepted.Load())
				assert.Equal(t, []componentstatus.Status{componentstatus.StatusRecoverableError, componentstatus.StatusOK}, host.statuses())
			})
		}
	}
}

// TestWrongTokenIsRetriedWhenNobodyWaits: with a queue that acknowledged the records on enqueue (no
// wait_for_result), a permanent error would make the queue drop them; the exporter retries instead, and the records
// arrive once the token is fixed.
func TestWrongTokenIsRetriedWhenNobodyWaits(t *testing.T) {
	h := newHarness(t)
	listener, url := newSwitchableListener(t, http.StatusUnauthorized)
	cfg := testConfig(url+"/", "")
	queue := exporterhelper.NewDefaultQueueConfig()
	queue.WaitForResult = false
	cfg.QueueConfig = configoptional.Some(queue)
	exp := h.logsExporter(cfg)

	require.NoError(t, h.consumeLogs(exp, numberedLogs(7, 10, nil)), "accepted by the queue")
	require.Eventually(t, func() bool { return listener.requests.Load() >= 3 }, 10*time.Second, 10*time.Millisecond,
		"the exporter retries the refused batch")
	listener.status.Store(http.StatusOK)
	require.Eventually(t, func() bool { return listener.accepted.Load() == 7 }, 10*time.Second, 10*time.Millisecond,
		"the batch is delivered once the listener accepts it")
}

func TestMetricsWrongTokenKeepsTheDataForASourceThatWaits(t *testing.T) {
	h := newHarness(t)
	_, url := newSwitchableListener(t, http.StatusForbidden)
	exp := h.metricsExporter(testConfig("", url+"/"))
	err := h.consumeMetrics(exp, cloudWatchMetrics("refused", time.Now()))
	require.Error(t, err)
	assert.True(t, consumererror.IsPermanent(err))
	assert.True(t, pipelineerr.IsConfiguration(err))
	assert.ErrorContains(t, err, "metrics.token")
}
