// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package resourcetags

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream"
)

func TestResourceInfoLabels(t *testing.T) {
	snap := newTagSnapshot(map[string][]taggedResource{"us-east-1": {
		mustTagged(t, "arn:aws:ec2:us-east-1:123456789012:instance/i-0abcd1234efgh5678", "us-east-1",
			"Name", "web-1", "aws:cloudformation:stack-name", "my-stack", "region", "collides"),
		mustTagged(t, "arn:aws:s3:::my-bucket", "us-east-1", "1st-tag", "x"),
		mustTagged(t, "arn:aws:iam::123456789012:role/my-role", "us-east-1", "team", "core"),
	}})
	now := time.UnixMilli(1_700_000_000_000)
	md, collisions := InfoMetrics(snap, metricstream.NamingLogzio, "v1.2.3", now)
	assert.Equal(t, 1, collisions, "the tag 'region' collides with the region label")
	assert.Equal(t, []string{
		`aws_resource_info{Arn="arn:aws:iam::123456789012:role/my-role",account="123456789012",logzio_agent_version="v1.2.3",region="us-east-1",team="core"} 1 @1700000000000`,
		`aws_resource_info{Name="web-1",account="123456789012",aws_cloudformation_stack_name="my-stack",instanceid="i-0abcd1234efgh5678",logzio_agent_version="v1.2.3",region="us-east-1"} 1 @1700000000000`,
		`aws_resource_info{bucketname="my-bucket",key_1st_tag="x",logzio_agent_version="v1.2.3",region="us-east-1"} 1 @1700000000000`,
	}, series(md))

	otel, _ := InfoMetrics(snap, metricstream.NamingOTel, "v1.2.3", now)
	assert.Contains(t, series(otel), `aws.resource.info{aws.tag.1st-tag="x",cloud.provider="aws",cloud.region="us-east-1",cloud.resource_id="arn:aws:s3:::my-bucket"} 1 @1700000000000`)
}

func TestEnrichment(t *testing.T) {
	snap := newTagSnapshot(map[string][]taggedResource{"us-east-1": {
		mustTagged(t, "arn:aws:ec2:us-east-1:123456789012:instance/i-0ABC", "us-east-1", "Name", "web-1", "cost-center", "42"),
		mustTagged(t, "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188", "us-east-1", "team", "edge"),
		mustTagged(t, "arn:aws:dynamodb:us-east-1:123456789012:table/Orders", "us-east-1", "team", "shop"),
		mustTagged(t, "arn:aws:lambda:eu-west-1:123456789012:function:f", "eu-west-1", "team", "other-region"),
	}})
	cache := &Cache{}
	cache.snapshot.Store(snap)
	e := NewEnricher(cache, metricstream.NamingLogzio)

	md := pmetric.NewMetrics()
	rm := md.ResourceMetrics().AppendEmpty()
	rm.Resource().Attributes().PutStr("region", "us-east-1")
	dps := rm.ScopeMetrics().AppendEmpty().Metrics().AppendEmpty().SetEmptyGauge().DataPoints()
	add := func(kv ...string) {
		attrs := dps.AppendEmpty().Attributes()
		for i := 0; i+1 < len(kv); i += 2 {
			attrs.PutStr(kv[i], kv[i+1])
		}
	}
	add("namespace", "aws/ec2", "instanceid", "i-0abc")                                   // matched case-insensitively
	add("namespace", "aws/applicationelb", "loadbalancer", "app/my-alb/50dc6c495c0c9188") // the CloudWatch dimension form
	add("namespace", "aws/dynamodb", "tablename", "orders")
	add("namespace", "aws/lambda", "functionname", "f")                     // tagged in another region only
	add("namespace", "aws/rds", "instanceid", "i-0abc")                     // another service's namespace
	add("namespace", "aws/ec2", "instanceid", "i-0abc", "tag_Name", "kept") // never overwritten

	assert.Equal(t, 4, e.Enrich(md))
	get := func(i int, key string) string {
		v, _ := dps.At(i).Attributes().Get(key)
		return v.AsString()
	}
	assert.Equal(t, "web-1", get(0, "tag_Name"))
	assert.Equal(t, "42", get(0, "tag_cost_center"))
	assert.Equal(t, "edge", get(1, "tag_team"))
	assert.Equal(t, "shop", get(2, "tag_team"))
	assert.Equal(t, 2, dps.At(3).Attributes().Len(), "no tags from another region")
	assert.Equal(t, 2, dps.At(4).Attributes().Len())
	assert.Equal(t, "kept", get(5, "tag_Name"))
	assert.Equal(t, "42", get(5, "tag_cost_center"))
}

func mustTagged(t *testing.T, arn, region string, kv ...string) taggedResource {
	t.Helper()
	m := taggingtypes.ResourceTagMapping{ResourceARN: aws.String(arn)}
	for i := 0; i+1 < len(kv); i += 2 {
		m.Tags = append(m.Tags, taggingtypes.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	res, ok := toTaggedResource(m, region)
	require.True(t, ok)
	return res
}

// TestEnrichmentOfDecodedSeries enriches what the decoder produces with the logzio naming, where namespace and
// metricname are resource attributes and the dimensions data-point attributes: every series of the data point gets
// the tags.
func TestEnrichmentOfDecodedSeries(t *testing.T) {
	snap := newTagSnapshot(map[string][]taggedResource{"us-east-1": {
		mustTagged(t, "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc", "us-east-1", "Name", "web-1"),
	}})
	cache := &Cache{}
	cache.snapshot.Store(snap)
	e := NewEnricher(cache, metricstream.NamingLogzio)

	d, err := metricstream.NewDecoder(metricstream.Options{})
	require.NoError(t, err)
	b := d.NewBatch(nil)
	record := `{"metric_stream_name":"s","account_id":"123456789012","region":"us-east-1","namespace":"AWS/EC2",` +
		`"metric_name":"CPUUtilization","dimensions":{"InstanceId":"i-0ABC"},"timestamp":1700000000000,` +
		`"value":{"count":1,"sum":5,"max":5,"min":5},"unit":"Percent"}` + "\n" +
		`{"metric_stream_name":"s","account_id":"123456789012","region":"us-east-1","namespace":"AWS/Lambda",` +
		`"metric_name":"Invocations","dimensions":{"InstanceId":"i-0abc"},"timestamp":1700000000000,` +
		`"value":{"count":1,"sum":5,"max":5,"min":5},"unit":"Count"}` + "\n"
	require.NoError(t, b.AddRecord([]byte(record)))
	md := b.Metrics()

	assert.Equal(t, 4, e.Enrich(md), "the 4 series of the EC2 data point; the Lambda one is another service")
	for _, l := range series(md) {
		if strings.HasPrefix(l, "aws_ec2_") {
			assert.Contains(t, l, `tag_Name="web-1"`)
		} else {
			assert.NotContains(t, l, "tag_Name", l)
		}
	}
}
