// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/logziotest"
)

// cloudTrailLogs returns the StartLogging record of the AWS documentation as the cloudtrail receiver hands it
// over: the record as a map body, its eventTime as timestamp, the account and region on the resource.
func cloudTrailLogs(t testing.TB) plog.Logs {
	t.Helper()
	// The StartLogging example record of the AWS CloudTrail user guide:
	// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
	raw, err := os.ReadFile(filepath.Join("testdata", "aws-docs-startlogging.json"))
	require.NoError(t, err)
	var file struct {
		Records []map[string]any `json:"Records"`
	}
	require.NoError(t, json.Unmarshal(raw, &file))
	require.Len(t, file.Records, 1)

	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("cloud.provider", "aws")
	rl.Resource().Attributes().PutStr("cloud.account.id", "123456789012")
	rl.Resource().Attributes().PutStr("cloud.region", "us-east-1")
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName("github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver")
	lr := sl.LogRecords().AppendEmpty()
	lr.SetTimestamp(pcommon.NewTimestampFromTime(time.Date(2023, 7, 19, 21, 33, 41, 0, time.UTC)))
	lr.Attributes().PutStr("aws.s3.key", "AWSLogs/123456789012/CloudTrail/us-east-1/2023/07/19/123456789012_CloudTrail_us-east-1_20230719T2135Z_q7Rw2LmZx9TbK4Pa.json.gz")
	require.NoError(t, lr.Body().SetEmptyMap().FromRaw(file.Records[0]))
	return ld
}

// expectedStartLoggingDocument is the document Logz.io must receive for cloudTrailLogs.
const expectedStartLoggingDocument = `{
  "@timestamp": "2023-07-19T21:33:41.000Z",
  "type": "cloudtrail",
  "eventVersion": "1.09",
  "userIdentity": {
    "type": "IAMUser",
    "principalId": "EXAMPLE6E4XEGITWATV6R",
    "arn": "arn:aws:iam::123456789012:user/Mary_Major",
    "accountId": "123456789012",
    "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
    "userName": "Mary_Major",
    "sessionContext": {"attributes": {"creationDate": "2023-07-19T21:11:57Z", "mfaAuthenticated": "false"}}
  },
  "eventTime": "2023-07-19T21:33:41Z",
  "eventSource": "cloudtrail.amazonaws.com",
  "eventName": "StartLogging",
  "awsRegion": "us-east-1",
  "sourceIPAddress": "192.0.2.0",
  "userAgent": "aws-cli/2.13.5 Python/3.11.4 Linux/4.14.255-314-253.539.amzn2.x86_64 exec-env/CloudShell exe/x86_64.amzn.2 prompt/off command/cloudtrail.start-logging",
  "requestParameters": {"name": "myTrail"},
  "responseElements": null,
  "requestID": "9d478fc1-4f10-490f-a26b-EXAMPLE0e932",
  "eventID": "eae87c48-d421-4626-94f5-EXAMPLEac994",
  "readOnly": false,
  "eventType": "AwsApiCall",
  "managementEvent": true,
  "recipientAccountId": "123456789012",
  "eventCategory": "Management",
  "tlsDetails": {
    "tlsVersion": "TLSv1.2",
    "cipherSuite": "ECDHE-RSA-AES128-GCM-SHA256",
    "clientProvidedHostHeader": "cloudtrail.us-east-1.amazonaws.com"
  },
  "sessionCredentialFromConsole": "true",
  "aws_s3_key": "AWSLogs/123456789012/CloudTrail/us-east-1/2023/07/19/123456789012_CloudTrail_us-east-1_20230719T2135Z_q7Rw2LmZx9TbK4Pa.json.gz",
  "cloud_provider": "aws",
  "cloud_account_id": "123456789012",
  "cloud_region": "us-east-1"
}`

// numberedLogs returns n records with map bodies {"seq": i, "pad": <pad bytes>}; typeOf, when set, gives
// record i a logzio.type attribute.
func numberedLogs(n, pad int, typeOf func(i int) string) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("cloud.account.id", "123456789012")
	records := rl.ScopeLogs().AppendEmpty().LogRecords()
	for i := range n {
		lr := records.AppendEmpty()
		lr.SetTimestamp(pcommon.NewTimestampFromTime(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)))
		body := lr.Body().SetEmptyMap()
		body.PutInt("seq", int64(i))
		body.PutStr("pad", strings.Repeat("p", pad))
		if typeOf != nil {
			if docType := typeOf(i); docType != "" {
				lr.Attributes().PutStr("logzio.type", docType)
			}
		}
	}
	return ld
}

// assertEachSeqOnce checks that the listener stored records 0..n-1 exactly once each, skipping those in missing.
func assertEachSeqOnce(t *testing.T, l *logziotest.Listener, n int, missing ...int) {
	t.Helper()
	seen := map[int]int{}
	for _, doc := range l.Docs() {
		seq, ok := doc["seq"].(float64)
		require.True(t, ok, "document without seq: %v", doc)
		seen[int(seq)]++
	}
	skip := map[int]bool{}
	for _, m := range missing {
		skip[m] = true
	}
	for i := range n {
		want := 1
		if skip[i] {
			want = 0
		}
		assert.Equal(t, want, seen[i], "times record %d was stored", i)
	}
	assert.Len(t, l.Docs(), n-len(missing), "no document is stored twice")
}

func assertNoViolations(t *testing.T, l *logziotest.Listener) {
	t.Helper()
	assert.Empty(t, l.Violations(), "the exporter broke the listener contract")
}
