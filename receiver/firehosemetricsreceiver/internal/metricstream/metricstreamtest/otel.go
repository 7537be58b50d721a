// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstreamtest

import (
	"math"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// OTel10Record encodes metrics as one OpenTelemetry 1.0 record holding one length-prefixed message.
func OTel10Record(res Resource, metrics []Metric) []byte {
	return Frame(OTelMessage(res, metrics, false))
}

// OTel07Record encodes metrics as one OpenTelemetry 0.7 record holding one length-prefixed message.
func OTel07Record(res Resource, metrics []Metric) []byte {
	return Frame(OTelMessage(res, metrics, true))
}

// Frame concatenates messages, each prefixed by its varint length, into one record.
func Frame(messages ...[]byte) []byte {
	var out []byte
	for _, m := range messages {
		out = protowire.AppendBytes(out, m)
	}
	return out
}

// OTelMessage encodes one ExportMetricsServiceRequest (without length prefix): one ResourceMetrics, one scope, one
// summary metric per data point. v07 selects the OpenTelemetry 0.7 data-point labels (field 1) instead of the 1.0
// attributes (field 7) with a Dimensions key-value list.
func OTelMessage(res Resource, metrics []Metric, v07 bool) []byte {
	var resource []byte
	resource = appendKeyValue(resource, 1, "cloud.provider", "aws")
	resource = appendKeyValue(resource, 1, "cloud.account.id", res.AccountID)
	resource = appendKeyValue(resource, 1, "cloud.region", res.Region)
	resource = appendKeyValue(resource, 1, "aws.exporter.arn", res.ARN())

	var scope []byte
	for i := range metrics {
		scope = protowire.AppendTag(scope, 2, protowire.BytesType)
		scope = protowire.AppendBytes(scope, otelMetric(&metrics[i], v07))
	}
	var rm []byte
	rm = protowire.AppendTag(rm, 1, protowire.BytesType)
	rm = protowire.AppendBytes(rm, resource)
	rm = protowire.AppendTag(rm, 2, protowire.BytesType)
	rm = protowire.AppendBytes(rm, scope)

	var req []byte
	req = protowire.AppendTag(req, 1, protowire.BytesType)
	return protowire.AppendBytes(req, rm)
}

func otelMetric(m *Metric, v07 bool) []byte {
	var dp []byte
	if v07 {
		dp = appendStringKeyValue(dp, 1, "Namespace", m.Namespace)
		dp = appendStringKeyValue(dp, 1, "MetricName", m.MetricName)
		for _, d := range m.Dimensions {
			dp = appendStringKeyValue(dp, 1, d.Name, d.Value)
		}
	}
	start := uint64(m.Timestamp.UnixNano())
	dp = appendFixed64(dp, 2, start)
	dp = appendFixed64(dp, 3, start+uint64(Period))
	dp = appendFixed64(dp, 4, m.Count)
	dp = appendFixed64(dp, 5, math.Float64bits(m.Sum))
	dp = appendQuantile(dp, 0, m.Min)
	for _, p := range m.Percentiles {
		dp = appendQuantile(dp, PercentileQuantile(p.Stat), p.Value)
	}
	dp = appendQuantile(dp, 1, m.Max)
	if !v07 {
		dp = appendKeyValue(dp, 7, "Namespace", m.Namespace)
		dp = appendKeyValue(dp, 7, "MetricName", m.MetricName)
		var list []byte
		for _, d := range m.Dimensions {
			list = appendKeyValue(list, 1, d.Name, d.Value)
		}
		var anyValue []byte
		anyValue = protowire.AppendTag(anyValue, 6, protowire.BytesType)
		anyValue = protowire.AppendBytes(anyValue, list)
		var kv []byte
		kv = protowire.AppendTag(kv, 1, protowire.BytesType)
		kv = protowire.AppendString(kv, "Dimensions")
		kv = protowire.AppendTag(kv, 2, protowire.BytesType)
		kv = protowire.AppendBytes(kv, anyValue)
		dp = protowire.AppendTag(dp, 7, protowire.BytesType)
		dp = protowire.AppendBytes(dp, kv)
	}
	var summary []byte
	summary = protowire.AppendTag(summary, 1, protowire.BytesType)
	summary = protowire.AppendBytes(summary, dp)

	var metric []byte
	metric = protowire.AppendTag(metric, 1, protowire.BytesType)
	metric = protowire.AppendString(metric, "amazonaws.com/"+m.Namespace+"/"+m.MetricName)
	if u := OTelUnit(m.Unit); u != "" {
		metric = protowire.AppendTag(metric, 3, protowire.BytesType)
		metric = protowire.AppendString(metric, u)
	}
	metric = protowire.AppendTag(metric, 11, protowire.BytesType)
	return protowire.AppendBytes(metric, summary)
}

// appendKeyValue appends field num holding KeyValue{key, AnyValue{string_value}}.
func appendKeyValue(dst []byte, num protowire.Number, key, value string) []byte {
	var anyValue []byte
	if value != "" {
		anyValue = protowire.AppendTag(anyValue, 1, protowire.BytesType)
		anyValue = protowire.AppendString(anyValue, value)
	}
	var kv []byte
	kv = protowire.AppendTag(kv, 1, protowire.BytesType)
	kv = protowire.AppendString(kv, key)
	kv = protowire.AppendTag(kv, 2, protowire.BytesType)
	kv = protowire.AppendBytes(kv, anyValue)
	dst = protowire.AppendTag(dst, num, protowire.BytesType)
	return protowire.AppendBytes(dst, kv)
}

// appendStringKeyValue appends field num holding the 0.7 StringKeyValue{key, value}.
func appendStringKeyValue(dst []byte, num protowire.Number, key, value string) []byte {
	var kv []byte
	kv = protowire.AppendTag(kv, 1, protowire.BytesType)
	kv = protowire.AppendString(kv, key)
	if value != "" {
		kv = protowire.AppendTag(kv, 2, protowire.BytesType)
		kv = protowire.AppendString(kv, value)
	}
	dst = protowire.AppendTag(dst, num, protowire.BytesType)
	return protowire.AppendBytes(dst, kv)
}

// appendFixed64 appends a fixed64 field unless it is zero (protobuf default).
func appendFixed64(dst []byte, num protowire.Number, v uint64) []byte {
	if v == 0 {
		return dst
	}
	dst = protowire.AppendTag(dst, num, protowire.Fixed64Type)
	return protowire.AppendFixed64(dst, v)
}

func appendQuantile(dst []byte, q, v float64) []byte {
	var qv []byte
	qv = appendFixed64(qv, 1, math.Float64bits(q))
	qv = appendFixed64(qv, 2, math.Float64bits(v))
	dst = protowire.AppendTag(dst, 6, protowire.BytesType)
	return protowire.AppendBytes(dst, qv)
}

// PercentileQuantile converts a percentile statistic name ("p99.9") to its quantile (0.999) by moving the decimal
// point in the text. It returns NaN for names that are not percentiles.
func PercentileQuantile(stat string) float64 {
	digits, ok := strings.CutPrefix(stat, "p")
	if !ok {
		return math.NaN()
	}
	intPart, frac, _ := strings.Cut(digits, ".")
	switch len(intPart) {
	case 1:
		intPart = "0" + intPart
	case 2:
	case 3:
		if intPart == "100" && strings.Trim(frac, "0") == "" {
			return 1
		}
		return math.NaN()
	default:
		return math.NaN()
	}
	q, err := strconv.ParseFloat("0."+intPart+frac, 64)
	if err != nil {
		return math.NaN()
	}
	return q
}

var otelUnits = map[string]string{
	"Seconds": "s", "Microseconds": "us", "Milliseconds": "ms",
	"Bytes": "By", "Kilobytes": "kBy", "Megabytes": "MBy", "Gigabytes": "GBy", "Terabytes": "TBy",
	"Bits": "bit", "Kilobits": "kbit", "Megabits": "MBit", "Gigabits": "GBit", "Terabits": "Tbit",
	"Percent": "%", "Count": "{Count}", "None": "1",
}

// OTelUnit maps a CloudWatch unit name to the unit the OpenTelemetry formats send ("Bytes/Second" → "By/s").
func OTelUnit(cw string) string {
	if u, ok := otelUnits[cw]; ok {
		return u
	}
	if base, ok := strings.CutSuffix(cw, "/Second"); ok {
		if u, ok := otelUnits[base]; ok {
			return u + "/s"
		}
	}
	return cw
}
