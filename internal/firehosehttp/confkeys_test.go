// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp

import (
	"context"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/confmap"
)

// receiverConfig is a receiver's configuration as the Firehose receivers write theirs.
type receiverConfig struct {
	EndpointConfig `mapstructure:",squash"`
	Own            string `mapstructure:"own"`
}

type plainReceiverConfig receiverConfig

func (c *receiverConfig) Unmarshal(conf *confmap.Conf) error {
	if err := CheckKeys(conf, reflect.TypeFor[receiverConfig](), "test"); err != nil {
		return err
	}
	return UnmarshalConfig(conf, &c.EndpointConfig, (*plainReceiverConfig)(c))
}

// UnmarshalConfig decodes the receiver's own options and the endpoint's, the server options through confighttp's own
// Unmarshal (it folds the keepalive section into its fields), although they sit two squashed levels down.
func TestUnmarshalConfigRunsTheServerConfigsUnmarshal(t *testing.T) {
	cfg := &receiverConfig{EndpointConfig: NewDefaultEndpointConfig("0.0.0.0:1")}
	conf := confmap.NewFromStringMap(map[string]any{
		"own": "value", "endpoint": "127.0.0.1:9", "access_keys": []any{"k"}, "keepalive": map[string]any{"idle_timeout": "90s"},
	})
	require.NoError(t, conf.Unmarshal(cfg))
	assert.Equal(t, "value", cfg.Own)
	assert.Equal(t, "127.0.0.1:9", cfg.ServerConfig.NetAddr.Endpoint)
	require.NoError(t, cfg.Check())
	server, err := cfg.ServerConfig.ToServer(context.Background(), nil, componenttest.NewNopTelemetrySettings(), http.NotFoundHandler())
	require.NoError(t, err)
	assert.Equal(t, 90*time.Second, server.IdleTimeout)
	assert.False(t, cfg.ServerConfig.Keepalive.HasValue(), "folded by confighttp's Unmarshal")
	assert.Equal(t, defaultMaxConcurrentRequests, cfg.MaxConcurrentRequests, "defaults kept")

	err = confmap.NewFromStringMap(map[string]any{"acces_keys": []any{"k"}, "tls": map[string]any{"cert_file": "x"}}).Unmarshal(cfg)
	assert.ErrorContains(t, err, "has invalid keys: acces_keys (not options of test: check the spelling against the receiver's README)")
}
