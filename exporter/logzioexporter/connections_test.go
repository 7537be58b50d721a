// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
)

// Every consumer keeps its connection to the listener between requests: two rounds of as many concurrent requests as
// the queue has consumers open each connection once (Go's default pool keeps 2 per host, so the others were opened
// again for every round, each a TLS handshake against Logz.io). Checked with the default configuration as the
// collector loads it (confighttp folds the keepalive default while unmarshaling) and as tests build it.
func TestConsumersKeepTheirConnections(t *testing.T) {
	t.Run("loaded", func(t *testing.T) {
		testConsumersKeepTheirConnections(t, func(url string) *Config {
			cfg := createDefaultConfig().(*Config)
			conf := confmap.NewFromStringMap(map[string]any{"logs": map[string]any{"endpoint": url, "token": testLogsToken}})
			require.NoError(t, conf.Unmarshal(cfg))
			return cfg
		})
	})
	t.Run("built", func(t *testing.T) {
		testConsumersKeepTheirConnections(t, func(url string) *Config { return testConfig(url, url) })
	})
}

func testConsumersKeepTheirConnections(t *testing.T, config func(url string) *Config) {
	const consumers = 16
	var arrived sync.WaitGroup
	srv, opened := testpeers.ConnCountingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		// Answer once every consumer's request is open, so that all of them hold a connection at the same time.
		arrived.Done()
		waitOrTimeout(&arrived, 5*time.Second)
		w.WriteHeader(http.StatusOK)
	}))

	h := newHarness(t)
	e, err := newLogsExporter(config(srv.URL), h.settings(), mustTelemetry(t, h))
	require.NoError(t, err)
	require.NoError(t, e.start(context.Background(), nopHost()))
	t.Cleanup(e.shutdown)

	for round := range 2 {
		arrived.Add(consumers)
		var done sync.WaitGroup
		for range consumers {
			done.Add(1)
			go func() {
				defer done.Done()
				assert.NoError(t, e.pushLogs(context.Background(), numberedLogs(1, 10, nil)))
			}()
		}
		done.Wait()
		assert.Equal(t, int64(consumers), opened.Load(), "connections opened after round %d", round+1)
	}
}

func waitOrTimeout(wg *sync.WaitGroup, d time.Duration) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
	}
}
