// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream/metricstreamtest"
)

func TestLogzioBaseName(t *testing.T) {
	// The table of docs/metric-streams.md#series-name, plus sanitising corner cases.
	for _, tc := range []struct{ namespace, metric, want string }{
		{"AWS/EC2", "CPUUtilization", "aws_ec2_cpuutilization"},
		{"AWS/ApiGateway", "4xx", "aws_apigateway_4xx"},
		{"AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "aws_applicationelb_httpcode_target_5xx_count"},
		{"AWS/ECS/ManagedScaling", "CapacityProviderReservation", "aws_ecs_managedscaling_capacityproviderreservation"},
		{"AWS/S3/Storage-Lens", "StorageBytes", "aws_s3_storage_lens_storagebytes"},
		{"AWS/CloudWatch/MetricStreams", "MetricUpdate", "aws_cloudwatch_metricstreams_metricupdate"},
		{"CWAgent", "mem_used_percent", "cwagent_mem_used_percent"},
		{"Glue", "glue.driver.aggregate.bytesRead", "glue_glue_driver_aggregate_bytesread"},
		{"Custom", "a -- b%%", "custom_a_b"},
		{"1st", "x", "_1st_x"},
		{"Ns", "a:b__c", "ns_a:b__c"},
		{"Ns", "Größe", "ns_größe"},
	} {
		assert.Equal(t, tc.want, logzioBaseName("amazonaws.com/"+tc.namespace+"/"+tc.metric), tc.namespace+"/"+tc.metric)
	}
}

// TestLogzioNamesOfPercentMetrics: EC2's EBSByteBalance% and EBSIOBalance% hold a '%' that Prometheus forbids. Logz.io's
// hosted metric-stream function (logzio/metric-stream-lambda, handler.processRecord) lower-cases the name, turns '/'
// into '_', drops "amazonaws.com_", appends _min/_max for the summary's extremes, and hands the rest to contrib's
// prometheusremotewrite translator, which splits the name at every rune that is not a letter or digit and joins the
// pieces with '_': aws_ec2_ebsbytebalance_min, _max, _sum, _count. Ours are the same.
func TestLogzioNamesOfPercentMetrics(t *testing.T) {
	for metric, want := range map[string]string{"EBSByteBalance%": "aws_ec2_ebsbytebalance", "EBSIOBalance%": "aws_ec2_ebsiobalance"} {
		base := logzioBaseName("amazonaws.com/AWS/EC2/" + metric)
		assert.Equal(t, want, base)
		for _, suffix := range []string{"_sum", "_count", "_min", "_max"} {
			assert.Regexp(t, `^[a-zA-Z_:][a-zA-Z0-9_:]*$`, base+suffix, "a valid Prometheus name")
		}
	}
}

func TestLogzioLabelName(t *testing.T) {
	for in, want := range map[string]string{
		"InstanceId":         "instanceid",
		"instance-id":        "instance_id",
		"Configuration Name": "configuration_name",
		"1st":                "key_1st",
		"_foo":               "key_foo",
		"__foo":              "__foo",
		"a..b":               "a__b",
		"":                   "",
	} {
		assert.Equal(t, want, logzioLabelName(in), in)
	}
}

func TestPercentile(t *testing.T) {
	for in, want := range map[string]float64{
		"p99": 0.99, "p99.9": 0.999, "p50": 0.5, "p5": 0.05, "p9.5": 0.095, "p99.99": 0.9999, "p0.1": 0.001,
		"p100": 1, "p100.00": 1, "p0": 0, "p09": 0.09,
	} {
		q, ok := percentile([]byte(in))
		if assert.True(t, ok, in) {
			assert.Equal(t, want, q, in)
		}
	}
	for _, in := range []string{"p", "p.5", "p99.", "p1000", "p100.1", "P99", "pabc", "p9a", "TM(25%:75%)", "tm98", "IQM", "wm90"} {
		_, ok := percentile([]byte(in))
		assert.False(t, ok, in)
	}
	// The decimal point is moved in the text: 99.9/100 would give 0.9990000000000001.
	q, _ := percentile([]byte("p99.9"))
	assert.Equal(t, "0.999", formatQuantile(q))
	p := 99.9
	assert.NotEqual(t, p/100, q)
}

func formatQuantile(q float64) string {
	var b Batch
	return b.quantileLabel(q)
}

func TestOTelUnit(t *testing.T) {
	for in, want := range map[string]string{
		"Seconds": "s", "Microseconds": "us", "Milliseconds": "ms", "Bytes": "By", "Kilobytes": "kBy",
		"Megabytes": "MBy", "Gigabytes": "GBy", "Terabytes": "TBy", "Bits": "bit", "Kilobits": "kbit",
		"Megabits": "MBit", "Gigabits": "GBit", "Terabits": "Tbit", "Percent": "%", "Count": "{Count}", "None": "1",
		"Bytes/Second": "By/s", "Count/Second": "{Count}/s", "Gigabits/Second": "GBit/s", "Furlongs": "Furlongs",
	} {
		assert.Equal(t, want, otelUnit(in), in)
		assert.Equal(t, want, metricstreamtest.OTelUnit(in), in)
	}
}

func TestLogzioDimensionLabels(t *testing.T) {
	m := metricstreamtest.Metric{Namespace: "AWS/X", MetricName: "Y", Timestamp: time.UnixMilli(1700000000000), Count: 1,
		Dimensions: []metricstreamtest.Dimension{
			{Name: "Instance_Id", Value: "B"}, {Name: "Instance-Id", Value: "A"}, // merged, in name order: "instance-id" < "instance_id"
			{Name: "Namespace", Value: "other"},    // collides with the decoder's namespace label: dropped
			{Name: "Quantile", Value: "q"},         // collides with quantile: dropped
			{Name: "Account", Value: "x"},          // collides with the resource label: dropped
			{Name: "Empty", Value: ""},             // no empty label values
			{Name: "1st Tag", Value: "MiXeD Case"}, // sanitised name, lower-cased value
		}}
	// OpenTelemetry 1.0: in 0.7 a dimension named Namespace cannot be told from the Namespace label.
	md, _ := decodeRecords(t, Options{}, metricstreamtest.OTel10Record(testResource, []metricstreamtest.Metric{m}))
	l := `account="123456789012",cloud_provider="aws",instance_id="a;b",key_1st_tag="mixed case",metricname="y",namespace="aws/x",p8s_logzio_name="logzio-otlp-metrics-stream",region="eu-west-1"`
	assert.Equal(t, []string{
		"aws_x_y_count{" + l + "} 1 @1700000060000",
		"aws_x_y_max{" + l + "} 0 @1700000000000",
		"aws_x_y_min{" + l + "} 0 @1700000000000",
		"aws_x_y_sum{" + l + "} 0 @1700000060000",
	}, promSeries(md))
}

func TestOTelNonStringDimensionValues(t *testing.T) {
	// AnyValue bool, int and double dimension values are formatted; this covers producers other than CloudWatch.
	kvlist := []byte{}
	kvlist = appendKV(kvlist, "b", []byte{0x10, 0x01})                // bool true
	kvlist = appendKV(kvlist, "i", []byte{0x18, 0x2a})                // int 42
	kvlist = appendKV(kvlist, "d", append([]byte{0x21}, f64(1.5)...)) // double 1.5
	dp := append([]byte{0x3a}, byte(len(dimAttr(kvlist))))
	dp = append(dp, dimAttr(kvlist)...)
	md, _ := decodeRecords(t, Options{Naming: NamingOTel}, summaryRecord(dp))
	got := otelSummaries(md)
	if assert.Len(t, got, 1) {
		assert.Contains(t, got[0], `attrs{b="true",d="1.5",i="42"}`)
	}
}

func f64(v float64) []byte {
	b := make([]byte, 8)
	u := math.Float64bits(v)
	for i := range b {
		b[i] = byte(u >> (8 * i))
	}
	return b
}

func appendKV(dst []byte, key string, anyValue []byte) []byte {
	kv := append([]byte{0x0a, byte(len(key))}, key...)
	kv = append(append(kv, 0x12, byte(len(anyValue))), anyValue...)
	return append(append(dst, 0x0a, byte(len(kv))), kv...)
}

// dimAttr is KeyValue{"Dimensions", AnyValue{kvlist}}.
func dimAttr(kvlist []byte) []byte {
	anyValue := append([]byte{0x32, byte(len(kvlist))}, kvlist...)
	return appendKV(nil, "Dimensions", anyValue)[2:]
}

// summaryRecord wraps one data point into request → resource metrics → scope metrics → metric → summary.
func summaryRecord(dp []byte) []byte {
	wrap := func(num byte, inner []byte) []byte { return append([]byte{num<<3 | 2, byte(len(inner))}, inner...) }
	metric := append(wrap(1, []byte("m")), wrap(11, wrap(1, dp))...)
	msg := wrap(1, wrap(2, wrap(2, metric)))
	return append([]byte{byte(len(msg))}, msg...)
}
