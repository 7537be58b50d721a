// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package resourcetags // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/resourcetags"

import (
	"strings"
	"unicode"
)

// arnResourceIDLabels maps the service of an ARN to the labels that carry the resource id on aws_resource_info
// (docs/metric-streams.md#resource-id-labels; the label name is the CloudWatch dimension name, lower-cased). A service
// mapped to no label is matched but gets neither an id label nor the Arn label. Services absent from the map get the
// Arn label.
var arnResourceIDLabels = map[string][]string{
	"elasticloadbalancing": nil, // special-cased in resourceIDLabels
	"ec2":                  nil, // special-cased in resourceIDLabels
	"backup":               nil, // special-cased: Logz.io's pattern never matches
	"states":               nil, // special-cased: the value is the full ARN
	"rds":                  {"dbclusteridentifier", "dbinstanceidentifier"},
	"lambda":               {"functionname"},
	"s3":                   {"bucketname"},
	"dynamodb":             {"tablename"},
	"sqs":                  {"queuename"},
	"sns":                  {"topicname"},
	"apigateway":           {"apiid"},
	"appstream":            {"fleet"},
	"appsync":              {"graphqlapiid"},
	"athena":               {"workgroup"},
	"acm":                  {"certificatearn"},
	"acm-pca":              {"privatecaarn"},
	"cloudfront":           {"distributionid"},
	"cloudhsm":             {"hsmid"},
	"synthetics":           {"canaryname"},
	"logs":                 {"loggroupname"},
	"codebuild":            {"buildid"},
	"cognito-identity":     {"userpoolid"},
	"cognito-idp":          {"userpoolid"},
	"connect":              {"instanceid"},
	"datasync":             {"taskid"},
	"dms":                  {"replicationtaskidentifier"},
	"directconnect":        {"connectionid"},
	"autoscaling":          {"autoscalinggroupname"},
	"elasticbeanstalk":     {"instanceid"},
	"ecs":                  {"servicename"},
	"elasticfilesystem":    {"filesystemid"},
	"elastic-inference":    {"elasticinferenceacceleratorid"},
	"elasticache":          {"cacheclusterid"},
	"es":                   {"clientid"},
	"elasticmapreduce":     {"jobflowid"},
	"medialive":            {"channelid"},
	"mediapackage":         {"channel"},
	"mediatailor":          {"configuration_name"},
	"events":               {"rulename"},
	"fsx":                  {"filesystemid"},
	"gamelift":             {"fleetid"},
	"glue":                 {"jobname"},
	"ivs":                  {"channel"},
	"iotanalytics":         {"datasetname"},
	"iottwinmaker":         {"workspaceid"},
	"kms":                  {"keyid"},
	"kinesisanalytics":     {"id"},
	"firehose":             {"deliverystreamname"},
	"kinesis":              {"streamname"},
	"lex":                  {"botname"},
	"kafka":                {"cluster_name"},
	"mq":                   {"broker"},
	"networkmanager":       {"firewallname"},
	"opsworks":             {"stackid"},
	"qldb":                 {"ledgername"},
	"redshift":             {"clusteridentifier"},
	"robomaker":            {"simulationjobid"},
	"route53":              {"hostedzoneid"},
	"sagemaker":            {"endpointname"},
	"secretsmanager":       {"service"},
	"servicecatalog":       {"productid"},
	"swf":                  {"activitytypename"},
	"storagegateway":       {"gatewayname", "gatewayid"},
	"transfer":             {"serverid"},
	"waf":                  {"webacl"},
	"wafv2":                {"webacl"},
	"workspaces":           {"workspaceid", "directoryid"},
	"cloudtrail":           {},
	"codeguru-profiler":    {},
	"globalaccelerator":    {},
	"inspector2":           {},
	"iotsitewise":          {},
	"machinelearning":      {},
	"ses":                  {},
}

// label is one name/value pair.
type label struct {
	Name, Value string
}

// parsedARN holds the parts of arn:<partition>:<service>:<region>:<account>:<resource>.
type parsedARN struct {
	Service, Region, Account, Resource string
}

