// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package aws_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

func cwLogsStack(t *testing.T, params map[string]string) *stack {
	t.Helper()
	return templateStack(t, cwLogsTemplate, map[string]string{
		"CollectorUrl": "https://cwlogs.example.com/",
		"AccessKey":    "marker-access-key",
		"LogGroupName": "aws-cloudtrail-logs-111122223333-0a1b2c3d",
	}, params)
}

func cwLogsBase(k, v string) map[string]string {
	return withParam(map[string]string{"CollectorUrl": "https://l.example.com/", "AccessKey": "k", "LogGroupName": "CloudTrail/logs"}, k, v)
}

// TestCWLogsResources: the stack creates the Firehose side and the subscription filter, and neither a trail nor the
// source log group (only Firehose's own delivery-error log group).
func TestCWLogsResources(t *testing.T) {
	tpl, err := loadTemplate(cwLogsTemplate)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{
		"BackupBucket", "DeliveryLogGroup", "HttpEndpointLogStream", "BackupLogStream", "FirehoseRole", "DeliveryStream",
		"LogsRole", "SubscriptionFilter",
	}, slices.Collect(maps.Keys(tpl.resources)))
	assert.Equal(t, []string{"DeliveryLogGroup"}, tpl.resourcesOfType("AWS::Logs::LogGroup"), "the source log group is given, not created")
	assert.Equal(t, []string{"SubscriptionFilter"}, tpl.resourcesOfType("AWS::Logs::SubscriptionFilter"))

	s := cwLogsStack(t, nil)
	outputs := map[string]any{}
	for name, out := range tpl.outputs {
		v, err := s.eval(lookup(out, "Value"))
		require.NoError(t, err)
		outputs[name] = v
	}
	assert.Equal(t, map[string]any{
		"DeliveryStreamArn":    "getatt(DeliveryStream.Arn)",
		"LogsRoleArn":          "getatt(LogsRole.Arn)",
		"BackupBucketName":     "ref(BackupBucket)",
		"DeliveryLogGroupName": "ref(DeliveryLogGroup)",
	}, outputs)
}

// TestCWLogsSubscriptionFilter: the filter sits on the given log group, sends what the pattern matches (every event by
// default) to the stream, through the role CloudWatch Logs assumes.
func TestCWLogsSubscriptionFilter(t *testing.T) {
	props := resourceProps(t, cwLogsStack(t, nil), "SubscriptionFilter")
	assert.Equal(t, map[string]any{
		"FilterName":     "otelcol-logzio-cloudwatch-logs",
		"LogGroupName":   "aws-cloudtrail-logs-111122223333-0a1b2c3d",
		"FilterPattern":  "",
		"DestinationArn": "getatt(DeliveryStream.Arn)",
		"RoleArn":        "getatt(LogsRole.Arn)",
	}, props, "an empty pattern matches every event; Distribution is for Kinesis Data Streams only")

	pattern := `{ $.userIdentity.type = "Root" || $.errorCode = "AccessDenied*" }`
	props = resourceProps(t, cwLogsStack(t, map[string]string{
		"FilterPattern": pattern, "LogGroupName": "/org/cloudtrail", "DeliveryStreamName": "ct-realtime",
	}), "SubscriptionFilter")
	assert.Equal(t, pattern, props["FilterPattern"])
	assert.Equal(t, "/org/cloudtrail", props["LogGroupName"])
	assert.Equal(t, "ct-realtime", props["FilterName"])
}

