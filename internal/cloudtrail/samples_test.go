// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// decodeSample decodes a sample file (gzip) and checks the parts every record shares: one batch, observed
// timestamp, scope, the object attributes, and a body equal to encoding/json's reading of the record.
func decodeSample(t *testing.T, name string, opts Options) []flatRecord {
	t.Helper()
	opts.ScopeName, opts.ScopeVersion = "test-scope", "v1.2.3"
	data := readTestdata(t, name)
	batches, st, err := decodeAll(t, opts, bytes.NewReader(data))
	require.NoError(t, err)
	require.Len(t, batches, 1)
	got := flatten(batches)
	require.Equal(t, int64(len(got)), st.Records)
	require.Zero(t, st.SkippedRecords)
	require.Equal(t, int64(len(gunzip(t, data))), st.DecompressedBytes)

	want := recordsOf(t, gunzip(t, data))
	require.Len(t, got, len(want))
	for i, r := range got {
		assert.Equal(t, orderedFromJSON(t, want[i]), orderedFromValue(r.record.Body()), "body of record %d", i)
		assert.Equal(t, pcommon.NewTimestampFromTime(testObserved), r.record.ObservedTimestamp())
		assert.Equal(t, "test-scope", r.scope.Name())
		assert.Equal(t, "v1.2.3", r.scope.Version())
		bucket, _ := r.record.Attributes().Get("aws.s3.bucket")
		key, _ := r.record.Attributes().Get("aws.s3.key")
		assert.Equal(t, testObject.Bucket, bucket.Str())
		assert.Equal(t, testObject.Key, key.Str())
	}
	return got
}

func ts(s string) pcommon.Timestamp {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return pcommon.NewTimestampFromTime(t)
}

func resourceOf(account, region string) map[string]any {
	return map[string]any{"cloud.provider": "aws", "cloud.account.id": account, "cloud.region": region}
}

