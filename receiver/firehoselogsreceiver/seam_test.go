// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

// shapedDecoder is a minimal decoder other than plainDecoder (cloudTrailDecoder is the real one): what it does is all
// that a messageDecoder can do — a map body, the timestamp from the record, a resource per record's account and
// region, and dropping events (selection).
type shapedDecoder struct{}

func (shapedDecoder) decodeEvent(_ *eventOrigin, event *logEvent, out *logsBuilder) error {
	var record map[string]any
	if err := json.Unmarshal([]byte(event.Message), &record); err != nil {
		return fmt.Errorf("not a CloudTrail record: %w", err)
	}
	if record["readOnly"] == true {
		return nil // not selected
	}
	eventTime, err := time.Parse(time.RFC3339, record["eventTime"].(string))
	if err != nil {
		return err
	}
	lr := out.appendRecord(resourceKey{Account: record["recipientAccountId"].(string), Region: record["awsRegion"].(string)})
	lr.SetTimestamp(pcommon.NewTimestampFromTime(eventTime))
	return lr.Body().SetEmptyMap().FromRaw(record)
}

// TestMessageDecoderSeam: a decoder other than plainDecoder shapes the log records without anything else changing.
func TestMessageDecoderSeam(t *testing.T) {
	document := `{"messageType":"DATA_MESSAGE","owner":"111111111111","logGroup":"aws-cloudtrail-logs","logStream":"111111111111_CloudTrail_us-east-1","logEvents":[` +
		`{"id":"1","timestamp":1764892800500,"message":"{\"eventTime\":\"2026-12-05T00:00:00Z\",\"awsRegion\":\"eu-west-1\",\"recipientAccountId\":\"222222222222\",\"eventName\":\"RunInstances\",\"readOnly\":false}"},` +
		`{"id":"2","timestamp":1764892800600,"message":"{\"eventTime\":\"2026-12-05T00:00:01Z\",\"awsRegion\":\"us-east-1\",\"recipientAccountId\":\"111111111111\",\"eventName\":\"DescribeInstances\",\"readOnly\":true}"}]}`
	out := newLogsBuilder("scope", "test", 1)
	dec := newRecordDecoder(testConfig(), shapedDecoder{}, out)
	require.NoError(t, dec.add(gzipped(t, []byte(document))))

	require.Equal(t, 1, out.logs.LogRecordCount(), "the read-only event is not selected")
	rl := out.logs.ResourceLogs().At(0)
	assert.Equal(t, map[string]any{"cloud.provider": "aws", "cloud.account.id": "222222222222", "cloud.region": "eu-west-1"}, rl.Resource().Attributes().AsRaw())
	lr := rl.ScopeLogs().At(0).LogRecords().At(0)
	assert.Equal(t, "2026-12-05T00:00:00Z", lr.Timestamp().AsTime().UTC().Format(time.RFC3339), "eventTime, not the CloudWatch Logs timestamp")
	assert.Equal(t, "RunInstances", lr.Body().Map().AsRaw()["eventName"])

	// An error of the decoder refuses the record, naming the event.
	bad := `{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1,"message":"not json"}]}`
	require.ErrorContains(t, newRecordDecoder(testConfig(), shapedDecoder{}, newLogsBuilder("s", "v", 1)).add([]byte(bad)), "log event 0: not a CloudTrail record")
}
