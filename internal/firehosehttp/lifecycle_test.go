// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/goleak"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver"
)

// endpointOf returns the shared endpoint configuration inside either receiver's config.
type endpointOf func(cfg component.Config) *firehosehttp.EndpointConfig

// TestLifecycleLeavesNoGoroutine: each Firehose receiver, created by its factory, started, answering a request and
// shut down twice on the same port, leaves no goroutine behind and frees its port (the lifecycle test mdatagen would
// generate, with goleak). Client-side keep-alive goroutines belong to the test's HTTP client.
func TestLifecycleLeavesNoGoroutine(t *testing.T) {
	for name, tc := range map[string]struct {
		factory  receiver.Factory
		endpoint endpointOf
		create   func(f receiver.Factory, cfg component.Config) (component.Component, error)
	}{
		"firehosemetrics": {
			factory: firehosemetricsreceiver.NewFactory(),
			endpoint: func(cfg component.Config) *firehosehttp.EndpointConfig {
				return &cfg.(*firehosemetricsreceiver.Config).EndpointConfig
			},
			create: func(f receiver.Factory, cfg component.Config) (component.Component, error) {
				return f.CreateMetrics(context.Background(), receivertest.NewNopSettings(f.Type()), cfg, consumertest.NewNop())
			},
		},
		"firehoselogs": {
			factory: firehoselogsreceiver.NewFactory(),
			endpoint: func(cfg component.Config) *firehosehttp.EndpointConfig {
				return &cfg.(*firehoselogsreceiver.Config).EndpointConfig
			},
			create: func(f receiver.Factory, cfg component.Config) (component.Component, error) {
				return f.CreateLogs(context.Background(), receivertest.NewNopSettings(f.Type()), cfg, consumertest.NewNop())
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			addr := freeAddr(t)
			client := &http.Client{}
			for range 2 {
				cfg := tc.factory.CreateDefaultConfig()
				ep := tc.endpoint(cfg)
				ep.ServerConfig.NetAddr.Endpoint = addr
				ep.AccessKeys = []configopaque.String{"lifecycle-key"}
				r, err := tc.create(tc.factory, cfg)
				require.NoError(t, err)
				require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))
				resp, err := client.Post("http://"+addr+"/", "application/json", strings.NewReader("{}"))
				require.NoError(t, err)
				resp.Body.Close()
				require.NoError(t, r.Shutdown(context.Background()))
			}
			client.CloseIdleConnections()
			goleak.VerifyNone(t, ignore)
		})
	}
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}