func objectAttrs(extra map[string]any) map[string]any {
	m := map[string]any{"aws.s3.bucket": testObject.Bucket, "aws.s3.key": testObject.Key}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func bodyValue(t *testing.T, r flatRecord, path ...any) pcommon.Value {
	t.Helper()
	v := r.record.Body()
	for _, p := range path {
		switch p := p.(type) {
		case string:
			require.Equal(t, pcommon.ValueTypeMap, v.Type(), "at %q", p)
			var ok bool
			v, ok = v.Map().Get(p)
			require.True(t, ok, "missing %q", p)
		case int:
			require.Equal(t, pcommon.ValueTypeSlice, v.Type(), "at [%d]", p)
			v = v.Slice().At(p)
		}
	}
	return v
}

func TestSampleStartLogging(t *testing.T) {
	got := decodeSample(t, "aws-docs-startlogging.json.gz", Options{})
	r := got[0]
	assert.Equal(t, resourceOf("123456789012", "us-east-1"), r.resource.AsRaw())
	assert.Equal(t, ts("2023-07-19T21:33:41Z"), r.record.Timestamp())
	assert.Equal(t, plog.SeverityNumberInfo, r.record.SeverityNumber())
	assert.Equal(t, "INFO", r.record.SeverityText())
	assert.Equal(t, objectAttrs(nil), r.record.Attributes().AsRaw())
	// JSON types are kept.
	assert.Equal(t, pcommon.ValueTypeBool, bodyValue(t, r, "readOnly").Type())
	assert.False(t, bodyValue(t, r, "readOnly").Bool())
	assert.True(t, bodyValue(t, r, "managementEvent").Bool())
	assert.Equal(t, pcommon.ValueTypeEmpty, bodyValue(t, r, "responseElements").Type(), "null stays an empty value")
	assert.Equal(t, pcommon.ValueTypeStr, bodyValue(t, r, "sessionCredentialFromConsole").Type())
	assert.Equal(t, "myTrail", bodyValue(t, r, "requestParameters", "name").Str())
	// Key order is the file's.
	var keys []string
	for k := range r.record.Body().Map().All() {
		keys = append(keys, k)
	}
	assert.Equal(t, []string{
		"eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
		"userAgent", "requestParameters", "responseElements", "requestID", "eventID", "readOnly", "eventType",
		"managementEvent", "recipientAccountId", "eventCategory", "tlsDetails", "sessionCredentialFromConsole",
	}, keys)
}

func TestSampleStartLoggingSemanticAttributes(t *testing.T) {
	got := decodeSample(t, "aws-docs-startlogging.json.gz", Options{SemanticAttributes: true, IncludeObjectKey: true})
	assert.Equal(t, objectAttrs(map[string]any{
		"s3_object_key":                "trail-bucket/" + testObject.Key,
		"aws.cloudtrail.event_version": "1.09",
		"aws.cloudtrail.event_id":      "eae87c48-d421-4626-94f5-EXAMPLEac994",
		"rpc.method":                   "StartLogging",
		"rpc.system":                   "AwsApiCall",
		"rpc.service":                  "cloudtrail.amazonaws.com",
		"aws.request_id":               "9d478fc1-4f10-490f-a26b-EXAMPLE0e932",
		"aws.event.category":           "Management",
		"aws.event.read_only":          false,
		"aws.event.management":         true,
		"source.address":               "192.0.2.0",
		"user_agent.original":          "aws-cli/2.13.5 Python/3.11.4 Linux/4.14.255-314-253.539.amzn2.x86_64 exec-env/CloudShell exe/x86_64.amzn.2 prompt/off command/cloudtrail.start-logging",
		"aws.session.console":          true,
		"user.name":                    "Mary_Major",
		"aws.user_identity.account_id": "123456789012",
		"aws.access_key.id":            "AKIAIOSFODNN7EXAMPLE",
		"aws.principal.id":             "EXAMPLE6E4XEGITWATV6R",
		"aws.principal.arn":            "arn:aws:iam::123456789012:user/Mary_Major",
		"aws.principal.type":           "IAMUser",
		"aws.user_identity.session_context.attributes.mfa_authenticated": false,
		"aws.user_identity.session_context.attributes.creation_date":     "2023-07-19T21:11:57Z",
		"tls.protocol.version":   "1.2",
		"tls.cipher":             "ECDHE-RSA-AES128-GCM-SHA256",
		"server.address":         "cloudtrail.us-east-1.amazonaws.com",
		"aws.request.parameters": map[string]any{"name": "myTrail"},
	}), got[0].record.Attributes().AsRaw())
	// responseElements is null: no aws.response.elements.
	_, ok := got[0].record.Attributes().Get("aws.response.elements")
	assert.False(t, ok)
}

func TestSampleUpdateTrailError(t *testing.T) {
	got := decodeSample(t, "aws-docs-updatetrail-error.json.gz", Options{SemanticAttributes: true})
	r := got[0]
	assert.Equal(t, resourceOf("123456789012", "us-east-2"), r.resource.AsRaw())
	assert.Equal(t, ts("2016-07-14T19:15:45Z"), r.record.Timestamp())
	assert.Equal(t, plog.SeverityNumberWarn, r.record.SeverityNumber())
	assert.Equal(t, "WARN", r.record.SeverityText())
	attrs := r.record.Attributes().AsRaw()
	assert.Equal(t, "TrailNotFoundException", attrs["aws.error.code"])
	assert.Equal(t, "Unknown trail: myTrail2 for the user: 123456789012", attrs["aws.error.message"])
	// "always" attributes are present even when the record lacks the field.
	assert.Equal(t, "", attrs["aws.event.category"])
	assert.NotContains(t, attrs, "aws.event.read_only")
	assert.NotContains(t, attrs, "tls.protocol.version")
	assert.NotContains(t, attrs, "aws.session.console")
}

func TestSampleEC2StartInstancesVersion10(t *testing.T) {
	got := decodeSample(t, "aws-docs-ec2-startinstances.json.gz", Options{SemanticAttributes: true})
	r := got[0]
	// eventVersion 1.0 has no recipientAccountId: the account comes from userIdentity.accountId.
	assert.Equal(t, resourceOf("123456789012", "us-east-2"), r.resource.AsRaw())
	assert.Equal(t, ts("2014-03-06T21:22:54Z"), r.record.Timestamp())
	assert.Equal(t, plog.SeverityNumberInfo, r.record.SeverityNumber())
	code := bodyValue(t, r, "responseElements", "instancesSet", "items", 0, "currentState", "code")
	assert.Equal(t, pcommon.ValueTypeInt, code.Type())
	assert.Equal(t, int64(0), code.Int())
	assert.Equal(t, int64(80), bodyValue(t, r, "responseElements", "instancesSet", "items", 0, "previousState", "code").Int())

	attrs := r.record.Attributes()
	assert.Equal(t, map[string]any{
		"aws.s3.bucket":                testObject.Bucket,
		"aws.s3.key":                   testObject.Key,
		"aws.cloudtrail.event_version": "1.0",
		"aws.cloudtrail.event_id":      "",
		"rpc.method":                   "StartInstances",
		"rpc.system":                   "",
		"rpc.service":                  "ec2.amazonaws.com",
		"aws.event.category":           "",
		"source.address":               "205.251.233.176",
		"user_agent.original":          "ec2-api-tools 1.6.12.2",
		"user.name":                    "Alice",
		"aws.user_identity.account_id": "123456789012",
		"aws.access_key.id":            "EXAMPLE_KEY_ID",
		"aws.principal.id":             "EX_PRINCIPAL_ID",
		"aws.principal.arn":            "arn:aws:iam::123456789012:user/Alice",
		"aws.principal.type":           "IAMUser",
		"aws.request.parameters":       map[string]any{"instancesSet": map[string]any{"items": []any{map[string]any{"instanceId": "i-ebeaf9e2"}}}},
		"aws.response.elements": map[string]any{"instancesSet": map[string]any{"items": []any{map[string]any{
			"instanceId":    "i-ebeaf9e2",
			"currentState":  map[string]any{"code": int64(0), "name": "pending"},
			"previousState": map[string]any{"code": int64(80), "name": "stopped"},
		}}}},
	}, attrs.AsRaw())
	// AsRaw above gives int64 for the codes: integers stay integers inside attribute maps (contrib makes them doubles).
}

func TestSampleRecordsResourcePerRecord(t *testing.T) {
	got := decodeSample(t, "aws-docs-records.json.gz", Options{})
	require.Len(t, got, 3)
	// Two regions in one file: one ResourceLogs per (account, region), record order kept inside each.
	assert.Equal(t, resourceOf("123456789012", "us-east-1"), got[0].resource.AsRaw())
	assert.Equal(t, resourceOf("123456789012", "us-east-2"), got[1].resource.AsRaw())
	assert.Equal(t, resourceOf("123456789012", "us-east-2"), got[2].resource.AsRaw())
	assert.Equal(t, "StartLogging", bodyValue(t, got[0], "eventName").Str())
	assert.Equal(t, "UpdateTrail", bodyValue(t, got[1], "eventName").Str())
	assert.Equal(t, "StartInstances", bodyValue(t, got[2], "eventName").Str())
	assert.Equal(t, []plog.SeverityNumber{plog.SeverityNumberInfo, plog.SeverityNumberWarn, plog.SeverityNumberInfo},
		[]plog.SeverityNumber{got[0].record.SeverityNumber(), got[1].record.SeverityNumber(), got[2].record.SeverityNumber()})

	batches, _, err := decodeAll(t, Options{}, bytes.NewReader(readTestdata(t, "aws-docs-records.json.gz")))
	require.NoError(t, err)
	require.Equal(t, 2, batches[0].ResourceLogs().Len())
	assert.Equal(t, 1, batches[0].ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().Len())
	assert.Equal(t, 2, batches[0].ResourceLogs().At(1).ScopeLogs().At(0).LogRecords().Len())
}

func TestSampleInsight(t *testing.T) {
	got := decodeSample(t, "aws-docs-insight.json.gz", Options{SemanticAttributes: true})
	r := got[0]
	assert.Equal(t, resourceOf("123456789012", "us-east-1"), r.resource.AsRaw())
	assert.Equal(t, ts("2019-11-14T00:51:00Z"), r.record.Timestamp())
	baseline := bodyValue(t, r, "insightDetails", "insightContext", "statistics", "baseline", "average")
	assert.Equal(t, pcommon.ValueTypeDouble, baseline.Type())
	assert.InDelta(t, 85.4202380952, baseline.Double(), 1e-12)
	insight := bodyValue(t, r, "insightDetails", "insightContext", "statistics", "insight", "average")
	assert.Equal(t, pcommon.ValueTypeInt, insight.Type())
	assert.Equal(t, int64(664), insight.Int())

	assert.Equal(t, objectAttrs(map[string]any{
		"aws.cloudtrail.event_version": "1.07",
		"aws.cloudtrail.event_id":      "EXAMPLE8-9621-4d00-b913-beca2EXAMPLE",
		"rpc.system":                   "AwsCloudTrailInsight",
		"aws.event.category":           "Insight",
		"aws.shared_event_id":          "EXAMPLE2-1729-42f1-b735-5d8c0EXAMPLE",
		"aws.insight_details": map[string]any{
			"state":       "Start",
			"eventSource": "ssm.amazonaws.com",
			"eventName":   "UpdateInstanceInformation",
			"insightType": "ApiCallRateInsight",
			"insightContext": map[string]any{"statistics": map[string]any{
				"baseline": map[string]any{"average": 85.4202380952},
				"insight":  map[string]any{"average": int64(664)},
			}},
		},
	}), r.record.Attributes().AsRaw())
}

// TestSampleAssumedRoleIdentity splices the AssumedRole userIdentity fragment into a real record.
func TestSampleAssumedRoleIdentity(t *testing.T) {
	var fragment map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(readTestdata(t, "aws-docs-useridentity-assumedrole.fragment.json"), &fragment))
	record := bytes.Replace(gunzip(t, readTestdata(t, "aws-docs-startlogging.json.gz")),
		[]byte(`"userIdentity":{"type":"IAMUser","principalId":"EXAMPLE6E4XEGITWATV6R","arn":"arn:aws:iam::123456789012:user/Mary_Major","accountId":"123456789012","accessKeyId":"AKIAIOSFODNN7EXAMPLE","userName":"Mary_Major","sessionContext":{"attributes":{"creationDate":"2023-07-19T21:11:57Z","mfaAuthenticated":"false"}}}`),
		append([]byte(`"userIdentity":`), fragment["userIdentity"]...), 1)
	require.Contains(t, string(record), "AssumedRole")

	batches, _, err := decodeAll(t, Options{SemanticAttributes: true}, bytes.NewReader(gzipBytes(t, record)))
	require.NoError(t, err)
	attrs := flatten(batches)[0].record.Attributes().AsRaw()
	for k, want := range map[string]any{
		"aws.principal.type":           "AssumedRole",
		"aws.principal.id":             "AROAIDPPEZS35WEXAMPLE:AssumedRoleSessionName",
		"aws.principal.arn":            "arn:aws:sts::123456789012:assumed-role/RoleToBeAssumed/MySessionName",
		"aws.user_identity.account_id": "123456789012",
		"aws.user_identity.session_context.attributes.mfa_authenticated": false,
		"aws.user_identity.session_context.attributes.creation_date":     "20131102T010628Z",
		"aws.user_identity.session_context.issuer.type":                  "Role",
		"aws.user_identity.session_context.issuer.principal_id":          "AROAIDPPEZS35WEXAMPLE",
		"aws.user_identity.session_context.issuer.arn":                   "arn:aws:iam::123456789012:role/RoleToBeAssumed",
		"aws.user_identity.session_context.issuer.account_id":            "123456789012",
		"aws.user_identity.session_context.issuer.user_name":             "RoleToBeAssumed",
	} {
		assert.Equal(t, want, attrs[k], k)
	}
	// accessKeyId is "" in the fragment: "if set" attributes are left out; no userName either.
	assert.NotContains(t, attrs, "aws.access_key.id")
	assert.NotContains(t, attrs, "user.name")
}

