// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"

import (
	"strconv"
	"strings"
)

// Telemetry is a scrape of the collector's own metrics (Prometheus text format).
type Telemetry string

// Sum adds the values of every sample of the metric family name (with or without the _total suffix) whose labels
// include all of want (label="value").
func (m Telemetry) Sum(name string, want ...string) float64 {
	var sum float64
	for line := range strings.SplitSeq(string(m), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		metric, value, ok := cutSample(line)
		if !ok {
			continue
		}
		family, labels, _ := strings.Cut(metric, "{")
		if family != name && family != name+"_total" {
			continue
		}
		matched := true
		for _, w := range want {
			if !strings.Contains(labels, w) {
				matched = false
				break
			}
		}
		if matched {
			sum += value
		}
	}
	return sum
}

// cutSample splits "name{labels} value [timestamp]" into the metric and its value. Label values may hold spaces, so
// the value is found after the closing brace.
func cutSample(line string) (string, float64, bool) {
	end := strings.LastIndexByte(line, '}')
	if end < 0 {
		end = strings.IndexByte(line, ' ')
		if end < 0 {
			return "", 0, false
		}
		end--
	}
	metric := line[:end+1]
	fields := strings.Fields(line[end+1:])
	if len(fields) == 0 {
		return "", 0, false
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return "", 0, false
	}
	return metric, v, true
}
