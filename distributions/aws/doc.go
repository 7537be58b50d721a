// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package aws holds the CloudFormation templates that set up AWS for otelcol-logzio-aws (see README.md):
// metric-stream.yaml (CloudWatch Metric Stream → Firehose → the firehosemetrics receiver),
// cloudtrail-cwlogs-firehose.yaml (a CloudWatch Logs log group's subscription filter → Firehose → the firehoselogs
// receiver) and cloudtrail-reader-role.yaml (the read-only role the cloudtrails3 receiver assumes). The package has no
// code: its tests check the templates statically (references, types, IAM policies) and evaluate them for sample
// parameters.
package aws // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/distributions/aws"
