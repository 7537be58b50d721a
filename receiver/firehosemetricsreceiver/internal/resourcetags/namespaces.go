// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package resourcetags // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/resourcetags"

import (
	"errors"
	"slices"
	"strings"
)

// allNamespacesKeyword selects every namespace.
const allNamespacesKeyword = "all-namespaces"

// allNamespaces is what Logz.io's helpers expand "all-namespaces" to, in the same order
// (docs/metric-streams.md#namespaces).
var allNamespaces = []string{
	"AWS/AmplifyHosting", "AWS/ApiGateway", "AWS/AppRunner", "AWS/AppStream", "AWS/AppSync", "AWS/Athena", "AWS/RDS",
	"AWS/Backup", "AWS/Billing", "AWS/CertificateManager", "AWS/ACMPrivateCA", "AWS/Chatbot", "AWS/ChimeSDK",
	"AWS/ClientVPN", "AWS/CloudFront", "AWS/CloudHSM", "AWS/CloudSearch", "AWS/CloudTrail", "CWAgent",
	"AWS/CloudWatch/MetricStreams", "AWS/RUM", "CloudWatchSynthetics", "AWS/Logs", "AWS/CodeBuild",
	"AWS/CodeGuruProfiler", "AWS/Cognito", "AWS/Connect", "AWS/DataLifecycleManager", "AWS/DataSync", "AWS/DMS",
	"AWS/DX", "AWS/DocDB", "AWS/DynamoDB", "AWS/DAX", "AWS/EC2", "AWS/ElasticGPUs", "AWS/EC2Spot", "AWS/AutoScaling",
	"AWS/ElasticBeanstalk", "AWS/EBS", "AWS/ECS", "AWS/ECS/ManagedScaling", "AWS/EFS", "AWS/ElasticInference",
	"AWS/ApplicationELB", "AWS/NetworkELB", "AWS/GatewayELB", "AWS/ELB", "AWS/ElasticTranscoder", "AWS/ElastiCache",
	"AWS/ES", "AWS/ElasticMapReduce", "AWS/MediaConnect", "AWS/MediaConvert", "AWS/MediaLive", "AWS/MediaPackage",
	"AWS/MediaStore", "AWS/MediaTailor", "AWS/Events", "AWS/FSx", "AWS/GameLift", "AWS/GlobalAccelerator", "Glue",
	"AWS/GroundStation", "AWS/HealthLake", "AWS/Inspector", "AWS/IVS", "AWS/IVSChat", "AWS/IoT", "AWS/IoTAnalytics",
	"AWS/IoTSiteWise", "AWS/ThingsGraph", "AWS/IoTTwinMaker", "AWS/KMS", "AWS/Cassandra", "AWS/KinesisAnalytics",
	"AWS/Firehose", "AWS/Kinesis", "AWS/KinesisVideo", "AWS/Lambda", "AWS/Lex", "AWS/Location", "AWS/LookoutMetrics",
	"AWS/ML", "AWS/Kafka", "AWS/AmazonMQ", "AWS/Neptune", "AWS/NetworkFirewall", "AWS/NetworkManager",
	"AWS/NimbleStudio", "AWS/OpsWorks", "AWS/Polly", "AWS/PrivateLinkEndpoints", "AWS/PrivateLinkServices", "AWS/QLDB",
	"AWS/QuickSight", "AWS/Redshift", "AWS/Robomaker", "AWS/Route53", "AWS/Route53RecoveryReadiness", "AWS/SageMaker",
	"AWS/SageMaker/ModelBuildingPipeline", "AWS/SecretsManager", "AWS/ServiceCatalog", "AWS/DDoSProtection", "AWS/SES",
	"AWS/SNS", "AWS/SQS", "AWS/S3", "AWS/S3/Storage-Lens", "AWS/SWF", "AWS/States", "AWS/StorageGateway",
	"AWS/SSM-RunCommand", "AWS/Textract", "AWS/Timestream", "AWS/Transfer", "AWS/Translate", "AWS/TrustedAdvisor",
	"AWS/NATGateway", "AWS/TransitGateway", "AWS/VPN", "AWS/IPAM", "WAF", "AWS/WAFV2", "AWS/WorkMail", "AWS/WorkSpaces",
	"AWS/WorkSpacesWeb",
}

