// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstreamtest

import (
	"encoding/json"
	"strconv"
)

// JSONRecord encodes metrics as one JSON-format record: one line per data point, each ending with '\n'.
func JSONRecord(res Resource, metrics []Metric) []byte {
	var out []byte
	for i := range metrics {
		out = AppendJSONLine(out, res, &metrics[i])
	}
	return out
}

// AppendJSONLine appends one JSON line (with its '\n') for m.
func AppendJSONLine(dst []byte, res Resource, m *Metric) []byte {
	dst = append(dst, `{"metric_stream_name":`...)
	dst = appendJSONString(dst, res.StreamName)
	dst = append(dst, `,"account_id":`...)
	dst = appendJSONString(dst, res.AccountID)
	dst = append(dst, `,"region":`...)
	dst = appendJSONString(dst, res.Region)
	dst = append(dst, `,"namespace":`...)
	dst = appendJSONString(dst, m.Namespace)
	dst = append(dst, `,"metric_name":`...)
	dst = appendJSONString(dst, m.MetricName)
	dst = append(dst, `,"dimensions":{`...)
	for i, d := range m.Dimensions {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, d.Name)
		dst = append(dst, ':')
		dst = appendJSONString(dst, d.Value)
	}
	dst = append(dst, `},"timestamp":`...)
	dst = strconv.AppendInt(dst, m.Timestamp.UnixMilli(), 10)
	dst = append(dst, `,"value":{"count":`...)
	dst = appendJSONFloat(dst, float64(m.Count))
	dst = append(dst, `,"sum":`...)
	dst = appendJSONFloat(dst, m.Sum)
	dst = append(dst, `,"max":`...)
	dst = appendJSONFloat(dst, m.Max)
	dst = append(dst, `,"min":`...)
	dst = appendJSONFloat(dst, m.Min)
	for _, p := range m.Percentiles {
		dst = append(dst, ',')
		dst = appendJSONString(dst, p.Stat)
		dst = append(dst, ':')
		dst = appendJSONFloat(dst, p.Value)
	}
	dst = append(dst, `},"unit":`...)
	dst = appendJSONString(dst, m.Unit)
	return append(dst, "}\n"...)
}

func appendJSONString(dst []byte, s string) []byte {
	b, err := json.Marshal(s)
	if err != nil { // cannot happen for a string
		panic(err)
	}
	return append(dst, b...)
}

// appendJSONFloat writes floats the way CloudWatch does: always with a fraction ("3.0").
func appendJSONFloat(dst []byte, v float64) []byte {
	start := len(dst)
	dst = strconv.AppendFloat(dst, v, 'f', -1, 64)
	for _, c := range dst[start:] {
		if c == '.' || c == 'e' || c == 'n' || c == 'I' {
			return dst
		}
	}
	return append(dst, ".0"...)
}
