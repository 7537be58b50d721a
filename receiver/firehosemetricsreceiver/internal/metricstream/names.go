// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"strings"
	"unicode"
)

// logzioBaseName turns an OpenTelemetry metric-stream metric name (amazonaws.com/<Namespace>/<MetricName>) into the
// Logz.io base series name (docs/metric-streams.md#series-name): "/" → "_", lower-case, drop "amazonaws.com_", then
// Prometheus sanitising (split at runes other than letters, digits, '_' and ':', drop empty pieces, join with '_'), and
// a '_' prefix when the result starts with a digit. No unit or type suffix is ever added.
func logzioBaseName(name string) string {
	s := strings.ReplaceAll(name, "/", "_")
	s = strings.ToLower(s)
	s = strings.ReplaceAll(s, "amazonaws.com_", "")
	var sb strings.Builder
	sb.Grow(len(s) + 1)
	separated := false
	for _, r := range s {
		if !isMetricNameRune(r) {
			separated = true
			continue
		}
		if separated && sb.Len() > 0 {
			sb.WriteByte('_')
		}
		separated = false
		sb.WriteRune(r)
	}
	out := sb.String()
	if out != "" && out[0] >= '0' && out[0] <= '9' {
		out = "_" + out
	}
	return out
}

func isMetricNameRune(r rune) bool {
	return r == '_' || r == ':' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// logzioLabelName turns a dimension name into its label name (docs/metric-streams.md#labels): lower-cased, every rune
// that is not a letter or digit replaced by '_' (one for one), "key_" prefixed to a leading digit and "key" to a single
// leading '_'.
func logzioLabelName(key string) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '_'
	}, strings.ToLower(key))
	switch {
	case s == "":
		return ""
	case s[0] >= '0' && s[0] <= '9':
		return "key_" + s
	case s[0] == '_' && !strings.HasPrefix(s, "__"):
		return "key" + s
	}
	return s
}

// reservedLabels are produced by the decoder (or are Prometheus' own); a dimension that maps to one of them is
// dropped so the decoder's value wins on every series (docs/metric-streams.md#labels, collisions).
var reservedLabels = map[string]struct{}{
	labelAccount: {}, labelRegion: {}, labelCloudProvider: {}, labelLogzioName: {},
	labelNamespace: {}, labelMetricName: {}, labelQuantile: {}, "__name__": {},
}

const (
	labelAccount       = "account"
	labelRegion        = "region"
	labelCloudProvider = "cloud_provider"
	labelLogzioName    = "p8s_logzio_name"
	labelNamespace     = "namespace"
	labelMetricName    = "metricname"
	labelQuantile      = "quantile"
)

// cloudWatchUnits maps CloudWatch unit names to the UCUM-style units the OpenTelemetry formats send
// (docs/metric-streams.md#units).
var cloudWatchUnits = map[string]string{
	"Seconds": "s", "Microseconds": "us", "Milliseconds": "ms",
	"Bytes": "By", "Kilobytes": "kBy", "Megabytes": "MBy", "Gigabytes": "GBy", "Terabytes": "TBy",
	"Bits": "bit", "Kilobits": "kbit", "Megabits": "MBit", "Gigabits": "GBit", "Terabits": "Tbit",
	"Percent": "%", "Count": "{Count}", "None": "1",
}

// otelUnit converts a CloudWatch unit name; "<X>/Second" becomes "<x>/s". Unknown units are kept as they are.
func otelUnit(cw string) string {
	if u, ok := cloudWatchUnits[cw]; ok {
		return u
	}
	if base, ok := strings.CutSuffix(cw, "/Second"); ok {
		if u, ok := cloudWatchUnits[base]; ok {
			return u + "/s"
		}
	}
	return cw
}
