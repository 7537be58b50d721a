// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package resourcetags

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.uber.org/zap/zaptest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metadata"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream"
)

// TestCacheAgainstMoto lists more than one page of tagged EC2 instances through moto's Resource Groups Tagging API,
// checks aws_resource_info, then changes a tag, refreshes, and checks that a metric-stream data point of that
// instance is enriched with the new tags.
func TestCacheAgainstMoto(t *testing.T) {
	moto := testpeers.Moto(t)
	ctx := context.Background()
	creds := credentials.NewStaticCredentialsProvider(moto.AccessKey, moto.SecretKey, "")
	ec2Client := ec2.New(ec2.Options{Region: moto.Region, BaseEndpoint: aws.String(moto.Endpoint), Credentials: creds})
	const instances = 130 // more than one page of 100
	out, err := ec2Client.RunInstances(ctx, &ec2.RunInstancesInput{
		ImageId:      aws.String("ami-12c6146b"),
		InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount:     aws.Int32(instances),
		MaxCount:     aws.Int32(instances),
		TagSpecifications: []ec2types.TagSpecification{{
			ResourceType: ec2types.ResourceTypeInstance,
			Tags:         []ec2types.Tag{{Key: aws.String("team-name"), Value: aws.String("metrics")}},
		}},
	})
	require.NoError(t, err)
	require.Len(t, out.Instances, instances)
	ids := map[string]bool{}
	for _, inst := range out.Instances {
		ids[aws.ToString(inst.InstanceId)] = true
	}

	filters, err := ResourceTypeFilters([]string{"AWS/EC2"})
	require.NoError(t, err)
	telemetry, err := metadata.NewTelemetryBuilder(componenttest.NewNopTelemetrySettings())
	require.NoError(t, err)
	tagging := resourcegroupstaggingapi.New(resourcegroupstaggingapi.Options{Region: moto.Region, BaseEndpoint: aws.String(moto.Endpoint), Credentials: creds})
	cache := NewCache(zaptest.NewLogger(t), telemetry, filters, map[string]GetResourcesAPI{moto.Region: tagging})

	snap, err := cache.Refresh(ctx)
	require.NoError(t, err)
	info, _ := InfoMetrics(snap, metricstream.NamingLogzio, "v1.2.3", time.Now())
	lines := series(info)
	require.Len(t, lines, instances, "every tagged instance of both pages")
	seen := map[string]bool{}
	for _, l := range lines {
		assert.True(t, strings.HasPrefix(l, "aws_resource_info{"), l)
		assert.Contains(t, l, `team_name="metrics"`)
		assert.Contains(t, l, `account="123456789012"`)
		assert.Contains(t, l, `region="us-east-1"`)
		id := between(l, `instanceid="`, `"`)
		assert.True(t, ids[id], "unknown instance %q", id)
		seen[id] = true
	}
	assert.Len(t, seen, instances)

	// Change the tags of one instance; after a refresh, its data points carry them.
	target := aws.ToString(out.Instances[instances-1].InstanceId)
	_, err = ec2Client.CreateTags(ctx, &ec2.CreateTagsInput{
		Resources: []string{target},
		Tags:      []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("web-1")}, {Key: aws.String("team-name"), Value: aws.String("edge")}},
	})
	require.NoError(t, err)
	snap, err = cache.Refresh(ctx)
	require.NoError(t, err)
	assert.Equal(t, instances, snap.Count())

	d, err := metricstream.NewDecoder(metricstream.Options{})
	require.NoError(t, err)
	b := d.NewBatch(nil)
	require.NoError(t, b.AddRecord(fmt.Appendf(nil, `{"metric_stream_name":"s","account_id":"123456789012","region":"us-east-1","namespace":"AWS/EC2",`+
		`"metric_name":"CPUUtilization","dimensions":{"InstanceId":%q},"timestamp":1700000000000,`+
		`"value":{"count":1,"sum":5,"max":5,"min":5},"unit":"Percent"}`+"\n", target)))
	md := b.Metrics()
	assert.Equal(t, 4, NewEnricher(cache, metricstream.NamingLogzio).Enrich(md))
	got := series(md)
	require.Len(t, got, 4)
	for _, l := range got {
		assert.Contains(t, l, `instanceid="`+target+`"`)
		assert.Contains(t, l, `tag_Name="web-1"`)
		assert.Contains(t, l, `tag_team_name="edge"`)
	}
}

func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, end)
	return v
}
