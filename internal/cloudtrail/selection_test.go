// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

func boolPtr(b bool) *bool { return &b }

// selectionCases are rule sets over cloudtrailtest's records (nine of its nineteen APIs are read-only).
var selectionCases = []struct {
	name string
	cfg  SelectionConfig
}{
	{"drop read-only", SelectionConfig{Exclude: []EventRule{{ReadOnly: boolPtr(true)}}}},
	{"keep writes and errors", SelectionConfig{Include: []EventRule{{ReadOnly: boolPtr(false)}, {Error: boolPtr(true)}}}},
	{"drop KMS and STS noise from services", SelectionConfig{Exclude: []EventRule{{
		EventSource: []string{"kms.amazonaws.com", "sts.amazonaws.com"}, UserIdentityType: []string{"AWSService"},
	}}}},
	{"drop read-only except console logins and failures", SelectionConfig{
		Exclude: []EventRule{{ReadOnly: boolPtr(true), ManagementEvent: boolPtr(true), Error: boolPtr(false)}},
	}},
	{"globs", SelectionConfig{
		Include: []EventRule{{EventName: []string{"Describe*", "*Object", "Get*User", "*"}, EventSource: []string{"*.amazonaws.com"}}},
		Exclude: []EventRule{{EventName: []string{"*Instances"}, AWSRegion: []string{"us-*"}}, {ErrorCode: []string{"Access*"}}},
	}},
	{"category type account invoker", SelectionConfig{Exclude: []EventRule{
		{EventCategory: []string{"Data"}},
		{EventType: []string{"AwsConsoleSignIn"}},
		{RecipientAccountID: []string{"123456789012"}, InvokedBy: []string{"*.amazonaws.com", "AWS Internal"}},
	}}},
}

// TestSelectionMatchesReferenceFilter decodes the same generated file with each rule set and without rules, and
// compares with a reference filter written over encoding/json's reading of the records (regular expressions for
// the globs): the same records are kept, in the same order with the same bodies, and the dropped ones are counted.
func TestSelectionMatchesReferenceFilter(t *testing.T) {
	const n = 3000
	body := cloudtrailtest.Body(7, n, "123456789012", "us-east-1", genStart)
	raw := recordsOf(t, body)
	allBatches, _, err := decodeAll(t, Options{}, bytes.NewReader(body))
	require.NoError(t, err)
	all := flatten(allBatches)
	require.Len(t, all, n)

	for _, tc := range selectionCases {
		t.Run(tc.name, func(t *testing.T) {
			sel, err := NewSelector(tc.cfg)
			require.NoError(t, err)
			var want []flatRecord
			for i, r := range raw {
				if referenceKeep(t, tc.cfg, r) {
					want = append(want, all[i])
				}
			}
			require.NotEmpty(t, want, "the case should keep some records")
			require.Less(t, len(want), n, "the case should drop some records")

			batches, st, err := decodeAll(t, Options{Selection: sel}, bytes.NewReader(body))
			require.NoError(t, err)
			requireSameRecords(t, want, flatten(batches))
			assert.Equal(t, int64(n-len(want)), st.DroppedRecords)
			assert.Equal(t, int64(len(want)), st.Records)
			// One byte per read: every record crosses the end of the scan buffer and is captured on the slow path.
			batches, st, err = decodeAll(t, Options{Selection: sel}, iotest.OneByteReader(bytes.NewReader(body)))
			require.NoError(t, err)
			requireSameRecords(t, want, flatten(batches))
			assert.Equal(t, int64(n-len(want)), st.DroppedRecords)
		})
	}
}

func requireSameRecords(t *testing.T, want, got []flatRecord) {
	t.Helper()
	require.Len(t, got, len(want))
	for i := range want {
		require.Equal(t, want[i].record.Body().AsRaw(), got[i].record.Body().AsRaw(), "record %d", i)
		require.Equal(t, want[i].resource.AsRaw(), got[i].resource.AsRaw(), "record %d", i)
		require.Equal(t, want[i].record.Timestamp(), got[i].record.Timestamp(), "record %d", i)
	}
}

