// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package integrity verifies CloudTrail log-file integrity from digest files: the digest's RSA-SHA256 signature, the
// hourly chain of digests, and the SHA-256 of every listed log file against the bytes the receiver already
// decompressed for shipping. It is pure: it never talks to S3 or CloudTrail; the receiver feeds it digests, object
// metadata and hashes, and turns the Outcomes it returns into records.
//
// The rules mirror the AWS CLI's reference validator (awscli/customizations/cloudtrail/validation.py,
// `aws cloudtrail validate-logs`); each function names the part it mirrors.
package integrity // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"
