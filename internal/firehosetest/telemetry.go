// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosetest

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// TelemetrySettings is test support: no-op receiver settings of typ whose own metrics are recorded in the returned
// telemetry, shut down when the test ends.
func TelemetrySettings(t *testing.T, typ component.Type) (receiver.Settings, *componenttest.Telemetry) {
	t.Helper()
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	settings := receivertest.NewNopSettings(typ)
	settings.TelemetrySettings = tel.NewTelemetrySettings()
	return settings, tel
}

// SumByAttributes is test support: the int64 counter name's values keyed by the values of keys, joined with "/"
// ("" without keys).
func SumByAttributes(t *testing.T, tel *componenttest.Telemetry, name string, keys ...string) map[string]int64 {
	t.Helper()
	m, err := tel.GetMetric(name)
	require.NoError(t, err, name)
	sum, ok := m.Data.(metricdata.Sum[int64])
	require.True(t, ok, "%s is a sum", name)
	out := map[string]int64{}
	for _, dp := range sum.DataPoints {
		values := make([]string, len(keys))
		for i, key := range keys {
			v, _ := dp.Attributes.Value(attribute.Key(key))
			values[i] = v.String()
		}
		out[strings.Join(values, "/")] += dp.Value
	}
	return out
}