// referenceKeep is the selection semantics written independently of the decoder.
func referenceKeep(t *testing.T, cfg SelectionConfig, raw json.RawMessage) bool {
	var rec map[string]any
	require.NoError(t, json.Unmarshal(raw, &rec))
	matches := func(r EventRule) bool {
		identity, _ := rec["userIdentity"].(map[string]any)
		strConds := []struct {
			values []string
			v      any
		}{
			{r.EventSource, rec["eventSource"]}, {r.EventName, rec["eventName"]}, {r.EventCategory, rec["eventCategory"]},
			{r.EventType, rec["eventType"]}, {r.ErrorCode, rec["errorCode"]}, {r.AWSRegion, rec["awsRegion"]},
			{r.RecipientAccountID, rec["recipientAccountId"]}, {r.UserIdentityType, identity["type"]},
			{r.InvokedBy, identity["invokedBy"]},
		}
		for _, c := range strConds {
			if c.values == nil {
				continue
			}
			s, ok := c.v.(string)
			if !ok || !slicesMatchGlob(c.values, s) {
				return false
			}
		}
		for _, c := range []struct {
			want *bool
			v    any
		}{{r.ReadOnly, rec["readOnly"]}, {r.ManagementEvent, rec["managementEvent"]}} {
			if c.want != nil {
				b, ok := c.v.(bool)
				if !ok || b != *c.want {
					return false
				}
			}
		}
		if r.Error != nil {
			code, _ := rec["errorCode"].(string)
			if (code != "") != *r.Error {
				return false
			}
		}
		return true
	}
	anyOf := func(rules []EventRule) bool {
		for _, r := range rules {
			if matches(r) {
				return true
			}
		}
		return false
	}
	if len(cfg.Include) > 0 && !anyOf(cfg.Include) {
		return false
	}
	return !anyOf(cfg.Exclude)
}

func slicesMatchGlob(patterns []string, s string) bool {
	for _, p := range patterns {
		re := "^" + strings.ReplaceAll(regexp.QuoteMeta(p), `\*`, ".*") + "$"
		if regexp.MustCompile(re).MatchString(s) {
			return true
		}
	}
	return false
}

func TestSelectionFieldEdgeCases(t *testing.T) {
	sel, err := NewSelector(SelectionConfig{Exclude: []EventRule{{EventName: []string{"DescribeInstances"}, ReadOnly: boolPtr(true)}}})
	require.NoError(t, err)
	record := func(members string) string {
		return `{"eventTime":"2024-01-01T00:00:00Z",` + members + `}`
	}
	for _, tc := range []struct {
		name    string
		record  string
		dropped bool
	}{
		{"plain", record(`"eventName":"DescribeInstances","readOnly":true`), true},
		{"escaped name", record(`"eventName":"Describe\u0049nstances","readOnly":true`), true},
		{"whitespace", record(` "eventName" : "DescribeInstances" ,
			"readOnly" :	true `), true},
		{"readOnly as a string", record(`"eventName":"DescribeInstances","readOnly":"true"`), true},
		{"readOnly false", record(`"eventName":"DescribeInstances","readOnly":false`), false},
		{"readOnly absent", record(`"eventName":"DescribeInstances"`), false},
		{"name not a string", record(`"eventName":["DescribeInstances"],"readOnly":true`), false},
		{"last duplicate wins", record(`"eventName":"RunInstances","readOnly":true,"eventName":"DescribeInstances"`), true},
		{"nested names do not count", record(`"requestParameters":{"eventName":"DescribeInstances","readOnly":true}`), false},
		{"deep values are skipped", record(`"x":[{"a":"}]\"{["},[[[]]],"\\"],"eventName":"DescribeInstances","readOnly":true`), true},
		{"a prefix is not a match", record(`"eventName":"DescribeInstancesX","readOnly":true`), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := []byte(`{"Records":[` + tc.record + `,` + record(`"eventName":"RunInstances"`) + `]}`)
			batches, st, err := decodeAll(t, Options{Selection: sel}, bytes.NewReader(body))
			require.NoError(t, err)
			wantDropped := int64(0)
			if tc.dropped {
				wantDropped = 1
			}
			assert.Equal(t, wantDropped, st.DroppedRecords)
			assert.Equal(t, 2-wantDropped, st.Records)
			assert.Len(t, flatten(batches), int(2-wantDropped))
		})
	}
}

func TestSelectionIdentityFields(t *testing.T) {
	sel, err := NewSelector(SelectionConfig{Exclude: []EventRule{{UserIdentityType: []string{"AWSService"}, InvokedBy: []string{"*.amazonaws.com"}}}})
	require.NoError(t, err)
	body := `{"Records":[` +
		`{"eventTime":"2024-01-01T00:00:00Z","userIdentity":{"type":"AWSService","invokedBy":"cloudtrail.amazonaws.com"}},` +
		`{"eventTime":"2024-01-01T00:00:00Z","userIdentity":{"type":"AWSService","invokedBy":"AWS Internal"}},` +
		`{"eventTime":"2024-01-01T00:00:00Z","userIdentity":{"type":"IAMUser","invokedBy":"ec2.amazonaws.com"}},` +
		`{"eventTime":"2024-01-01T00:00:00Z","type":"AWSService","invokedBy":"ec2.amazonaws.com"}]}`
	batches, st, err := decodeAll(t, Options{Selection: sel}, strings.NewReader(body))
	require.NoError(t, err)
	assert.Equal(t, int64(1), st.DroppedRecords)
	assert.Len(t, flatten(batches), 3)
}

