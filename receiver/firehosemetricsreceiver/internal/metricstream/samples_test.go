// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSampleOTel10Logzio(t *testing.T) {
	b := decodeSample(t, Options{}, "otel1.0-request.json")
	ebs := `account="486140753397",cloud_provider="aws",metricname="volumewritebytes",namespace="aws/ebs",p8s_logzio_name="example-env",region="us-east-1",volumeid="vol-01bb3fd4d5ba82034"`
	lambda := `account="486140753397",cloud_provider="aws",functionname="lambda-custom-metrics",metricname="asynceventage",namespace="aws/lambda",p8s_logzio_name="example-env",region="us-east-1"`
	assert.Equal(t, []string{
		"aws_ebs_volumewritebytes_count{" + ebs + "} 1 @1727699160000",
		"aws_ebs_volumewritebytes_max{" + ebs + "} 634880 @1727699100000",
		"aws_ebs_volumewritebytes_min{" + ebs + "} 634880 @1727699100000",
		"aws_ebs_volumewritebytes_sum{" + ebs + "} 634880 @1727699160000",
		"aws_lambda_asynceventage_count{" + lambda + "} 1 @1727699160000",
		"aws_lambda_asynceventage_max{" + lambda + "} 35 @1727699100000",
		"aws_lambda_asynceventage_min{" + lambda + "} 35 @1727699100000",
		"aws_lambda_asynceventage_sum{" + lambda + "} 35 @1727699160000",
	}, promSeries(b.Metrics()))
	assert.Equal(t, Stats{Records: 1, DataPoints: 2}, b.Stats())
}

func TestSampleOTel07Logzio(t *testing.T) {
	b := decodeSample(t, Options{}, "otel0.7-request.json")
	l := `account="486140753397",cloud_provider="aws",metricname="volumetotalwritetime",namespace="aws/ebs",p8s_logzio_name="example-env",region="us-east-1",volumeid="vol-0291537fecb077956"`
	assert.Equal(t, []string{
		"aws_ebs_volumetotalwritetime_count{" + l + "} 6 @1650963300000",
		"aws_ebs_volumetotalwritetime_max{" + l + "} 0 @1650963240000",
		"aws_ebs_volumetotalwritetime_min{" + l + "} 0 @1650963240000",
		"aws_ebs_volumetotalwritetime_sum{" + l + "} 0 @1650963300000",
		"aws_ebs_volumetotalwritetime{" + withQuantile(l, "0.7") + "} 0 @1650963300000",
		"aws_ebs_volumetotalwritetime{" + withQuantile(l, "0.8") + "} 0 @1650963300000",
		"aws_ebs_volumetotalwritetime{" + withQuantile(l, "0.95") + "} 0 @1650963300000",
		"aws_ebs_volumetotalwritetime{" + withQuantile(l, "0.99") + "} 0 @1650963300000",
	}, promSeries(b.Metrics()))
	assert.Equal(t, Stats{Records: 1, DataPoints: 1}, b.Stats())
}

