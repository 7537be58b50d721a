// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// The S3 errors the receiver tells apart, and the messages that say what to do about them.

// errorCode is the S3 error code of err ("AccessDenied", "NoSuchKey", …) or "".
func errorCode(err error) string {
	var apiErr interface{ ErrorCode() string }
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// httpStatus is the HTTP status of the S3 response that failed, or 0.
func httpStatus(err error) int {
	var respErr interface{ HTTPStatusCode() int }
	if errors.As(err, &respErr) {
		return respErr.HTTPStatusCode()
	}
	return 0
}

func isAccessDenied(err error) bool {
	return httpStatus(err) == 403 || errorCode(err) == "AccessDenied" || credentialsRefused(err)
}

// credentialsRefused tells a request refused because of its credentials (unknown key, wrong secret, expired token)
// from one refused by a policy. XAdminUserNotFound is versitygw's answer to an unknown access key: a 404, which must
// not pass for a missing object.
func credentialsRefused(err error) bool {
	switch errorCode(err) {
	case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException",
		"InvalidToken", "TokenRefreshRequired", "UnrecognizedClientException", "XAdminUserNotFound":
		return true
	}
	return false
}

func isNoSuchKey(err error) bool {
	var nsk *types.NoSuchKey
	return errors.As(err, &nsk) || errorCode(err) == "NoSuchKey" || (httpStatus(err) == 404 && !isNoSuchBucket(err) && !credentialsRefused(err))
}

func isNoSuchBucket(err error) bool {
	var nsb *types.NoSuchBucket
	return errors.As(err, &nsb) || errorCode(err) == "NoSuchBucket"
}

// listFailureReason is the reason attribute of list_failed for a failed listing.
func listFailureReason(err error) string {
	switch {
	case isAccessDenied(err):
		return reasonAccessDenied
	case isNoSuchBucket(err):
		return "no_such_bucket"
	default:
		return reasonS3Error
	}
}

// listError explains a failed ListObjectsV2 call with what to do about it.
func listError(bucket, prefix string, err error) error {
	switch {
	case credentialsRefused(err):
		return fmt.Errorf("listing s3://%s/%s was refused (%s): the credentials themselves are not accepted — check access_key_id and secret_access_key, profile or role_arn (and that session tokens have not expired): %w", bucket, prefix, errorCode(err), err)
	case isAccessDenied(err):
		return fmt.Errorf("listing s3://%s/%s was denied (403): the credentials need s3:ListBucket on arn:aws:s3:::%s (check the IAM policy and the bucket policy): %w", bucket, prefix, bucket, err)
	case isNoSuchBucket(err):
		return fmt.Errorf("bucket %q does not exist (check bucket and region): %w", bucket, err)
	default:
		return fmt.Errorf("listing s3://%s/%s: %w", bucket, prefix, err)
	}
}

// getError explains a failed GetObject call with what to do about it.
func getError(bucket, key string, err error) error {
	if isAccessDenied(err) {
		return fmt.Errorf("reading s3://%s/%s was denied (403): the credentials need s3:GetObject on arn:aws:s3:::%s/* and, when the bucket or trail uses SSE-KMS, kms:Decrypt on the trail's KMS key: %w", bucket, key, bucket, err)
	}
	return fmt.Errorf("reading s3://%s/%s: %w", bucket, key, err)
}
