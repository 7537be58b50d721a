// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver/internal/metadata"
)

// compacted is record as CloudTrail writes it: compact JSON, members in their order (eventVersion first).
func compacted(t *testing.T, record []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, json.Compact(&b, record))
	return b.Bytes()
}

// recordKey names a CloudTrail record in these tests (eventVersion 1.0 records have no eventID).
func recordKey(t *testing.T, record []byte) string {
	t.Helper()
	var r struct{ EventName, EventTime string }
	require.NoError(t, json.Unmarshal(record, &r))
	return r.EventName + " " + r.EventTime
}

// TestCloudTrailMessages: in one subscription record, the CloudTrail records get the S3 path's shape (map body,
// eventTime, resource per record's account and region, INFO or WARN) plus where they came from as record attributes;
// the other messages, and one that only starts like a record (AWS's truncated User Guide example), stay plain logs.
func TestCloudTrailMessages(t *testing.T) {
	trail := awsDocsRecords(t, "aws-docs-records.json", "aws-docs-updatetrail-error.json")
	messages := append([][]byte{[]byte("START RequestId: 6f0c1a Version: $LATEST\n")}, trail...)
	messages = append(messages, []byte(`{"eventVersion":"1.03","userIdentity":{"type":"Root"}`))
	document := trailDocument(t, "111111111111", "123456789012", "us-east-1", messages, 0)

	logs, err := decodeWith(t, testConfig(), gzipped(t, document))
	require.NoError(t, err)
	require.Equal(t, len(messages), logs.LogRecordCount())

	plain := logs.ResourceLogs().At(0)
	assert.Equal(t, map[string]any{
		"cloud.provider": "aws", "cloud.account.id": "111111111111",
		"aws.log.group.names": []any{trailLogGroup}, "aws.log.stream.names": []any{"123456789012_CloudTrail_us-east-1"},
	}, plain.Resource().Attributes().AsRaw())
	plainRecords := plain.ScopeLogs().At(0).LogRecords()
	require.Equal(t, 2, plainRecords.Len())
	assert.Equal(t, "START RequestId: 6f0c1a Version: $LATEST\n", plainRecords.At(0).Body().Str())
	assert.Equal(t, `{"eventVersion":"1.03","userIdentity":{"type":"Root"}`, plainRecords.At(1).Body().Str())
	assert.Equal(t, eventID(len(messages)-1), plainRecords.At(1).Attributes().AsRaw()["log.record.uid"])

	var got []string
	for i := 1; i < logs.ResourceLogs().Len(); i++ {
		rl := logs.ResourceLogs().At(i)
		sl := rl.ScopeLogs().At(0)
		assert.Equal(t, metadata.ScopeName, sl.Scope().Name())
		assert.Zero(t, sl.Scope().Attributes().Len(), "map bodies: no JSON body mark")
		for _, lr := range sl.LogRecords().All() {
			body := lr.Body().Map().AsRaw()
			got = append(got, body["eventName"].(string)+" "+body["eventTime"].(string))
			assert.Equal(t, body["eventTime"], lr.Timestamp().AsTime().UTC().Format(time.RFC3339), "timestamp = eventTime")
			res := rl.Resource().Attributes().AsRaw()
			assert.Equal(t, body["awsRegion"], res["cloud.region"])
			account := body["recipientAccountId"]
			if account == nil { // eventVersion 1.0
				account = body["userIdentity"].(map[string]any)["accountId"]
			}
			assert.Equal(t, account, res["cloud.account.id"])
			wantSeverity := "INFO"
			if body["errorCode"] != nil {
				wantSeverity = "WARN"
			}
			assert.Equal(t, wantSeverity, lr.SeverityText())
			attrs := lr.Attributes().AsRaw()
			assert.Equal(t, []any{trailLogGroup}, attrs["aws.log.group.names"])
			assert.Equal(t, []any{"123456789012_CloudTrail_us-east-1"}, attrs["aws.log.stream.names"])
			assert.Len(t, attrs["log.record.uid"], 56)
			assert.Len(t, attrs, 3, "no S3 object attributes: %v", attrs)
			assert.Equal(t, pcommon.Timestamp(1), lr.ObservedTimestamp())
		}
	}
	var want []string
	for _, r := range trail {
		want = append(want, recordKey(t, r))
	}
	assert.ElementsMatch(t, want, got)
}

