// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package aws_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readerRole(t *testing.T, params map[string]string) (*stack, map[string]any) {
	t.Helper()
	s := templateStack(t, readerRoleTemplate, map[string]string{
		"CollectorPrincipalArn": "arn:aws:iam::111122223333:role/otelcol",
		"ExternalId":            "marker-external-id",
		"BucketName":            "org-trail-bucket",
	}, params)
	return s, resourceProps(t, s, "ReaderRole")
}

// TestCloudTrailReaderRole evaluates the reader role with and without the optional parameters and asserts the exact
// action set: listing and reading the trail's files always, kms:Decrypt only with keys, SQS only with a queue.
func TestCloudTrailReaderRole(t *testing.T) {
	base := []string{"s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket"}
	kms := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	queue := "arn:aws:sqs:us-east-1:111122223333:cloudtrail-objects"
	tests := []struct {
		name    string
		params  map[string]string
		actions []string
	}{
		{name: "polling, SSE-S3", actions: base},
		{name: "polling, SSE-KMS", params: map[string]string{"KmsKeyArns": kms}, actions: append([]string{"kms:Decrypt"}, base...)},
		{name: "SQS", params: map[string]string{"QueueArn": queue},
			actions: append(append([]string{}, base...), "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage")},
		{name: "everything", params: map[string]string{"KmsKeyArns": kms + "," + kms + "-queue", "QueueArn": queue, "TrailPrefix": "org", "RoleName": "reader"},
			actions: append(append([]string{"kms:Decrypt"}, base...), "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, role := readerRole(t, tt.params)
			assert.Equal(t, tt.actions, roleActions(t, role))
			assertNoWildcards(t, role)
			assertTrust(t, role, "AWS", "arn:aws:iam::111122223333:role/otelcol")
			assert.Equal(t, "marker-external-id", dig(role, "AssumeRolePolicyDocument", "Statement", 0, "Condition", "StringEquals", "sts:ExternalId"),
				"the role can only be assumed with the external ID")
		})
	}
}

func TestCloudTrailReaderRoleResources(t *testing.T) {
	byAction := func(role map[string]any) map[string]map[string]any {
		statements, err := policyStatements(dig(role, "Policies", 0, "PolicyDocument"))
		require.NoError(t, err)
		out := map[string]map[string]any{}
		for _, st := range statements {
			for _, a := range stringList(st["Action"]) {
				out[a] = st
			}
		}
		return out
	}

	_, role := readerRole(t, nil)
	st := byAction(role)
	assert.Equal(t, "arn:aws:s3:::org-trail-bucket", st["s3:ListBucket"]["Resource"])
	assert.Equal(t, "AWSLogs/*", dig(st["s3:ListBucket"], "Condition", "StringLike", "s3:prefix"), "listing is limited to AWSLogs/")
	assert.Equal(t, "arn:aws:s3:::org-trail-bucket", st["s3:GetBucketLocation"]["Resource"])
	assert.Nil(t, st["s3:GetBucketLocation"]["Condition"], "GetBucketLocation has no s3:prefix: a prefix condition would deny it")
	assert.Equal(t, "arn:aws:s3:::org-trail-bucket/AWSLogs/*", st["s3:GetObject"]["Resource"])
	assert.NotContains(t, role, "RoleName", "without RoleName CloudFormation names the role")

	kms := "arn:aws:kms:eu-west-1:111122223333:key/a,arn:aws:kms:eu-west-1:111122223333:key/b"
	_, role = readerRole(t, map[string]string{"TrailPrefix": "org/trail", "KmsKeyArns": kms, "RoleName": "reader",
		"QueueArn": "arn:aws:sqs:eu-west-1:111122223333:q"})
	st = byAction(role)
	assert.Equal(t, "org/trail/AWSLogs/*", dig(st["s3:ListBucket"], "Condition", "StringLike", "s3:prefix"))
	assert.Equal(t, "arn:aws:s3:::org-trail-bucket/org/trail/AWSLogs/*", st["s3:GetObject"]["Resource"])
	assert.Equal(t, []any{"arn:aws:kms:eu-west-1:111122223333:key/a", "arn:aws:kms:eu-west-1:111122223333:key/b"}, st["kms:Decrypt"]["Resource"])
	assert.Equal(t, "arn:aws:sqs:eu-west-1:111122223333:q", st["sqs:ReceiveMessage"]["Resource"])
	assert.Equal(t, "reader", role["RoleName"])
}

