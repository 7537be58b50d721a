// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package metricstreamtest builds CloudWatch Metric Stream records (JSON, OpenTelemetry 0.7 and 1.0 output formats) for tests
// and benchmarks. The same Metric values encode to equivalent records in every format, as a real stream would
// send them: JSON lines with a value object, OpenTelemetry summaries with quantile 0 (min), the percentiles and 1
// (max), protobuf default values left out.
package metricstreamtest

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Resource identifies the stream that sends the records.
type Resource struct {
	AccountID  string
	Region     string
	StreamName string
}

// ARN is the metric stream ARN the OpenTelemetry formats send as aws.exporter.arn.
func (r Resource) ARN() string {
	return fmt.Sprintf("arn:aws:cloudwatch:%s:%s:metric-stream/%s", r.Region, r.AccountID, r.StreamName)
}

// Dimension is one CloudWatch dimension.
type Dimension struct {
	Name, Value string
}

// Percentile is an additional percentile statistic, e.g. {"p99", 17.5} or {"p99.9", 17.9}.
type Percentile struct {
	Stat  string
	Value float64
}

// Metric is one CloudWatch data point: one metric over one minute starting at Timestamp.
type Metric struct {
	Namespace   string
	MetricName  string
	Unit        string // CloudWatch unit name, e.g. "Percent", "Bytes/Second"
	Dimensions  []Dimension
	Timestamp   time.Time // period start; the period ends one minute later
	Count       uint64
	Sum         float64
	Min, Max    float64
	Percentiles []Percentile
}

// Period is the aggregation period of metric streams.
const Period = time.Minute

// Options describes a generated set of metrics.
type Options struct {
	// Metrics is the number of data points to generate.
	Metrics int
	// Namespaces cycled through; default AWS/EC2.
	Namespaces []string
	// Dimensions per metric; default 0.
	Dimensions int
	// Percentiles added to every metric, e.g. "p99"; default none.
	Percentiles []string
	// Start is the period start of every data point; default 2024-01-01T00:00:00Z.
	Start time.Time
	// Seed makes the values reproducible.
	Seed uint64
}

var metricNames = []string{"CPUUtilization", "NetworkIn", "NetworkOut", "DiskReadOps", "DiskWriteOps",
	"StatusCheckFailed", "Invocations", "Duration", "Errors", "Throttles", "RequestCount", "Latency"}

var units = []string{"Percent", "Bytes", "Bytes", "Count", "Count", "Count", "Count", "Milliseconds", "Count",
	"Count", "Count", "Seconds"}

var dimensionNames = []string{"InstanceId", "AutoScalingGroupName", "ImageId", "InstanceType", "FunctionName",
	"Resource", "LoadBalancer", "TargetGroup", "AvailabilityZone", "ClusterName"}

// Generate returns reproducible metrics: names cycle through common CloudWatch metrics, dimension values through
// resource ids, values are random but plausible (min ≤ percentiles ≤ max).
func Generate(o Options) []Metric {
	if len(o.Namespaces) == 0 {
		o.Namespaces = []string{"AWS/EC2"}
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	out := make([]Metric, o.Metrics)
	for i := range out {
		k := i % len(metricNames)
		m := Metric{
			Namespace:  o.Namespaces[i%len(o.Namespaces)],
			MetricName: metricNames[k],
			Unit:       units[k],
			Timestamp:  o.Start,
			Count:      uint64(1 + rng.IntN(60)),
		}
		for d := 0; d < o.Dimensions; d++ {
			name := dimensionNames[d%len(dimensionNames)]
			if d >= len(dimensionNames) {
				name = fmt.Sprintf("%s%d", name, d/len(dimensionNames))
			}
			m.Dimensions = append(m.Dimensions, Dimension{Name: name, Value: fmt.Sprintf("i-%012x%d", i/len(metricNames), d)})
		}
		m.Min = float64(rng.IntN(1000)) / 8
		m.Max = m.Min + float64(rng.IntN(1000))/4
		m.Sum = (m.Min + m.Max) / 2 * float64(m.Count)
		for j, p := range o.Percentiles {
			m.Percentiles = append(m.Percentiles, Percentile{Stat: p, Value: m.Min + (m.Max-m.Min)*float64(j+1)/float64(len(o.Percentiles)+1)})
		}
		out[i] = m
	}
	return out
}
