// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// getObjectInput asks S3 for an object's checksum (and the SDK checks it as the body arrives) unless the key names a
// gzip file: CloudTrail's log and digest files end in .json.gz, and a gzip stream checks itself, with the CRC-32
// and length of its content in its trailer, which the decoder verifies before it counts the object as read. The
// SDK's own check computed a CRC-64 over every compressed byte once more: about 1.5 % of the collector's CPU per
// record on large trail files. Where the key says gzip and the body turns out not to be, the body is read as plain
// JSON without S3's checksum, its transport protected by TLS as any other response.
func getObjectInput(bucket, key string) *s3.GetObjectInput {
	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	if !strings.HasSuffix(key, ".gz") {
		in.ChecksumMode = types.ChecksumModeEnabled
	}
	return in
}
