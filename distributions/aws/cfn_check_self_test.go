// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package aws_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckerFindsMistakes proves the static checker is not vacuous: each mutation of a real template introduces one
// mistake, and the checker (or the parser) must report it.
func TestCheckerFindsMistakes(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		old, new string
		want     string
	}{
		{"short Ref to nothing", metricStreamTemplate, "Url: !Ref CollectorUrl", "Url: !Ref CollectorURL", "Ref CollectorURL does not resolve"},
		{"long Ref to nothing", metricStreamTemplate, "Url: !Ref CollectorUrl", "Url: {Ref: Collector}", "Ref Collector does not resolve"},
		{"GetAtt of a missing resource", metricStreamTemplate, "RoleArn: !GetAtt MetricStreamRole.Arn", "RoleArn: !GetAtt StreamRole.Arn", "StreamRole is not a resource"},
		{"GetAtt of a missing attribute", metricStreamTemplate, "RoleArn: !GetAtt MetricStreamRole.Arn", "RoleArn: !GetAtt MetricStreamRole.Name", "has no attribute Name"},
		{"long GetAtt", metricStreamTemplate, "RoleArn: !GetAtt MetricStreamRole.Arn", `RoleArn: {"Fn::GetAtt": [MetricStreamRole, Id]}`, "has no attribute Id"},
		{"Sub variable to nothing", metricStreamTemplate, `Prefix: !Sub "${MetricStreamName}/failed/"`, `Prefix: !Sub "${StreamName}/failed/"`, "Fn::Sub variable StreamName does not resolve"},
		{"Sub attribute of a missing resource", metricStreamTemplate, `!Sub "${BackupBucket.Arn}/*"`, `!Sub "${Bucket.Arn}/*"`, "Bucket is not a resource"},
		{"If on an undefined condition", metricStreamTemplate, "- !If [HasNamespace20,", "- !If [HasNamespace21,", "condition HasNamespace21 is not defined"},
		{"If with two items", readerRoleTemplate, "RoleName: !If [HasRoleName, !Ref RoleName, !Ref AWS::NoValue]", "RoleName: !If [HasRoleName, !Ref RoleName]", "Fn::If takes a list of 3"},
		{"resource in a condition", readerRoleTemplate, `HasQueue: !Not [!Equals [!Ref QueueArn, ""]]`, `HasQueue: !Not [!Equals [!Ref ReaderRole, ""]]`, "conditions may only use parameters"},
		{"unknown tag", readerRoleTemplate, "HasRoleName: !Not", "HasRoleName: !Nott", "!Nott is not a function"},
		{"type not on the allow-list", metricStreamTemplate, "Type: AWS::Logs::LogStream", "Type: AWS::Logs::Stream", "not on the allow-list"},
		{"unused parameter", readerRoleTemplate, "Parameters:\n", "Parameters:\n  Forgotten:\n    Type: String\n    Default: x\n", "parameter Forgotten is never used"},
		{"unused condition", readerRoleTemplate, "RoleName: !If [HasRoleName, !Ref RoleName, !Ref AWS::NoValue]", "RoleName: !Ref RoleName", "condition HasRoleName is never used"},
		{"old policy language", readerRoleTemplate, `Version: "2012-10-17"`, `Version: "2008-10-17"`, "Version must be"},
		{"unquoted policy version (a YAML timestamp)", readerRoleTemplate, `Version: "2012-10-17"`, `Version: 2012-10-17`, "Version must be"},
		{"Default outside the AllowedValues", metricStreamTemplate, "Default: opentelemetry1.0", "Default: opentelemetry", "not one of the AllowedValues"},
		{"DependsOn a missing resource", metricStreamTemplate, "    DeletionPolicy: Retain", "    DependsOn: Nothing\n    DeletionPolicy: Retain", "depends on Nothing"},
		{"unknown top-level section", readerRoleTemplate, "Conditions:", "Condition:", "unknown top-level section"},
		{"duplicate key", readerRoleTemplate, "      MaxSessionDuration: 3600", "      MaxSessionDuration: 3600\n      MaxSessionDuration: 7200", "duplicate key"},
		{"parameter missing from the console groups", readerRoleTemplate, "Parameters: [BucketName, TrailPrefix, KmsKeyArns, QueueArn]", "Parameters: [BucketName, TrailPrefix, KmsKeyArns]", "parameter QueueArn appears 0 times"},
		{"misspelt resource property", metricStreamTemplate, "      OutputFormat: !Ref OutputFormat", "      Outputformat: !Ref OutputFormat", "MetricStream has no property Outputformat"},
		{"misspelt Firehose setting", metricStreamTemplate, "        BufferingHints:\n          IntervalInSeconds", "        BufferingHint:\n          IntervalInSeconds", "HttpEndpointDestinationConfiguration has no property BufferingHint"},
		{"misspelt nested Firehose setting", metricStreamTemplate, "SizeInMBs: !Ref BufferSizeMiB", "SizeInMiBs: !Ref BufferSizeMiB", "BufferingHints has no property SizeInMiBs"},
		{"Ref to a missing log group parameter", cwLogsTemplate, "LogGroupName: !Ref LogGroupName", "LogGroupName: !Ref LogGroup", "Ref LogGroup does not resolve"},
		{"subscription filter has no attributes", cwLogsTemplate, "RoleArn: !GetAtt LogsRole.Arn", "RoleArn: !GetAtt SubscriptionFilter.Arn", "has no attribute Arn"},
		{"misspelt subscription filter property", cwLogsTemplate, "      FilterPattern: !Ref FilterPattern", "      Filterpattern: !Ref FilterPattern", "SubscriptionFilter has no property Filterpattern"},
		{"Sub of a missing pseudo parameter in the trust condition", cwLogsTemplate, "${AWS::Region}:${AWS::AccountId}:*", "${AWS::Region}:${AWS::Account}:*", "Fn::Sub variable AWS::Account does not resolve"},
		{"invalid YAML", readerRoleTemplate, `ConstraintDescription: "2 to 1224`, `ConstraintDescription: 2 to 1224`, "not valid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := os.ReadFile(tt.file)
			require.NoError(t, err)
			require.Contains(t, string(raw), tt.old, "the mutation applies to the template")
			mutated := strings.Replace(string(raw), tt.old, tt.new, 1)
			tpl, err := parseTemplate(tt.file, []byte(mutated))
			if err != nil {
				assert.Contains(t, err.Error(), tt.want)
				return
			}
			assert.Contains(t, strings.Join(checkTemplate(tpl), "\n"), tt.want)
		})
	}
}