// TestCloudTrailPassThroughAndSelection: pass_through gives string bodies in a scope marked as JSON, event_selection
// drops the records a rule excludes, and neither touches plain messages.
func TestCloudTrailPassThroughAndSelection(t *testing.T) {
	cfg := testConfig()
	cfg.CloudTrail.PassThrough = true
	cfg.CloudTrail.EventSelection = cloudtrail.SelectionConfig{Exclude: []cloudtrail.EventRule{{EventName: []string{"StartLogging"}}}}
	require.NoError(t, cfg.Validate())
	trail := awsDocsRecords(t, "aws-docs-startlogging.json", "aws-docs-ec2-startinstances.json")
	compact := make([][]byte, 0, len(trail)+1)
	for _, r := range trail {
		compact = append(compact, compacted(t, r))
	}
	compact = append(compact, []byte(`{"level":"info","eventName":"StartLogging"}`))
	logs, err := decodeWith(t, cfg, []byte(trailDocument(t, "111111111111", "123456789012", "us-east-1", compact, 0)))
	require.NoError(t, err)

	var bodies []string
	for _, rl := range logs.ResourceLogs().All() {
		sl := rl.ScopeLogs().At(0)
		for _, lr := range sl.LogRecords().All() {
			bodies = append(bodies, lr.Body().Str())
			_, marked := sl.Scope().Attributes().Get(cloudtrail.JSONBodyAttribute)
			_, isTrail := rl.Resource().Attributes().Get("cloud.region")
			assert.Equal(t, isTrail, marked, "only CloudTrail records' scope is marked as JSON bodies")
		}
	}
	require.Len(t, bodies, 2, "StartLogging excluded; the plain message kept")
	assert.Equal(t, string(compact[2]), bodies[0])
	assert.Contains(t, bodies[1], `"eventName":"StartInstances"`)
}

// TestCloudTrailDisabled: with cloudtrail.enabled false every message is a plain log, as before.
func TestCloudTrailDisabled(t *testing.T) {
	cfg := testConfig()
	cfg.CloudTrail.Enabled = false
	require.NoError(t, cfg.Validate())
	trail := awsDocsRecords(t, "aws-docs-records.json")
	logs, err := decodeWith(t, cfg, gzipped(t, trailDocument(t, "111111111111", "123456789012", "us-east-1", trail, 0)))
	require.NoError(t, err)
	require.Equal(t, 1, logs.ResourceLogs().Len())
	for _, lr := range logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().All() {
		assert.Equal(t, pcommon.ValueTypeStr, lr.Body().Type())
	}
	assert.Equal(t, len(trail), logs.LogRecordCount())
}

// TestCloudTrailExtractedMessages: with Firehose's message extraction a CloudTrail record still gets its shape (its
// account and region come from the record), without log group, stream or event id.
func TestCloudTrailExtractedMessages(t *testing.T) {
	trail := awsDocsRecords(t, "aws-docs-insight.json")
	line := compacted(t, trail[0])
	logs, err := decodeWith(t, testConfig(), append(append(line, '\n'), "a plain line\n"...))
	require.NoError(t, err)
	require.Equal(t, 2, logs.ResourceLogs().Len())
	assert.Equal(t, "a plain line", logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Body().Str())
	rl := logs.ResourceLogs().At(1)
	assert.Equal(t, map[string]any{"cloud.provider": "aws", "cloud.account.id": "123456789012", "cloud.region": "us-east-1"}, rl.Resource().Attributes().AsRaw())
	lr := rl.ScopeLogs().At(0).LogRecords().At(0)
	assert.Equal(t, "AwsCloudTrailInsight", lr.Body().Map().AsRaw()["eventType"])
	assert.Zero(t, lr.Attributes().Len())
}

// The request's CloudTrail records reach the pipeline in the same ConsumeLogs call as its other records.
func TestCloudTrailRecordsInOneBatch(t *testing.T) {
	logs, err := decodeWith(t, testConfig(), gzipped(t, readSample(t, "lambda-message-data.json")),
		gzipped(t, trailDocument(t, "111111111111", "123456789012", "us-east-1", awsDocsRecords(t, "aws-docs-records.json"), 0)))
	require.NoError(t, err)
	assert.Equal(t, 1+len(awsDocsRecords(t, "aws-docs-records.json")), logs.LogRecordCount())
	assert.IsType(t, plog.Logs{}, logs)
}

// TestCloudTrailExcludedRecordsAreCounted: the records event_selection keeps from shipping are counted once the
// request is accepted (records_dropped{reason="excluded"}), as the S3 path counts them.
func TestCloudTrailExcludedRecordsAreCounted(t *testing.T) {
	cfg := testConfig()
	cfg.CloudTrail.EventSelection = cloudtrail.SelectionConfig{Exclude: []cloudtrail.EventRule{{EventName: []string{"StartLogging"}}}}
	require.NoError(t, cfg.Validate())
	sink := new(consumertest.LogsSink)
	url, tel := startReceiverWithTelemetry(t, cfg, sink)
	trail := awsDocsRecords(t, "aws-docs-startlogging.json", "aws-docs-ec2-startinstances.json")
	compact := make([][]byte, 0, len(trail))
	for _, r := range trail {
		compact = append(compact, compacted(t, r))
	}
	record := gzipped(t, trailDocument(t, "111111111111", "123456789012", "us-east-1", compact, 0))
	firehosetest.RequireAnswer(t, firehosetest.Post(t, url, firehosetest.Body("x", record), firehoseHeaders("x"), false), 200, "x", "")
	assert.Equal(t, 1, sink.LogRecordCount(), "StartLogging excluded, StartInstances shipped")
	assert.Equal(t, map[string]int64{"excluded": 1}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehoselogs_records_dropped", "reason"))
}