// TestCWLogsDeliveryStream evaluates the delivery stream with the defaults: an HTTP endpoint destination at the
// collector with the access key, 10 s / 5 MiB buffering, gzip, retries, failed data only to the backup bucket.
func TestCWLogsDeliveryStream(t *testing.T) {
	s := cwLogsStack(t, map[string]string{"CollectorUrl": "https://lb.example.com:443/cwlogs"})
	props := resourceProps(t, s, "DeliveryStream")
	assert.Equal(t, "DirectPut", props["DeliveryStreamType"], "CloudWatch Logs puts records directly")
	assert.Equal(t, "otelcol-logzio-cloudwatch-logs", props["DeliveryStreamName"])
	dest := assertHTTPEndpointDestination(t, props, "https://lb.example.com:443/cwlogs", "10")
	assert.Equal(t, map[string]any{"ContentEncoding": "GZIP"}, dest["RequestConfiguration"], "gzip, no common attributes")
	assert.Equal(t, "otelcol-logzio-cloudwatch-logs/backup/", dig(dest, "S3Configuration", "Prefix"))
	assert.Equal(t, "otelcol-logzio-cloudwatch-logs/errors/", dig(dest, "S3Configuration", "ErrorOutputPrefix"))

	logGroup := resourceProps(t, s, "DeliveryLogGroup")
	assert.Equal(t, "/aws/kinesisfirehose/otelcol-logzio-cloudwatch-logs", logGroup["LogGroupName"])

	assertBackupBucket(t, s)

	for _, mode := range []string{"AllData", "FailedDataOnly"} {
		props := resourceProps(t, cwLogsStack(t, map[string]string{"BackupMode": mode}), "DeliveryStream")
		assert.Equal(t, mode, dig(props, "HttpEndpointDestinationConfiguration", "S3BackupMode"))
	}
}

// TestCWLogsRoles checks the two roles: who may assume them and exactly which actions on which resources they grant.
func TestCWLogsRoles(t *testing.T) {
	s := cwLogsStack(t, nil)
	assert.ElementsMatch(t, []string{"FirehoseRole", "LogsRole"}, s.t.resourcesOfType("AWS::IAM::Role"))

	firehose := assertFirehoseRole(t, s)
	assert.Equal(t, []any{"getatt(BackupBucket.Arn)", "getatt(BackupBucket.Arn)/*"},
		dig(firehose, "Policies", 0, "PolicyDocument", "Statement", 0, "Resource"))
	assert.Equal(t, "arn:aws:logs:us-east-1:123456789012:log-group:ref(DeliveryLogGroup):log-stream:*",
		dig(firehose, "Policies", 1, "PolicyDocument", "Statement", 0, "Resource"))

	logs := resourceProps(t, s, "LogsRole")
	assertTrust(t, logs, "Service", "logs.amazonaws.com")
	assert.Equal(t, map[string]any{"StringLike": map[string]any{"aws:SourceArn": "arn:aws:logs:us-east-1:123456789012:*"}},
		dig(logs, "AssumeRolePolicyDocument", "Statement", 0, "Condition"),
		"confused-deputy protection: only CloudWatch Logs acting for this account and region")
	assert.Equal(t, []string{"firehose:PutRecord"}, roleActions(t, logs), "the action the CloudWatch Logs User Guide grants")
	policies := logs["Policies"].([]any)
	require.Len(t, policies, 1)
	statements, err := policyStatements(dig(policies[0], "PolicyDocument"))
	require.NoError(t, err)
	require.Len(t, statements, 1)
	assert.Equal(t, "getatt(DeliveryStream.Arn)", statements[0]["Resource"], "records on this stream only")
	assert.Nil(t, statements[0]["Condition"])
	assertNoWildcards(t, logs)
}