func TestSampleJSONLogzio(t *testing.T) {
	b := decodeSample(t, Options{}, "json-request.json")
	disk := `account="1234567890",cloud_provider="aws",instanceid="i-123456789012",metricname="diskwriteops",namespace="aws/ec2",p8s_logzio_name="example-env",region="us-east-1"`
	cpu := `account="123456789012",cloud_provider="aws",instanceid="i-0abcd1234efgh5678",metricname="cpuutilization",namespace="aws/ec2",p8s_logzio_name="example-env",region="us-east-1"`
	alb := `account="123456789012",cloud_provider="aws",loadbalancer="app/my-alb/50dc6c495c0c9188",metricname="httpcode_target_5xx_count",namespace="aws/applicationelb",p8s_logzio_name="example-env",region="us-east-1",targetgroup="targetgroup/my-tg/0123456789abcdef"`
	lambda := `account="123456789012",cloud_provider="aws",metricname="concurrentexecutions",namespace="aws/lambda",p8s_logzio_name="example-env",region="us-east-1"`
	// The CloudFront dimension Region=Global collides with the resource label region: the resource value wins.
	cf := `account="123456789012",cloud_provider="aws",distributionid="e1abcdefghijkl",metricname="requests",namespace="aws/cloudfront",p8s_logzio_name="example-env",region="us-east-1"`
	assert.Equal(t, []string{
		"aws_applicationelb_httpcode_target_5xx_count_count{" + alb + "} 12 @1611929700000",
		"aws_applicationelb_httpcode_target_5xx_count_max{" + alb + "} 1 @1611929640000",
		"aws_applicationelb_httpcode_target_5xx_count_min{" + alb + "} 0 @1611929640000",
		"aws_applicationelb_httpcode_target_5xx_count_sum{" + alb + "} 3 @1611929700000",
		"aws_cloudfront_requests_count{" + cf + "} 60 @1611929700000",
		"aws_cloudfront_requests_max{" + cf + "} 7 @1611929640000",
		"aws_cloudfront_requests_min{" + cf + "} 0 @1611929640000",
		"aws_cloudfront_requests_sum{" + cf + "} 42 @1611929700000",
		"aws_ec2_cpuutilization_count{" + cpu + "} 5 @1611929700000",
		"aws_ec2_cpuutilization_max{" + cpu + "} 12.5 @1611929640000",
		"aws_ec2_cpuutilization_min{" + cpu + "} 1.25 @1611929640000",
		"aws_ec2_cpuutilization_sum{" + cpu + "} 27.5 @1611929700000",
		"aws_ec2_diskwriteops_count{" + disk + "} 3 @1611929758000",
		"aws_ec2_diskwriteops_max{" + disk + "} 18 @1611929698000",
		"aws_ec2_diskwriteops_min{" + disk + "} 0 @1611929698000",
		"aws_ec2_diskwriteops_sum{" + disk + "} 20 @1611929758000",
		"aws_ec2_diskwriteops{" + withQuantile(disk, "0.99") + "} 17.56 @1611929758000",
		"aws_ec2_diskwriteops{" + withQuantile(disk, "0.999") + "} 17.8764 @1611929758000",
		"aws_lambda_concurrentexecutions_count{" + lambda + "} 4 @1611929700000",
		"aws_lambda_concurrentexecutions_max{" + lambda + "} 4 @1611929640000",
		"aws_lambda_concurrentexecutions_min{" + lambda + "} 1 @1611929640000",
		"aws_lambda_concurrentexecutions_sum{" + lambda + "} 9 @1611929700000",
	}, promSeries(b.Metrics()))
	// TM(25%:75%) has no series.
	assert.Equal(t, Stats{Records: 2, DataPoints: 5, DroppedStatistics: 1}, b.Stats())
}

func TestSampleOTel10OTelNaming(t *testing.T) {
	b := decodeSample(t, Options{Naming: NamingOTel}, "otel1.0-request.json")
	res := `aws.exporter.arn="arn:aws:cloudwatch:us-east-1:486140753397:metric-stream/CustomFull-OhkxxX-webhooksite",cloud.account.id="486140753397",cloud.provider="aws",cloud.region="us-east-1"`
	assert.Equal(t, []string{
		`amazonaws.com/AWS/EBS/VolumeWriteBytes unit="By" resource{` + res + `} attrs{MetricName="VolumeWriteBytes",Namespace="AWS/EBS",VolumeId="vol-01bb3fd4d5ba82034"} start=1727699100000 end=1727699160000 count=1 sum=634880 q=[0:634880 1:634880]`,
		`amazonaws.com/AWS/Lambda/AsyncEventAge unit="ms" resource{` + res + `} attrs{FunctionName="lambda-custom-metrics",MetricName="AsyncEventAge",Namespace="AWS/Lambda"} start=1727699100000 end=1727699160000 count=1 sum=35 q=[0:35 1:35]`,
	}, otelSummaries(b.Metrics()))
	require.Equal(t, 1, b.Metrics().ResourceMetrics().Len())
	assert.Equal(t, 0, b.Metrics().ResourceMetrics().At(0).Resource().Attributes().Len()-4)
}

func TestSampleOTel07OTelNaming(t *testing.T) {
	b := decodeSample(t, Options{Naming: NamingOTel}, "otel0.7-request.json")
	assert.Equal(t, []string{
		`amazonaws.com/AWS/EBS/VolumeTotalWriteTime unit="s" resource{aws.exporter.arn="arn:aws:cloudwatch:us-east-1:486140753397:metric-stream/test-otel-format",cloud.account.id="486140753397",cloud.provider="aws",cloud.region="us-east-1"} attrs{MetricName="VolumeTotalWriteTime",Namespace="AWS/EBS",VolumeId="vol-0291537fecb077956"} start=1650963240000 end=1650963300000 count=6 sum=0 q=[0:0 0.7:0 0.8:0 0.95:0 0.99:0 1:0]`,
	}, otelSummaries(b.Metrics()))
}

