// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosetest

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"
)

// LoadConf is test support: the section of testdata/config.yaml (relative to the test's package) named by the
// component ID of typ and name ("" for the unnamed one).
func LoadConf(t *testing.T, typ component.Type, name string) *confmap.Conf {
	t.Helper()
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	sub, err := cm.Sub(component.NewIDWithName(typ, name).String())
	require.NoError(t, err)
	return sub
}

// EffectiveServer is test support: the http.Server that server settings build, timeouts as net/http applies them.
func EffectiveServer(t *testing.T, server *confighttp.ServerConfig) *http.Server {
	t.Helper()
	s, err := server.ToServer(context.Background(), nil, componenttest.NewNopTelemetrySettings(), http.NotFoundHandler())
	require.NoError(t, err)
	return s
}
