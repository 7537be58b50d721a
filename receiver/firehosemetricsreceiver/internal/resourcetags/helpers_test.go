// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package resourcetags

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// series renders gauges as sorted lines `name{label="value",...} value @ms`, resource and data-point attributes
// together as the remote-write exporter labels them, so that tests compare the exact output.
func series(md pmetric.Metrics) []string {
	var out []string
	for _, rm := range md.ResourceMetrics().All() {
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				out = appendGauge(out, rm.Resource().Attributes(), m)
			}
		}
	}
	slices.Sort(out)
	return out
}

// appendGauge appends one line per data point of m, or a line saying that m is not a gauge.
func appendGauge(out []string, resource pcommon.Map, m pmetric.Metric) []string {
	if m.Type() != pmetric.MetricTypeGauge {
		return append(out, fmt.Sprintf("%s unexpected type %s", m.Name(), m.Type()))
	}
	for _, dp := range m.Gauge().DataPoints().All() {
		labels := appendLabels(appendLabels(nil, resource), dp.Attributes())
		slices.Sort(labels)
		out = append(out, fmt.Sprintf("%s{%s} %s @%d", m.Name(), strings.Join(labels, ","),
			strconv.FormatFloat(dp.DoubleValue(), 'g', -1, 64), dp.Timestamp().AsTime().UnixMilli()))
	}
	return out
}

func appendLabels(labels []string, attrs pcommon.Map) []string {
	for k, v := range attrs.All() {
		labels = append(labels, fmt.Sprintf("%s=%q", k, v.AsString()))
	}
	return labels
}