func TestSampleJSONOTelNaming(t *testing.T) {
	b := decodeSample(t, Options{Naming: NamingOTel}, "json-request.json")
	res := func(acct string) string {
		return `aws.exporter.arn="arn:aws:cloudwatch:us-east-1:` + acct + `:metric-stream/MyMetricStream",cloud.account.id="` + acct + `",cloud.provider="aws",cloud.region="us-east-1"`
	}
	r := res("123456789012")
	assert.Equal(t, []string{
		`amazonaws.com/AWS/ApplicationELB/HTTPCode_Target_5XX_Count unit="{Count}" resource{` + r + `} attrs{LoadBalancer="app/my-alb/50dc6c495c0c9188",MetricName="HTTPCode_Target_5XX_Count",Namespace="AWS/ApplicationELB",TargetGroup="targetgroup/my-tg/0123456789abcdef"} start=1611929640000 end=1611929700000 count=12 sum=3 q=[0:0 1:1]`,
		`amazonaws.com/AWS/CloudFront/Requests unit="1" resource{` + r + `} attrs{DistributionId="E1ABCDEFGHIJKL",MetricName="Requests",Namespace="AWS/CloudFront",Region="Global"} start=1611929640000 end=1611929700000 count=60 sum=42 q=[0:0 1:7]`,
		`amazonaws.com/AWS/EC2/CPUUtilization unit="%" resource{` + r + `} attrs{InstanceId="i-0abcd1234efgh5678",MetricName="CPUUtilization",Namespace="AWS/EC2"} start=1611929640000 end=1611929700000 count=5 sum=27.5 q=[0:1.25 1:12.5]`,
		`amazonaws.com/AWS/EC2/DiskWriteOps unit="s" resource{` + res("1234567890") + `} attrs{InstanceId="i-123456789012",MetricName="DiskWriteOps",Namespace="AWS/EC2"} start=1611929698000 end=1611929758000 count=3 sum=20 q=[0:0 0.99:17.56 0.999:17.8764 1:18]`,
		`amazonaws.com/AWS/Lambda/ConcurrentExecutions unit="{Count}" resource{` + r + `} attrs{MetricName="ConcurrentExecutions",Namespace="AWS/Lambda"} start=1611929640000 end=1611929700000 count=4 sum=9 q=[0:1 1:4]`,
	}, otelSummaries(b.Metrics()))
}

func TestSampleDemoRecordIgnored(t *testing.T) {
	for _, format := range []Format{FormatAuto, FormatJSON, FormatOTel07, FormatOTel10} {
		t.Run(string(format), func(t *testing.T) {
			b := decodeSample(t, Options{Format: format}, "demo-data-request.json")
			assert.Equal(t, Stats{DemoRecords: 1}, b.Stats())
			assert.Equal(t, 0, b.Metrics().ResourceMetrics().Len())
		})
	}
}

func TestSampleForcedFormatMatchesAuto(t *testing.T) {
	for sample, format := range map[string]Format{
		"otel1.0-request.json": FormatOTel10,
		"otel0.7-request.json": FormatOTel07,
		"json-request.json":    FormatJSON,
	} {
		t.Run(sample, func(t *testing.T) {
			auto := decodeSample(t, Options{}, sample)
			forced := decodeSample(t, Options{Format: format}, sample)
			assert.Equal(t, promSeries(auto.Metrics()), promSeries(forced.Metrics()))
		})
	}
}

func TestSampleForcedWrongOTelVersion(t *testing.T) {
	d, err := NewDecoder(Options{Format: FormatOTel10})
	require.NoError(t, err)
	b := d.NewBatch(nil)
	err = b.AddRecord(sampleRecords(t, "otel0.7-request.json")[0])
	require.ErrorIs(t, err, ErrMalformed)
	assert.ErrorContains(t, err, `encoded as in opentelemetry0.7 but format is opentelemetry1.0: set format to "auto" or "opentelemetry0.7"`)
	assert.Equal(t, Stats{MalformedRecords: 1}, b.Stats())
}

// withQuantile inserts the quantile label into a rendered label set (in sorted position: after p8s_logzio_name).
func withQuantile(labels, q string) string {
	i := strings.Index(labels, `,region=`)
	return labels[:i] + `,quantile="` + q + `"` + labels[i:]
}
