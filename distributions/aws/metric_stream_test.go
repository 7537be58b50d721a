// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package aws_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func metricStream(t *testing.T, params map[string]string) *stack {
	t.Helper()
	return templateStack(t, metricStreamTemplate, map[string]string{"CollectorUrl": "https://metrics.example.com/", "AccessKey": "marker-access-key"}, params)
}

// TestMetricStreamIncludeFilters evaluates the metric stream for several Namespaces values: all-namespaces gives no
// include filter (every namespace), a list gives one filter per namespace in order, and what CloudFormation would
// refuse (or what would silently lose namespaces) is refused by the parameter's AllowedPattern.
func TestMetricStreamIncludeFilters(t *testing.T) {
	twenty := make([]string, 20)
	for i := range twenty {
		twenty[i] = fmt.Sprintf("Custom/N%02d", i+1)
	}
	tests := []struct {
		name       string
		namespaces string
		want       []string // nil: no IncludeFilters (all namespaces)
	}{
		{name: "default is all namespaces", namespaces: "", want: nil},
		{name: "all-namespaces", namespaces: "all-namespaces", want: nil},
		{name: "all-namespaces inside a list wins (Logz.io's rule)", namespaces: "AWS/EC2,all-namespaces", want: nil},
		{name: "one", namespaces: "AWS/EC2", want: []string{"AWS/EC2"}},
		{name: "spaces around commas are removed", namespaces: " AWS/EC2 , AWS/Lambda,CWAgent ", want: []string{"AWS/EC2", "AWS/Lambda", "CWAgent"}},
		{name: "twenty, the most the template takes", namespaces: strings.Join(twenty, ","), want: twenty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := map[string]string{}
			if tt.namespaces != "" {
				params["Namespaces"] = tt.namespaces
			}
			props := resourceProps(t, metricStream(t, params), "MetricStream")
			assert.NotContains(t, props, "ExcludeFilters", "include and exclude filters are mutually exclusive")
			if tt.want == nil {
				assert.NotContains(t, props, "IncludeFilters", "no include filter streams every namespace")
				return
			}
			var got []string
			for _, f := range props["IncludeFilters"].([]any) {
				filter := f.(map[string]any)
				assert.Len(t, filter, 1, "a whole-namespace filter has only Namespace")
				got = append(got, filter["Namespace"].(string))
			}
			assert.Equal(t, tt.want, got)
			// CloudWatch: at most 1,000 names (namespaces plus metric names) over all filters.
			assert.LessOrEqual(t, len(got), 1000)
		})
	}

	tpl, err := loadTemplate(metricStreamTemplate)
	require.NoError(t, err)
	for _, bad := range []string{strings.Join(append(twenty, "AWS/EC2"), ","), "AWS/EC2,,AWS/S3", "AWS/EC2,", ",AWS/EC2", "My Namespace", " "} {
		_, err := newStack(tpl, map[string]string{"CollectorUrl": "https://m.example.com/", "AccessKey": "k", "Namespaces": bad})
		assert.ErrorContains(t, err, "Namespaces", "Namespaces=%q must be refused before anything is created", bad)
	}
}

func TestMetricStreamResource(t *testing.T) {
	tpl, err := loadTemplate(metricStreamTemplate)
	require.NoError(t, err)
	formats := lookup(tpl.parameters["OutputFormat"], "AllowedValues")
	require.NotNil(t, formats)
	var allowed []string
	for _, f := range formats.Content {
		allowed = append(allowed, f.Value)
	}
	assert.ElementsMatch(t, []string{"json", "opentelemetry0.7", "opentelemetry1.0"}, allowed, "CloudWatch's output formats")

	for _, format := range allowed {
		props := resourceProps(t, metricStream(t, map[string]string{"OutputFormat": format, "MetricStreamName": "prod-metrics"}), "MetricStream")
		assert.Equal(t, format, props["OutputFormat"])
		assert.Equal(t, "prod-metrics", props["Name"])
		assert.Equal(t, "getatt(DeliveryStream.Arn)", props["FirehoseArn"])
		assert.Equal(t, "getatt(MetricStreamRole.Arn)", props["RoleArn"])
	}
	props := resourceProps(t, metricStream(t, nil), "MetricStream")
	assert.Equal(t, "opentelemetry1.0", props["OutputFormat"], "the default format is Logz.io's")
}