func TestCloudTrailReaderRoleParameters(t *testing.T) {
	tpl, err := loadTemplate(readerRoleTemplate)
	require.NoError(t, err)
	assert.Equal(t, "true", lookup(tpl.parameters["ExternalId"], "NoEcho").Value, "the external ID is not shown in the console")
	base := func(k, v string) map[string]string {
		return withParam(map[string]string{"CollectorPrincipalArn": "arn:aws:iam::111122223333:root", "ExternalId": "xid-1", "BucketName": "trail"}, k, v)
	}
	assertParameters(t, tpl, []map[string]string{
		base("CollectorPrincipalArn", "arn:aws:iam::111122223333:role/path/otelcol"),
		base("CollectorPrincipalArn", "arn:aws-us-gov:iam::111122223333:user/ci"),
		base("TrailPrefix", "org/trail"),
		base("QueueArn", "arn:aws:sqs:us-east-1:111122223333:q.fifo"),
	}, []map[string]string{
		base("CollectorPrincipalArn", "111122223333"),
		base("CollectorPrincipalArn", "arn:aws:iam::111122223333:group/admins"),
		base("ExternalId", "x"),
		base("ExternalId", "has space"),
		base("BucketName", "s3://trail"),
		base("BucketName", "trail/AWSLogs"),
		base("TrailPrefix", "/org"),
		base("TrailPrefix", "org/"),
		base("QueueArn", "https://sqs.us-east-1.amazonaws.com/111122223333/q"),
	})
}

// apiActions maps the AWS SDK operations the cloudtrails3 receiver calls to the IAM actions they need.
var apiActions = map[string]string{
	"s3.ListObjectsV2": "s3:ListBucket", "s3.GetObject": "s3:GetObject", "s3.HeadObject": "s3:GetObject",
	"s3.GetBucketLocation": "s3:GetBucketLocation",
	"sqs.ReceiveMessage":   "sqs:ReceiveMessage", "sqs.DeleteMessage": "sqs:DeleteMessage",
	"sqs.DeleteMessageBatch": "sqs:DeleteMessage", "sqs.ChangeMessageVisibility": "sqs:ChangeMessageVisibility",
	"sqs.ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility", "sqs.GetQueueAttributes": "sqs:GetQueueAttributes",
}

// TestReaderRoleCoversReceiverCalls reads the operations the cloudtrails3 receiver's client interfaces declare and
// checks that the reader role (with every option) grants each one's IAM action, so a new call in the receiver cannot
// ship without its permission.
func TestReaderRoleCoversReceiverCalls(t *testing.T) {
	receiverDir := filepath.Join("..", "..", "receiver", "cloudtrails3receiver")
	files, err := filepath.Glob(filepath.Join(receiverDir, "*.go"))
	require.NoError(t, err)
	method := regexp.MustCompile(`(?m)^\s+(\w+)\(ctx context\.Context, \w+ \*(s3|sqs)\.(\w+)Input`)
	needed := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range method.FindAllStringSubmatch(string(src), -1) {
			op := m[2] + "." + m[3]
			action, known := apiActions[op]
			require.True(t, known, "%s calls %s: map it to its IAM action in apiActions and grant it in %s", f, op, readerRoleTemplate)
			needed[action] = true
		}
	}
	require.Contains(t, needed, "s3:ListBucket", "the receiver's S3 interface was found")
	require.Contains(t, needed, "s3:GetObject", "the receiver's S3 interface was found")

	_, role := readerRole(t, map[string]string{"KmsKeyArns": "arn:aws:kms:us-east-1:111122223333:key/k", "QueueArn": "arn:aws:sqs:us-east-1:111122223333:q"})
	granted := roleActions(t, role)
	for action := range needed {
		assert.Contains(t, granted, action, "the receiver needs %s", action)
	}
}