// TestEvaluatorRefusesWhatCloudFormationRefuses: an out-of-range Fn::Select and a Sub of a list fail the evaluation as
// they fail a real stack, so a broken padding trick cannot pass the include-filter tests.
func TestEvaluatorRefusesWhatCloudFormationRefuses(t *testing.T) {
	raw, err := os.ReadFile(metricStreamTemplate)
	require.NoError(t, err)
	unpadded := strings.Replace(string(raw), `!Join ["", [!Ref Namespaces, ",,,,,,,,,,,,,,,,,,,"]]]]]], ""]]`, `!Ref Namespaces]]]], ""]]`, 1)
	require.NotEqual(t, string(raw), unpadded)
	tpl, err := parseTemplate(metricStreamTemplate, []byte(unpadded))
	require.NoError(t, err)
	s, err := newStack(tpl, map[string]string{"CollectorUrl": "https://m.example.com/", "AccessKey": "k", "Namespaces": "AWS/EC2"})
	require.NoError(t, err)
	_, err = s.resource("MetricStream")
	assert.ErrorContains(t, err, "outside the list")

	tpl, err = loadTemplate(readerRoleTemplate)
	require.NoError(t, err)
	s, err = newStack(tpl, map[string]string{"CollectorPrincipalArn": "arn:aws:iam::111122223333:root", "ExternalId": "xid", "BucketName": "bucket"})
	require.NoError(t, err)
	_, err = s.sub(tpl.root) // a mapping is not a Sub argument
	assert.Error(t, err)
	_, err = s.subVariable("KmsKeyArns", nil)
	assert.ErrorContains(t, err, "list parameter")
}
