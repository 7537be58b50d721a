// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package aws_test

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// propertyNames are the property names CloudFormation accepts for the resource types on the allow-list, and for the
// nested blocks whose spelling matters most ("<type>/<property>/..."), from the CloudFormation resource reference.
// A misspelt optional property is otherwise silently ignored by a static test and refused only at deployment.
var propertyNames = map[string][]string{
	"AWS::S3::Bucket": {
		"AccelerateConfiguration", "AccessControl", "AnalyticsConfigurations", "BucketEncryption", "BucketName",
		"CorsConfiguration", "IntelligentTieringConfigurations", "InventoryConfigurations", "LifecycleConfiguration",
		"LoggingConfiguration", "MetricsConfigurations", "NotificationConfiguration", "ObjectLockConfiguration",
		"ObjectLockEnabled", "OwnershipControls", "PublicAccessBlockConfiguration", "ReplicationConfiguration", "Tags",
		"VersioningConfiguration", "WebsiteConfiguration",
	},
	"AWS::S3::Bucket/PublicAccessBlockConfiguration": {"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"},
	"AWS::IAM::Role": {
		"AssumeRolePolicyDocument", "Description", "ManagedPolicyArns", "MaxSessionDuration", "Path",
		"PermissionsBoundary", "Policies", "RoleName", "Tags",
	},
	"AWS::KinesisFirehose::DeliveryStream": {
		"AmazonOpenSearchServerlessDestinationConfiguration", "AmazonopensearchserviceDestinationConfiguration",
		"DatabaseSourceConfiguration", "DeliveryStreamEncryptionConfigurationInput", "DeliveryStreamName",
		"DeliveryStreamType", "DirectPutSourceConfiguration", "ElasticsearchDestinationConfiguration",
		"ExtendedS3DestinationConfiguration", "HttpEndpointDestinationConfiguration", "IcebergDestinationConfiguration",
		"KinesisStreamSourceConfiguration", "MSKSourceConfiguration", "RedshiftDestinationConfiguration",
		"S3DestinationConfiguration", "SnowflakeDestinationConfiguration", "SplunkDestinationConfiguration", "Tags",
	},
	"AWS::KinesisFirehose::DeliveryStream/HttpEndpointDestinationConfiguration": {
		"BufferingHints", "CloudWatchLoggingOptions", "EndpointConfiguration", "ProcessingConfiguration",
		"RequestConfiguration", "RetryOptions", "RoleARN", "S3BackupMode", "S3Configuration",
		"SecretsManagerConfiguration",
	},
	"AWS::KinesisFirehose::DeliveryStream/HttpEndpointDestinationConfiguration/EndpointConfiguration": {"AccessKey", "Name", "Url"},
	"AWS::KinesisFirehose::DeliveryStream/HttpEndpointDestinationConfiguration/BufferingHints":        {"IntervalInSeconds", "SizeInMBs"},
	"AWS::KinesisFirehose::DeliveryStream/HttpEndpointDestinationConfiguration/RequestConfiguration":  {"CommonAttributes", "ContentEncoding"},
	"AWS::KinesisFirehose::DeliveryStream/HttpEndpointDestinationConfiguration/RetryOptions":          {"DurationInSeconds"},
	"AWS::KinesisFirehose::DeliveryStream/HttpEndpointDestinationConfiguration/CloudWatchLoggingOptions": {
		"Enabled", "LogGroupName", "LogStreamName",
	},
	"AWS::KinesisFirehose::DeliveryStream/HttpEndpointDestinationConfiguration/S3Configuration": {
		"BucketARN", "BufferingHints", "CloudWatchLoggingOptions", "CompressionFormat", "EncryptionConfiguration",
		"ErrorOutputPrefix", "Prefix", "RoleARN",
	},
	"AWS::CloudWatch::MetricStream": {
		"ExcludeFilters", "FirehoseArn", "IncludeFilters", "IncludeLinkedAccountsMetrics", "Name", "OutputFormat",
		"RoleArn", "StatisticsConfigurations", "Tags",
	},
	"AWS::Logs::LogGroup": {
		"DataProtectionPolicy", "FieldIndexPolicies", "KmsKeyId", "LogGroupClass", "LogGroupName", "RetentionInDays",
		"Tags",
	},
	"AWS::Logs::LogStream": {"LogGroupName", "LogStreamName"},
	"AWS::Logs::SubscriptionFilter": {
		"ApplyOnTransformedLogs", "DestinationArn", "Distribution", "FilterName", "FilterPattern", "LogGroupName",
		"RoleArn",
	},
}

// checkPropertyNames reports property names that the resource type (or a checked nested block) does not have.
func (c *checker) checkPropertyNames(resource, path string, n *yaml.Node) {
	allowed, checked := propertyNames[path]
	if !checked || n == nil || n.Kind != yaml.MappingNode {
		return
	}
	if _, _, isFunction := function(n); isFunction {
		return
	}
	for _, e := range entries(n) {
		if !slices.Contains(allowed, e.key) {
			c.problem(e.keyNode, "resource %s: %s has no property %s", resource, strings.ReplaceAll(path, "/", "."), e.key)
			continue
		}
		c.checkPropertyNames(resource, path+"/"+e.key, e.value)
	}
}
