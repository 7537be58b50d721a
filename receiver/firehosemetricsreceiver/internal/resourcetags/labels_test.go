// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package resourcetags

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rule examples of docs/metric-streams.md#resource-id-labels, and more.
func TestResourceIDLabels(t *testing.T) {
	for arn, want := range map[string][]label{
		"arn:aws:ec2:us-east-1:123456789012:instance/i-0abcd1234efgh5678": {{"instanceid", "i-0abcd1234efgh5678"}},
		"arn:aws:ec2:us-east-1:123456789012:volume/vol-0123456789abcdef0": {{"volumeid", "vol-0123456789abcdef0"}},
		"arn:aws:ec2:us-east-1:123456789012:security-group/sg-1":          {{"instanceid", "sg-1"}},
		"arn:aws:s3:::my-bucket":                                                            {{"bucketname", "my-bucket"}},
		"arn:aws:rds:us-east-1:123456789012:db:mydb":                                        {{"dbclusteridentifier", "mydb"}, {"dbinstanceidentifier", "mydb"}},
		"arn:aws:iam::123456789012:role/my-role":                                            {{"Arn", "arn:aws:iam::123456789012:role/my-role"}},
		"arn:aws:lambda:us-east-1:123456789012:function:my-func":                            {{"functionname", "my-func"}},
		"arn:aws:lambda:us-east-1:123456789012:function:my-func:1":                          {{"functionname", "1"}},
		"arn:aws:dynamodb:us-east-1:123456789012:table/Orders":                              {{"tablename", "Orders"}},
		"arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/my-alb/50dc6c495c0c9188": {{"loadbalancer", "50dc6c495c0c9188"}},
		"arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/my-classic":                  {{"Arn", "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/my-classic"}},
		"arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/x":                           {{"loadbalancername", "x"}},
		"arn:aws:states:us-east-1:123456789012:stateMachine:my-sm":                          {{"activityarn", "arn:aws:states:us-east-1:123456789012:stateMachine:my-sm"}},
		"arn:aws:backup:us-east-1:123456789012:backup-vault:v":                              {{"Arn", "arn:aws:backup:us-east-1:123456789012:backup-vault:v"}},
		"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/x:*":                     {{"loggroupname", "*"}},
		"arn:aws:storagegateway:us-east-1:123456789012:gateway/sgw-1":                       {{"gatewayname", "sgw-1"}, {"gatewayid", "sgw-1"}},
		"arn:aws:ses:us-east-1:123456789012:identity/example.com":                           {},
		"not-an-arn": {{"Arn", "not-an-arn"}},
	} {
		assert.Equal(t, want, resourceIDLabels(arn), arn)
	}
}

func TestSanitizeTagKey(t *testing.T) {
	for key, want := range map[string]string{
		"aws:cloudformation:stack-name": "aws_cloudformation_stack_name",
		"1st-tag":                       "key_1st_tag",
		"_x":                            "key_x",
		"Name":                          "Name",
		"Café ünit":                     "Café_ünit",
	} {
		assert.Equal(t, want, sanitizeTagKey(key), key)
	}
}

func TestResourceTypeFilters(t *testing.T) {
	all, err := ResourceTypeFilters([]string{"all-namespaces"})
	require.NoError(t, err)
	assert.Len(t, all, 79, "77 namespaces, 79 filter strings (docs/metric-streams.md#resource-type-filters)")
	assert.LessOrEqual(t, len(all), 100, "GetResources takes at most 100 filters")
	for ns := range namespaceResourceTypes {
		assert.Contains(t, allNamespaces, ns, "every mapped namespace is in the all-namespaces list")
	}
	assert.Len(t, allNamespaces, 128)

	some, err := ResourceTypeFilters([]string{"AWS/EC2", "AWS/EBS", "CWAgent", "AWS/Cognito"})
	require.NoError(t, err)
	assert.Equal(t, []string{"ec2", "ec2:volume", "cognito-identity", "cognito-idp"}, some)
}