// namespaceResourceTypes maps a CloudWatch namespace to the Tagging API ResourceTypeFilters of its resources
// (docs/metric-streams.md#resource-type-filters, Logz.io's table with its quirks kept).
var namespaceResourceTypes = map[string][]string{
	"AWS/ApiGateway":         {"apigateway"},
	"AWS/AppStream":          {"appstream"},
	"AWS/AppSync":            {"appsync"},
	"AWS/Athena":             {"athena"},
	"AWS/RDS":                {"rds"},
	"AWS/Backup":             {"backup"},
	"AWS/CertificateManager": {"acm"},
	"AWS/ACMPrivateCA":       {"acm-pca"},
	"AWS/CloudFront":         {"cloudfront"},
	"AWS/CloudHSM":           {"cloudhsm"},
	"AWS/CloudTrail":         {"cloudtrail"},
	"CloudWatchSynthetics":   {"synthetics"},
	"AWS/Logs":               {"logs"},
	"AWS/CodeBuild":          {"codebuild"},
	"AWS/CodeGuruProfiler":   {"codeguru-profiler"},
	"AWS/Cognito":            {"cognito-identity", "cognito-idp"},
	"AWS/Connect":            {"connect"},
	"AWS/DataSync":           {"datasync"},
	"AWS/DMS":                {"dms"},
	"AWS/DX":                 {"directconnect"},
	"AWS/DynamoDB":           {"dynamodb"},
	"AWS/EC2":                {"ec2"},
	"AWS/AutoScaling":        {"autoscaling"},
	"AWS/ElasticBeanstalk":   {"elasticbeanstalk"},
	"AWS/EBS":                {"ec2:volume"},
	"AWS/ECS":                {"ecs"},
	"AWS/EFS":                {"elasticfilesystem"},
	"AWS/ElasticInference":   {"elastic-inference"},
	"AWS/ApplicationELB":     {"elasticloadbalancing:loadbalancer/app"},
	"AWS/NetworkELB":         {"elasticloadbalancing:loadbalancer/net"},
	"AWS/ELB":                {"elasticloadbalancing"},
	"AWS/ElastiCache":        {"elasticache"},
	"AWS/ES":                 {"es"},
	"AWS/ElasticMapReduce":   {"emr-serverless"},
	"AWS/Events":             {"schemas"},
	"AWS/FSx":                {"fsx"},
	"AWS/GlobalAccelerator":  {"globalaccelerator"},
	"AWS/GroundStation":      {"groundstation"},
	"AWS/IVS":                {"ivs"},
	"AWS/IoTAnalytics":       {"iotanalytics"},
	"AWS/IoTSiteWise":        {"iotsitewise"},
	"AWS/IoTTwinMaker":       {"iottwinmaker"},
	"AWS/KMS":                {"kms"},
	"AWS/KinesisAnalytics":   {"kinesisanalytics"},
	"AWS/Firehose":           {"firehose"},
	"AWS/Kinesis":            {"kinesis"},
	"AWS/Lambda":             {"lambda"},
	"AWS/Lex":                {"lex"},
	"AWS/ML":                 {"machinelearning"},
	"AWS/Kafka":              {"kafka"},
	"AWS/AmazonMQ":           {"mq"},
	"AWS/NetworkManager":     {"networkmanager"},
	"AWS/OpsWorks":           {"opsworks"},
	"AWS/QLDB":               {"qldb"},
	"AWS/Redshift":           {"redshift"},
	"AWS/Robomaker":          {"robomaker"},
	"AWS/Route53":            {"route53"},
	"AWS/SageMaker":          {"sagemaker"},
	"AWS/SecretsManager":     {"secretsmanager"},
	"AWS/ServiceCatalog":     {"servicecatalog"},
	"AWS/SES":                {"ses"},
	"AWS/SNS":                {"sns"},
	"AWS/SQS":                {"sqs"},
	"AWS/S3":                 {"s3"},
	"AWS/SWF":                {"swf"},
	"AWS/States":             {"states"},
	"AWS/StorageGateway":     {"storagegateway"},
	"AWS/Transfer":           {"transfer"},
	"WAF":                    {"waf"},
	"AWS/WAFV2":              {"wafv2"},
	"AWS/WorkSpaces":         {"workspaces"},
	"AWS/MediaLive":          {"medialive"},
	"AWS/MediaPackage":       {"mediapackage"},
	"AWS/MediaTailor":        {"mediatailor"},
	"AWS/GameLift":           {"gamelift"},
	"Glue":                   {"glue"},
	"AWS/Inspector":          {"inspector", "inspector2"},
}

// expandNamespaces returns the concrete namespace list: "all-namespaces" becomes the 128-list, to which the other
// entries are added (unlike Logz.io's helper, a custom namespace next to all-namespaces is kept). An empty list means all.
func expandNamespaces(namespaces []string) []string {
	if len(namespaces) == 0 || slices.Contains(namespaces, allNamespacesKeyword) {
		out := slices.Clone(allNamespaces)
		for _, ns := range namespaces {
			if ns != allNamespacesKeyword && !slices.Contains(out, ns) {
				out = append(out, ns)
			}
		}
		return out
	}
	return namespaces
}

// ResourceTypeFilters maps the configured namespaces to de-duplicated ResourceTypeFilters
// (docs/metric-streams.md#resource-type-filters, step 2). Namespaces without a mapping are skipped; an error when none
// maps.
func ResourceTypeFilters(namespaces []string) ([]string, error) {
	var filters []string
	for _, ns := range expandNamespaces(namespaces) {
		for _, f := range namespaceResourceTypes[ns] {
			if !slices.Contains(filters, f) {
				filters = append(filters, f)
			}
		}
	}
	if len(filters) == 0 {
		return nil, errors.New("none of the namespaces has taggable resources the receiver knows (see the README's namespace table); add one such as AWS/EC2 or disable resource_tags")
	}
	return filters, nil
}

// namespaceServices maps a lower-cased namespace to the ARN services of its resources, for matching data points to
// tagged resources (enrichment).
var namespaceServices = func() map[string][]string {
	m := make(map[string][]string, len(namespaceResourceTypes))
	for ns, filters := range namespaceResourceTypes {
		key := strings.ToLower(ns)
		for _, f := range filters {
			service, _, _ := strings.Cut(f, ":")
			if !slices.Contains(m[key], service) {
				m[key] = append(m[key], service)
			}
		}
	}
	return m
}()
