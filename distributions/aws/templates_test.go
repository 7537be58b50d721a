// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package aws_test

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	metricStreamTemplate = "metric-stream.yaml"
	readerRoleTemplate   = "cloudtrail-reader-role.yaml"
	cwLogsTemplate       = "cloudtrail-cwlogs-firehose.yaml"
)

// TestTemplatesStatic checks every template without evaluating them: valid YAML, every Ref, Fn::GetAtt, Fn::Sub
// variable and condition resolves, only allow-listed resource types, every parameter and condition used, IAM policy
// documents in the 2012-10-17 language, and exactly the required parameters a user must give.
func TestTemplatesStatic(t *testing.T) {
	for file, required := range map[string][]string{
		metricStreamTemplate: {"CollectorUrl", "AccessKey"},
		readerRoleTemplate:   {"CollectorPrincipalArn", "ExternalId", "BucketName"},
		cwLogsTemplate:       {"CollectorUrl", "AccessKey", "LogGroupName"},
	} {
		t.Run(file, func(t *testing.T) {
			tpl, err := loadTemplate(file)
			require.NoError(t, err)
			assert.Empty(t, checkTemplate(tpl))
			assert.ElementsMatch(t, required, tpl.requiredParameters(), "parameters without a Default")
			desc := lookup(tpl.root, "Description")
			require.NotNil(t, desc, "a Description tells the console user what the stack is")
			assert.LessOrEqual(t, len(desc.Value), 1024, "CloudFormation's limit on a template Description")
			raw, err := os.ReadFile(file)
			require.NoError(t, err)
			assert.Less(t, len(raw), 51200, "a larger template cannot be passed as --template-body (aws cloudformation deploy would need --s3-bucket)")
		})
	}
}

// templateStack evaluates the template in file with the parameters defaults, overridden or completed by params.
func templateStack(t *testing.T, file string, defaults, params map[string]string) *stack {
	t.Helper()
	tpl, err := loadTemplate(file)
	require.NoError(t, err)
	given := maps.Clone(defaults)
	maps.Copy(given, params)
	s, err := newStack(tpl, given)
	require.NoError(t, err)
	return s
}

// withParam returns a copy of params with k set to v.
func withParam(params map[string]string, k, v string) map[string]string {
	out := maps.Clone(params)
	out[k] = v
	return out
}

// assertParameters evaluates tpl with each parameter set: each of accepted must be taken, each of refused must be
// refused by the parameters' constraints, before anything is created.
func assertParameters(t *testing.T, tpl *cfnTemplate, accepted, refused []map[string]string) {
	t.Helper()
	for _, ok := range accepted {
		_, err := newStack(tpl, ok)
		assert.NoError(t, err, "%v", ok)
	}
	for _, bad := range refused {
		_, err := newStack(tpl, bad)
		assert.Error(t, err, "%v must be refused", bad)
	}
}

func resourceProps(t *testing.T, s *stack, name string) map[string]any {
	t.Helper()
	props, err := s.resource(name)
	require.NoError(t, err)
	require.NotNil(t, props, "resource %s exists with these parameters", name)
	return props
}

// roleActions is the sorted set of actions the inline policies of an evaluated AWS::IAM::Role grant.
func roleActions(t *testing.T, role map[string]any) []string {
	t.Helper()
	set := map[string]bool{}
	policies, ok := role["Policies"].([]any)
	require.True(t, ok, "the role has inline policies")
	for _, p := range policies {
		actions, err := allowedActions(dig(p, "PolicyDocument"))
		require.NoError(t, err)
		for _, a := range actions {
			set[a] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

func assertTrust(t *testing.T, role map[string]any, principalType, principal string) {
	t.Helper()
	statements, err := policyStatements(role["AssumeRolePolicyDocument"])
	require.NoError(t, err)
	require.Len(t, statements, 1, "one trust statement")
	assert.Equal(t, "Allow", statements[0]["Effect"])
	assert.Equal(t, "sts:AssumeRole", statements[0]["Action"])
	assert.Equal(t, map[string]any{principalType: principal}, statements[0]["Principal"])
}

// assertNoWildcards: every statement names its actions and resources; no "*" grants.
func assertNoWildcards(t *testing.T, role map[string]any) {
	t.Helper()
	for _, p := range role["Policies"].([]any) {
		statements, err := policyStatements(dig(p, "PolicyDocument"))
		require.NoError(t, err)
		for _, st := range statements {
			assert.Contains(t, []any{"Allow", "Deny"}, st["Effect"])
			require.NotEmpty(t, stringList(st["Resource"]), "statement %v names its resources", st)
			for _, v := range append(stringList(st["Action"]), stringList(st["Resource"])...) {
				assert.NotEqual(t, "*", v, "statement %v", st)
				assert.False(t, strings.HasSuffix(v, ":*") && !strings.Contains(v, "log-stream"), "no service-wide wildcard in %v", st)
			}
		}
	}
}
