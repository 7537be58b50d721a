// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// sampleRecords returns the base64-decoded records of a Firehose request body in testdata.
func sampleRecords(t testing.TB, name string) [][]byte {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	var req struct {
		Records []struct {
			Data string `json:"data"`
		} `json:"records"`
	}
	require.NoError(t, json.Unmarshal(body, &req))
	out := make([][]byte, 0, len(req.Records))
	for _, r := range req.Records {
		data, err := base64.StdEncoding.DecodeString(r.Data)
		require.NoError(t, err)
		out = append(out, data)
	}
	return out
}

// sampleCommonAttributes returns the Firehose common attributes sent with a sample (testdata/headers.json).
func sampleCommonAttributes(t testing.TB, name string) map[string]string {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "headers.json"))
	require.NoError(t, err)
	var headers map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &headers))
	var h map[string]string
	require.NoError(t, json.Unmarshal(headers[name], &h))
	raw, ok := h["X-Amz-Firehose-Common-Attributes"]
	if !ok {
		return nil
	}
	var ca struct {
		CommonAttributes map[string]string `json:"commonAttributes"`
	}
	require.NoError(t, json.Unmarshal([]byte(raw), &ca))
	return ca.CommonAttributes
}

// decodeSample decodes every record of a sample into one batch, failing on any error.
func decodeSample(t testing.TB, opts Options, name string) *Batch {
	t.Helper()
	d, err := NewDecoder(opts)
	require.NoError(t, err)
	b := d.NewBatch(sampleCommonAttributes(t, name))
	for i, rec := range sampleRecords(t, name) {
		require.NoError(t, b.AddRecord(rec), "record %d", i)
	}
	return b
}

// promSeries renders metrics the way the exporter sends them with the logzio naming: resource attributes and
// data-point attributes together as labels, one line per sample, `name{labels} value @milliseconds`, sorted. Any
// shape the exporter could not translate as expected is rendered as an error line.
func promSeries(md pmetric.Metrics) []string {
	var lines []string
	for _, rm := range md.ResourceMetrics().All() {
		for _, sm := range rm.ScopeMetrics().All() {
			if sm.Scope().Name() != "" || sm.Scope().Attributes().Len() > 0 {
				lines = append(lines, "ERROR: scope is set")
			}
			for _, m := range sm.Metrics().All() {
				if m.Type() != pmetric.MetricTypeGauge {
					lines = append(lines, fmt.Sprintf("ERROR: %s is a %s", m.Name(), m.Type()))
					continue
				}
				if m.Unit() != "" || m.Description() != "" {
					lines = append(lines, fmt.Sprintf("ERROR: %s has a unit or description", m.Name()))
				}
				for _, dp := range m.Gauge().DataPoints().All() {
					labels := map[string]string{}
					for k, v := range dp.Attributes().All() {
						labels[k] = v.Str()
					}
					for k, v := range rm.Resource().Attributes().All() {
						if _, dup := labels[k]; dup {
							lines = append(lines, "ERROR: label "+k+" is both a resource and a data-point attribute")
						}
						labels[k] = v.Str()
					}
					if dp.ValueType() != pmetric.NumberDataPointValueTypeDouble || dp.StartTimestamp() != 0 {
						lines = append(lines, "ERROR: "+m.Name()+" data point is not a double without start time")
					}
					lines = append(lines, fmt.Sprintf("%s{%s} %s @%d", m.Name(), renderLabels(labels),
						strconv.FormatFloat(dp.DoubleValue(), 'f', -1, 64), dp.Timestamp()/1e6))
				}
			}
		}
	}
	slices.Sort(lines)
	return lines
}

func renderLabels(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%q", k, labels[k])
	}
	return strings.Join(parts, ",")
}

func renderAttributes(m pcommon.Map) string {
	labels := map[string]string{}
	for k, v := range m.All() {
		labels[k] = v.AsString()
	}
	return renderLabels(labels)
}

// otelSummaries renders metrics of the otel naming, one line per summary data point, sorted.
func otelSummaries(md pmetric.Metrics) []string {
	var lines []string
	for _, rm := range md.ResourceMetrics().All() {
		res := renderAttributes(rm.Resource().Attributes())
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				if m.Type() != pmetric.MetricTypeSummary {
					lines = append(lines, fmt.Sprintf("ERROR: %s is a %s", m.Name(), m.Type()))
					continue
				}
				for _, dp := range m.Summary().DataPoints().All() {
					var qs []string
					for _, q := range dp.QuantileValues().All() {
						qs = append(qs, fmt.Sprintf("%v:%v", q.Quantile(), q.Value()))
					}
					lines = append(lines, fmt.Sprintf("%s unit=%q resource{%s} attrs{%s} start=%d end=%d count=%d sum=%v q=[%s]",
						m.Name(), m.Unit(), res, renderAttributes(dp.Attributes()), dp.StartTimestamp()/1e6,
						dp.Timestamp()/1e6, dp.Count(), dp.Sum(), strings.Join(qs, " ")))
				}
			}
		}
	}
	slices.Sort(lines)
	return lines
}