// TestFirehoseDeliveryStream evaluates the delivery stream with the defaults: an HTTP endpoint destination at the
// collector with the access key, 60 s / 5 MiB buffering, gzip, the P8S_LOGZIO_NAME common attribute, retries, and
// failed data only to the backup bucket.
func TestFirehoseDeliveryStream(t *testing.T) {
	s := metricStream(t, map[string]string{"CollectorUrl": "https://lb.example.com:443/firehose", "P8sLogzioName": "prod"})
	props := resourceProps(t, s, "DeliveryStream")
	assert.Equal(t, "DirectPut", props["DeliveryStreamType"], "a metric stream puts records directly")
	dest := assertHTTPEndpointDestination(t, props, "https://lb.example.com:443/firehose", "60")
	assert.Equal(t, "GZIP", dig(dest, "RequestConfiguration", "ContentEncoding"))
	assert.Equal(t, []any{map[string]any{"AttributeName": "P8S_LOGZIO_NAME", "AttributeValue": "prod"}},
		dig(dest, "RequestConfiguration", "CommonAttributes"))

	assertBackupBucket(t, s)
}

// TestFirehoseParameterLimits checks that the parameters refuse what Firehose would refuse, so a mistake fails
// before anything is created: URLs other than HTTPS on port 443, buffering and retry hints outside Firehose's ranges.
func TestFirehoseParameterLimits(t *testing.T) {
	tpl, err := loadTemplate(metricStreamTemplate)
	require.NoError(t, err)
	assert.Equal(t, "true", lookup(tpl.parameters["AccessKey"], "NoEcho").Value, "the access key is NoEcho")

	base := func(k, v string) map[string]string {
		return withParam(map[string]string{"CollectorUrl": "https://m.example.com/", "AccessKey": "k"}, k, v)
	}
	assertParameters(t, tpl, []map[string]string{
		base("CollectorUrl", "https://metrics.example.com"),
		base("CollectorUrl", "https://metrics.example.com:443/firehose?stream=1"),
		base("BufferIntervalSeconds", "0"), base("BufferIntervalSeconds", "900"),
		base("BufferSizeMiB", "1"), base("BufferSizeMiB", "64"),
		base("RetryDurationSeconds", "0"), base("RetryDurationSeconds", "7200"),
	}, []map[string]string{
		base("CollectorUrl", "http://metrics.example.com/"),
		base("CollectorUrl", "https://metrics.example.com:4433/"),
		base("CollectorUrl", "metrics.example.com"),
		base("AccessKey", ""),
		base("BufferIntervalSeconds", "901"),
		base("BufferSizeMiB", "0"), base("BufferSizeMiB", "65"),
		base("RetryDurationSeconds", "7201"),
		base("MetricStreamName", "has space"),
		base("OutputFormat", "opentelemetry"),
	})
	_, err = newStack(tpl, map[string]string{"AccessKey": "k"})
	assert.ErrorContains(t, err, "parameter CollectorUrl is required")
}

// TestMetricStreamRoles checks the two roles: who may assume them and exactly which actions they grant.
func TestMetricStreamRoles(t *testing.T) {
	s := metricStream(t, nil)
	assert.ElementsMatch(t, []string{"FirehoseRole", "MetricStreamRole"}, s.t.resourcesOfType("AWS::IAM::Role"))

	assertFirehoseRole(t, s)

	streamRole := resourceProps(t, s, "MetricStreamRole")
	assertTrust(t, streamRole, "Service", "streams.metrics.cloudwatch.amazonaws.com")
	assert.Equal(t, []string{"firehose:PutRecord", "firehose:PutRecordBatch"}, roleActions(t, streamRole))
	assert.Equal(t, "getatt(DeliveryStream.Arn)", dig(streamRole, "Policies", 0, "PolicyDocument", "Statement", 0, "Resource"))
	assertNoWildcards(t, streamRole)
}