// TestCWLogsParameterLimits checks that the parameters refuse what Firehose or CloudWatch Logs would refuse, so a
// mistake fails before anything is created.
func TestCWLogsParameterLimits(t *testing.T) {
	tpl, err := loadTemplate(cwLogsTemplate)
	require.NoError(t, err)
	assert.Equal(t, "true", lookup(tpl.parameters["AccessKey"], "NoEcho").Value, "the access key is NoEcho")
	assert.Nil(t, lookup(tpl.parameters["AccessKey"], "Default"), "the access key has no default")

	assertParameters(t, tpl, []map[string]string{
		cwLogsBase("CollectorUrl", "https://cwlogs.example.com"),
		cwLogsBase("CollectorUrl", "https://cwlogs.example.com:443/firehose?stream=1"),
		cwLogsBase("LogGroupName", "aws-cloudtrail-logs-111122223333-0a1b2c3d"),
		cwLogsBase("LogGroupName", "/aws/org#trail_1.x"),
		cwLogsBase("LogGroupName", strings.Repeat("g", 512)),
		cwLogsBase("FilterPattern", ""),
		cwLogsBase("FilterPattern", `{ $.eventName = "ConsoleLogin" }`),
		cwLogsBase("FilterPattern", strings.Repeat("x", 1024)),
		cwLogsBase("DeliveryStreamName", "a.b_c-1"),
		cwLogsBase("BufferIntervalSeconds", "0"), cwLogsBase("BufferIntervalSeconds", "900"),
		cwLogsBase("BufferSizeMiB", "1"), cwLogsBase("BufferSizeMiB", "64"),
		cwLogsBase("RetryDurationSeconds", "0"), cwLogsBase("RetryDurationSeconds", "7200"),
		cwLogsBase("BackupMode", "AllData"),
	}, []map[string]string{
		cwLogsBase("CollectorUrl", "http://cwlogs.example.com/"),
		cwLogsBase("CollectorUrl", "https://cwlogs.example.com:4434/"),
		cwLogsBase("CollectorUrl", "cwlogs.example.com"),
		cwLogsBase("AccessKey", ""),
		cwLogsBase("LogGroupName", ""),
		cwLogsBase("LogGroupName", "arn:aws:logs:us-east-1:111122223333:log-group:CloudTrail:*"),
		cwLogsBase("LogGroupName", "has space"),
		cwLogsBase("LogGroupName", strings.Repeat("g", 513)),
		cwLogsBase("FilterPattern", strings.Repeat("x", 1025)),
		cwLogsBase("DeliveryStreamName", "has space"),
		cwLogsBase("DeliveryStreamName", strings.Repeat("s", 65)),
		cwLogsBase("BufferIntervalSeconds", "901"),
		cwLogsBase("BufferSizeMiB", "0"), cwLogsBase("BufferSizeMiB", "65"),
		cwLogsBase("RetryDurationSeconds", "7201"),
		cwLogsBase("BackupMode", "Disabled"),
	})
	_, err = newStack(tpl, map[string]string{"CollectorUrl": "https://l.example.com/", "AccessKey": "k"})
	assert.ErrorContains(t, err, "parameter LogGroupName is required")
}

// TestCWLogsSharedParameters: the parameters both Firehose templates have are constrained alike, so a fix to one
// (a Firehose limit, the URL rule) cannot be forgotten in the other.
func TestCWLogsSharedParameters(t *testing.T) {
	cw, err := loadTemplate(cwLogsTemplate)
	require.NoError(t, err)
	ms, err := loadTemplate(metricStreamTemplate)
	require.NoError(t, err)
	for _, name := range []string{"CollectorUrl", "AccessKey", "BufferIntervalSeconds", "BufferSizeMiB", "RetryDurationSeconds", "BackupRetentionDays", "LogRetentionDays"} {
		for _, key := range []string{"Type", "NoEcho", "AllowedPattern", "AllowedValues", "MinLength", "MaxLength", "MinValue", "MaxValue"} {
			a, b := lookup(cw.parameters[name], key), lookup(ms.parameters[name], key)
			if a == nil || b == nil {
				assert.True(t, a == nil && b == nil, "%s.%s is declared in one template only", name, key)
				continue
			}
			var av, bv []string
			for _, n := range append([]*yaml.Node{a}, a.Content...) {
				av = append(av, n.Value)
			}
			for _, n := range append([]*yaml.Node{b}, b.Content...) {
				bv = append(bv, n.Value)
			}
			assert.Equal(t, bv, av, "%s.%s", name, key)
		}
	}
}
