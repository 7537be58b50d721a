// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package helm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMissingOrConflictingValuesFailWithTheirName: `helm template` refuses a release that lacks a value its mode
// needs, naming the value.
func TestMissingOrConflictingValuesFailWithTheirName(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"sharded-polling without bucket", []string{"--set", "mode=sharded-polling"}, "cloudtrail.bucket is required"},
		{"sqs-gateway without queue", []string{"--set", "mode=sqs-gateway"}, "cloudtrail.sqs.queueUrl is required"},
		{"firehose ingress without host", []string{"--set", "mode=firehose", "--set", "firehose.ingress.enabled=true"}, "firehose.ingress.host is required"},
		{"logs token Secret unnamed", []string{"--set", "mode=sharded-polling", "--set", "cloudtrail.bucket=b", "--set", "logzio.existingSecret.name="}, "logzio.existingSecret.name is required"},
		{"sqs-gateway with storage", []string{"--set", "cloudtrail.sqs.queueUrl=https://sqs.us-east-1.amazonaws.com/1/q", "--set", "storage.enabled=true"}, "storage.enabled"},
		{"both monitors", []string{"-f", "testdata/firehose.yaml", "--set", "podMonitor.enabled=true"}, "enable one of them"},
		{"unknown mode", []string{"--set", "mode=polling"}, "at '/mode'"},
		{"misspelt value", []string{"--set", "cloudtrail.bukcet=b"}, "additional properties 'bukcet' not allowed"},
		{"bad memory limit", []string{"-f", "testdata/firehose.yaml", "--set", "resources.limits.memory=lots"}, "resources.limits.memory"},
		// External IDs are secrets: the plain values of earlier versions are refused, never written to the ConfigMap.
		{"plain bucket external ID", []string{"-f", "testdata/sqs-gateway-cross-account.yaml", "--set", "cloudtrail.externalId=x"}, "at '/cloudtrail': additional properties 'externalId' not allowed"},
		{"plain queue external ID", []string{"-f", "testdata/sqs-gateway-cross-account.yaml", "--set", "cloudtrail.sqs.externalId=x"}, "at '/cloudtrail/sqs': additional properties 'externalId' not allowed"},
		{"bucket external ID without role", []string{"-f", "testdata/sqs-gateway-cross-account.yaml", "--set", "cloudtrail.roleArn="}, "an external ID is only used with cloudtrail.roleArn"},
		{"queue external ID without role", []string{"-f", "testdata/sqs-gateway-cross-account.yaml", "--set", "cloudtrail.sqs.roleArn="}, "an external ID is only used with cloudtrail.sqs.roleArn"},
		{"bucket external ID Secret without key", []string{"-f", "testdata/sharded-polling.yaml", "--set", "cloudtrail.existingSecret.externalIdKey="}, "cloudtrail.existingSecret.externalIdKey is required"},
		{"firehoseLogs outside firehose mode", []string{"-f", "testdata/sqs-gateway.yaml", "--set", "firehoseLogs.enabled=true"}, "firehoseLogs.enabled: only for firehose mode"},
		{"firehoseLogs ingress without host", []string{"-f", "testdata/firehose-logs.yaml", "--set", "firehoseLogs.ingress.host="}, "firehoseLogs.ingress.host is required"},
		{"firehoseLogs access key Secret unnamed", []string{"-f", "testdata/firehose-logs.yaml", "--set", "firehoseLogs.accessKey.existingSecret="}, "firehoseLogs.accessKey.existingSecret is required"},
		{"firehoseLogs logs token key unnamed", []string{"-f", "testdata/firehose-logs.yaml", "--set", "logzio.existingSecret.logsTokenKey="}, "logzio.existingSecret.logsTokenKey is required with firehoseLogs.enabled"},
		{"firehoseLogs on the metrics port", []string{"-f", "testdata/firehose-logs.yaml", "--set", "firehoseLogs.port=4433"}, "firehoseLogs.port 4433: firehose.port listens there already"},
		{"firehoseLogs on the metrics host and path", []string{"-f", "testdata/firehose-logs.yaml", "--set", "firehoseLogs.ingress.host=firehose.example.com"}, "give the CloudWatch Logs stream another host or path"},
		{"firehoseLogs max value bytes too small", []string{"-f", "testdata/firehose-logs.yaml", "--set", "firehoseLogs.cloudtrail.maxValueBytes=100"}, "/firehoseLogs/cloudtrail/maxValueBytes"},
		{"firehoseLogs misspelt option", []string{"-f", "testdata/firehose-logs.yaml", "--set", "firehoseLogs.cloudtrail.passthrough=true"}, "additional properties 'passthrough' not allowed"},
		{"queue external ID Secret without key", []string{"-f", "testdata/sqs-gateway-cross-account.yaml", "--set", "cloudtrail.sqs.existingSecret.externalIdKey="}, "cloudtrail.sqs.existingSecret.externalIdKey is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := helmTemplate(t, nil, tc.args...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
