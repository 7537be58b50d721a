// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metadata

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

func TestTelemetryBuilder(t *testing.T) {
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	tb, err := NewTelemetryBuilder(tel.NewTelemetrySettings())
	require.NoError(t, err)
	defer tb.Shutdown()

	tb.ExporterLogzioDroppedLogLines.Add(context.Background(), 1)
	tb.ExporterLogzioRejectedLines.Add(context.Background(), 2)
	tb.ExporterLogzioRequests.Add(context.Background(), 3)

	for name, want := range map[string]int64{
		"otelcol_exporter_logzio_dropped_log_lines": 1,
		"otelcol_exporter_logzio_rejected_lines":    2,
		"otelcol_exporter_logzio_requests":          3,
	} {
		m, err := tel.GetMetric(name)
		require.NoError(t, err, name)
		sum, ok := m.Data.(metricdata.Sum[int64])
		require.True(t, ok, name)
		require.True(t, sum.IsMonotonic, name)
		require.Equal(t, want, sum.DataPoints[0].Value, name)
	}
}
