// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/translator/prometheusremotewrite"
	"github.com/prometheus/prometheus/prompb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// TestLogzioThroughRemoteWriteTranslator runs the logzio naming through contrib's remote-write translator the way the
// exporter does (resource attributes copied onto data points, no suffixes, no target_info, no scope info) and checks
// that the Prometheus series are exactly the ones promSeries renders: names unchanged, only the labels of
// docs/metric-streams.md#labels.
func TestLogzioThroughRemoteWriteTranslator(t *testing.T) {
	for _, sample := range []string{"otel1.0-request.json", "otel0.7-request.json", "json-request.json"} {
		t.Run(sample, func(t *testing.T) {
			md := decodeSample(t, Options{}, sample).Metrics()
			want := promSeries(md)

			withResource := pmetric.NewMetrics()
			md.CopyTo(withResource)
			copyResourceToDataPoints(withResource)
			tss, err := prometheusremotewrite.FromMetrics(withResource, prometheusremotewrite.Settings{
				DisableTargetInfo: true,
				DisableScopeInfo:  true,
				AddMetricSuffixes: false,
			})
			require.NoError(t, err)
			assert.Equal(t, want, renderSeries(tss))
		})
	}
}

// copyResourceToDataPoints does what resource_to_telemetry_conversion does for gauges.
func copyResourceToDataPoints(md pmetric.Metrics) {
	for _, rm := range md.ResourceMetrics().All() {
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				for _, dp := range m.Gauge().DataPoints().All() {
					for k, v := range rm.Resource().Attributes().All() {
						dp.Attributes().PutStr(k, v.Str())
					}
				}
			}
		}
	}
}

// renderSeries renders remote-write series the way promSeries renders metrics, one line per sample, sorted.
func renderSeries(tss map[string]*prompb.TimeSeries) []string {
	var out []string
	for _, ts := range tss {
		labels := map[string]string{}
		name := ""
		for _, l := range ts.Labels {
			if l.Name == "__name__" {
				name = l.Value
				continue
			}
			labels[l.Name] = l.Value
		}
		for _, s := range ts.Samples {
			out = append(out, fmt.Sprintf("%s{%s} %s @%d", name, renderLabels(labels),
				strconv.FormatFloat(s.Value, 'f', -1, 64), s.Timestamp))
		}
	}
	slices.Sort(out)
	return out
}
