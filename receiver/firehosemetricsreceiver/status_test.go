// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver

import (
	"context"
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metadata"
)

// statusHost is a host that records the component status events reported to it, as the collector's host does.
type statusHost struct {
	component.Host
	mu     sync.Mutex
	events []componentstatus.Status
}

func (h *statusHost) Report(ev *componentstatus.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, ev.Status())
}

func (h *statusHost) statuses() []componentstatus.Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]componentstatus.Status(nil), h.events...)
}

func TestStatusOKOnceListeningAndNothingAfterShutdown(t *testing.T) {
	host := &statusHost{Host: componenttest.NewNopHost()}
	rcv, err := NewFactory().CreateMetrics(context.Background(), receivertest.NewNopSettings(metadata.Type), testConfig(), &recordingConsumer{})
	require.NoError(t, err)
	require.NoError(t, rcv.Start(context.Background(), host))
	addr := rcv.(*firehoseReceiver).address.String()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err, "listening when StatusOK is reported")
	require.NoError(t, conn.Close())
	assert.Equal(t, []componentstatus.Status{componentstatus.StatusOK}, host.statuses())
	require.NoError(t, rcv.Shutdown(context.Background()))
	assert.Equal(t, []componentstatus.Status{componentstatus.StatusOK}, host.statuses(), "the collector reports Stopping and Stopped itself")
}

func TestStartFailsWithoutStatusWhenThePortIsTaken(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()
	cfg := testConfig()
	cfg.ServerConfig.NetAddr.Endpoint = taken.Addr().String()
	host := &statusHost{Host: componenttest.NewNopHost()}
	rcv, err := NewFactory().CreateMetrics(context.Background(), receivertest.NewNopSettings(metadata.Type), cfg, &recordingConsumer{})
	require.NoError(t, err)
	err = rcv.Start(context.Background(), host)
	require.ErrorContains(t, err, "listening on "+taken.Addr().String())
	assert.Empty(t, host.statuses(), "the error from Start is the report: the collector does not start")
	require.NoError(t, rcv.Shutdown(context.Background()))
}
