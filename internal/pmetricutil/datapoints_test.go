// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package pmetricutil

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

func TestForEachDataPointAttributesVisitsEveryType(t *testing.T) {
	ms := pmetric.NewMetricSlice()
	ms.AppendEmpty().SetEmptyGauge().DataPoints().AppendEmpty().Attributes().PutStr("p", "gauge")
	sum := ms.AppendEmpty().SetEmptySum().DataPoints()
	sum.AppendEmpty().Attributes().PutStr("p", "sum 1")
	sum.AppendEmpty().Attributes().PutStr("p", "sum 2")
	ms.AppendEmpty().SetEmptySummary().DataPoints().AppendEmpty().Attributes().PutStr("p", "summary")
	ms.AppendEmpty().SetEmptyHistogram().DataPoints().AppendEmpty().Attributes().PutStr("p", "histogram")
	ms.AppendEmpty().SetEmptyExponentialHistogram().DataPoints().AppendEmpty().Attributes().PutStr("p", "exponential")
	ms.AppendEmpty() // empty: no data points

	var seen []string
	for _, m := range ms.All() {
		ForEachDataPointAttributes(m, func(attrs pcommon.Map) {
			v, _ := attrs.Get("p")
			seen = append(seen, v.Str())
			attrs.PutStr("visited", "yes") // the attributes themselves, not a copy
		})
	}
	assert.Equal(t, []string{"gauge", "sum 1", "sum 2", "summary", "histogram", "exponential"}, seen)
	v, ok := ms.At(1).Sum().DataPoints().At(1).Attributes().Get("visited")
	assert.True(t, ok)
	assert.Equal(t, "yes", v.Str())
}