// TestSamplesPlainJSONMatchesGzip reads the pretty-printed .json twins: same output as the .json.gz files.
func TestSamplesPlainJSONMatchesGzip(t *testing.T) {
	for _, name := range []string{"aws-docs-startlogging", "aws-docs-updatetrail-error", "aws-docs-ec2-startinstances", "aws-docs-records", "aws-docs-insight"} {
		t.Run(name, func(t *testing.T) {
			opts := Options{SemanticAttributes: true}
			fromGzip, _, err := decodeAll(t, opts, bytes.NewReader(readTestdata(t, name+".json.gz")))
			require.NoError(t, err)
			fromJSON, st, err := decodeAll(t, opts, bytes.NewReader(readTestdata(t, name+".json")))
			require.NoError(t, err)
			require.Equal(t, int64(len(readTestdata(t, name+".json"))), st.DecompressedBytes)
			require.Len(t, fromJSON, len(fromGzip))
			for i := range fromGzip {
				require.Equal(t, fromGzip[i], fromJSON[i])
			}
		})
	}
}

func TestSampleDigestsAreNotLogFiles(t *testing.T) {
	for _, name := range []string{"aws-docs-digest.json.gz", "aws-docs-digest-empty.json.gz", "aws-docs-digest.json"} {
		t.Run(name, func(t *testing.T) {
			batches, st, err := decodeAll(t, Options{}, bytes.NewReader(readTestdata(t, name)))
			requireCorrupt(t, err, "not a CloudTrail log file")
			assert.Empty(t, batches)
			assert.Zero(t, st.Records)
		})
	}
}

func TestSampleConfigWritabilityCheckFile(t *testing.T) {
	batches, _, err := decodeAll(t, Options{}, bytes.NewReader(readTestdata(t, "ConfigWritabilityCheckFile")))
	requireCorrupt(t, err, "empty")
	assert.Empty(t, batches)
}