// TestSelectionLargeRecordCrossesBuffers keeps and drops records far larger than the scan buffer.
func TestSelectionLargeRecordCrossesBuffers(t *testing.T) {
	sel, err := NewSelector(SelectionConfig{Exclude: []EventRule{{EventName: []string{"Drop*"}}}})
	require.NoError(t, err)
	big := strings.Repeat(`{"k":"v\"}]","n":[1,2,{"x":null}]},`, 20000) // ~700 KB of nesting and escapes
	var body strings.Builder
	body.WriteString(`{"Records":[`)
	for i := range 6 {
		if i > 0 {
			body.WriteString(",")
		}
		name := "Keep"
		if i%2 == 1 {
			name = "Drop"
		}
		fmt.Fprintf(&body, `{"eventTime":"2024-01-01T00:00:00Z","requestParameters":[%s{}],"eventName":"%s%d"}`, big, name, i)
	}
	body.WriteString(`]}`)
	batches, st, err := decodeAll(t, Options{Selection: sel}, strings.NewReader(body.String()))
	require.NoError(t, err)
	assert.Equal(t, int64(3), st.DroppedRecords)
	records := flatten(batches)
	require.Len(t, records, 3)
	for i, r := range records {
		name, _ := r.record.Body().Map().Get("eventName")
		assert.Equal(t, fmt.Sprintf("Keep%d", 2*i), name.Str())
		params, _ := r.record.Body().Map().Get("requestParameters")
		assert.Equal(t, 20001, params.Slice().Len())
	}
}

func TestSelectionMalformedRecords(t *testing.T) {
	sel, err := NewSelector(SelectionConfig{Exclude: []EventRule{{EventName: []string{"*"}}}})
	require.NoError(t, err)
	for _, tc := range []struct{ name, body, want string }{
		{"mismatched bracket", `{"Records":[{"eventName":"x","a":[}]}`, "mismatched bracket"},
		{"truncated", `{"Records":[{"eventName":"x","a":[`, "truncated"},
		// The end of the file cuts a number short: the error is the parser's, as without selection.
		{"number cut by the end", `{"Records":[{"eventName":"x","a":[1,2.`, `invalid JSON at decompressed byte 38: invalid number "2."`},
		{"no colon", `{"Records":[{"eventName" "x"}]}`, "expected ':'"},
		// A record too deep is skipped (TestDeepRecordSkipped), but not past the end of the file.
		{"too deep and truncated", `{"Records":[{"a":` + strings.Repeat("[", maxDepth+5) + strings.Repeat("]", maxDepth) + `}`, "truncated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, r := range []io.Reader{strings.NewReader(tc.body), iotest.OneByteReader(strings.NewReader(tc.body))} {
				_, _, err := decodeAll(t, Options{Selection: sel}, r)
				requireCorrupt(t, err, tc.want)
			}
		})
	}
}

func TestSelectionRulesValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  SelectionConfig
		want []string
	}{
		{"empty rule", SelectionConfig{Exclude: []EventRule{{}}}, []string{"event_selection.exclude[0]", "sets no condition"}},
		{"empty list", SelectionConfig{Include: []EventRule{{EventName: []string{}}}}, []string{"event_selection.include[0]", "event_name is an empty list", "Describe*"}},
		{"empty value", SelectionConfig{Exclude: []EventRule{{ReadOnly: boolPtr(true)}, {EventSource: []string{""}}}}, []string{"event_selection.exclude[1]", "event_source has an empty value", "'*' for any"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			require.Error(t, err)
			for _, w := range tc.want {
				assert.ErrorContains(t, err, w)
			}
		})
	}
	sel, err := NewSelector(SelectionConfig{})
	require.NoError(t, err)
	assert.Nil(t, sel, "no rules: no selector, the decoder takes its plain path")
}

func TestPatternMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, value string
		want           bool
	}{
		{"Describe*", "DescribeInstances", true},
		{"Describe*", "Describe", true},
		{"Describe*", "describeInstances", false},
		{"*Instances", "RunInstances", true},
		{"*", "", true},
		{"Get*Policy*", "GetBucketPolicyStatus", true},
		{"Get*Policy*", "GetBucketStatus", false},
		{"a*a", "a", false},
		{"a*a", "aa", true},
		{"a**b", "ab", true},
		{"*.amazonaws.com", "kms.amazonaws.com", true},
		{"kms.amazonaws.com", "kms.amazonaws.com", true},
		{"kms.amazonaws.com", "kms.amazonaws.co", false},
	} {
		p := compilePattern(tc.pattern)
		assert.Equal(t, tc.want, p.match([]byte(tc.value)), "%q ~ %q", tc.pattern, tc.value)
		assert.Equal(t, tc.want, slicesMatchGlob([]string{tc.pattern}, tc.value), "reference: %q ~ %q", tc.pattern, tc.value)
	}
}