func parseARN(arn string) (parsedARN, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return parsedARN{}, false
	}
	return parsedARN{Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}, true
}

// arnIDValue is the value Logz.io's tags Lambda takes from an ARN: the last ':'-separated segment, then its last
// '/'-separated segment.
func arnIDValue(arn string) string {
	v := arn[strings.LastIndexByte(arn, ':')+1:]
	return v[strings.LastIndexByte(v, '/')+1:]
}

// resourceIDLabels returns the resource id labels of aws_resource_info for an ARN, exactly as Logz.io's tags Lambda
// names them (docs/metric-streams.md#resource-id-labels), or the Arn label when no rule matches.
func resourceIDLabels(arn string) []label {
	p, ok := parseARN(arn)
	if !ok {
		return []label{{Name: "Arn", Value: arn}}
	}
	value := arnIDValue(arn)
	switch p.Service {
	case "ec2":
		if strings.HasPrefix(p.Resource, "volume/") {
			return []label{{Name: "volumeid", Value: value}}
		}
		return []label{{Name: "instanceid", Value: value}}
	case "elasticloadbalancing":
		switch {
		case strings.HasPrefix(p.Resource, "loadbalancer/app/"), strings.HasPrefix(p.Resource, "loadbalancer/net/"):
			return []label{{Name: "loadbalancer", Value: value}}
		case strings.HasPrefix(p.Resource, "loadbalancer/") && len(p.Resource) == len("loadbalancer/")+1:
			// Logz.io's classic-ELB pattern only matches a one-character name; other names fall through to Arn.
			return []label{{Name: "loadbalancername", Value: value}}
		}
		return []label{{Name: "Arn", Value: arn}}
	case "backup":
		return []label{{Name: "Arn", Value: arn}}
	case "states":
		return []label{{Name: "activityarn", Value: arn}}
	}
	names, known := arnResourceIDLabels[p.Service]
	if !known {
		return []label{{Name: "Arn", Value: arn}}
	}
	out := make([]label, 0, len(names))
	for _, n := range names {
		out = append(out, label{Name: n, Value: value})
	}
	return out
}

// enrichmentKeys are the (dimension label, lower-cased value) pairs under which a resource is found from a data point's
// dimensions. They start from the aws_resource_info id labels and add the CloudWatch form where it differs (an ALB's
// LoadBalancer dimension is app/<name>/<id>, not the id alone).
func enrichmentKeys(arn string) []label {
	var keys []label
	for _, l := range resourceIDLabels(arn) {
		if l.Name != "Arn" {
			keys = append(keys, label{Name: l.Name, Value: strings.ToLower(l.Value)})
		}
	}
	if p, ok := parseARN(arn); ok && p.Service == "elasticloadbalancing" {
		if rest, found := strings.CutPrefix(p.Resource, "loadbalancer/"); found {
			if strings.HasPrefix(rest, "app/") || strings.HasPrefix(rest, "net/") {
				keys = append(keys, label{Name: "loadbalancer", Value: strings.ToLower(rest)})
			} else {
				keys = append(keys, label{Name: "loadbalancername", Value: strings.ToLower(rest)})
			}
		}
	}
	return keys
}

// sanitizeTagKey turns a tag key into a label name the way Logz.io's tags Lambda does, keeping the case: every rune
// that is not a letter or digit becomes '_'; a leading digit gets the prefix "key_", a leading '_' the prefix "key".
func sanitizeTagKey(key string) string {
	var b strings.Builder
	b.Grow(len(key) + 4)
	for _, r := range key {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	s := b.String()
	switch {
	case s == "":
		return s
	case s[0] >= '0' && s[0] <= '9':
		return "key_" + s
	case s[0] == '_':
		return "key" + s
	}
	return s
}

// sanitizeLabelName turns an attribute name into a Prometheus label name like the remote-write translator: every rune
// that is not a letter or digit becomes '_' (one for one); a leading digit gets "key_", a single leading '_' gets "key".
func sanitizeLabelName(name string) string {
	if strings.HasPrefix(name, "__") {
		return strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return r
			}
			return '_'
		}, name)
	}
	return sanitizeTagKey(name)
}
