// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package cloudtrails3receiver implements the cloudtrails3 receiver: it polls the S3 bucket a CloudTrail trail
// delivers to, discovers every account and region (organization trails included), reads new log files in parallel
// and emits one log record per CloudTrail event, advancing its stored position only after the pipeline accepted
// every record of a file.
package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"
