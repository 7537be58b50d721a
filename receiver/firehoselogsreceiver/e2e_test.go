// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
)

// TestEndToEnd: a request as Firehose delivers CloudWatch Logs subscriptions (gzip records, Content-Encoding gzip),
// over real HTTP, into a sink: one ConsumeLogs call with every event, one resource per log stream, the control
// message dropped, and the receiver's telemetry counting it all.
func TestEndToEnd(t *testing.T) {
	sink := new(consumertest.LogsSink)
	url, tel := startReceiverWithTelemetry(t, testConfig(), sink)

	body := firehosetest.Body("e2e-1",
		gzipped(t, readSample(t, "cloudwatch-logs-subscription.json")),
		lambdaSampleRecord(t),
		gzipped(t, []byte(controlDocument)),
		gzipped(t, readSample(t, "lambda-message-data.json")),
	)
	firehosetest.RequireAnswer(t, firehosetest.Post(t, url, body, firehoseHeaders("e2e-1"), true), 200, "e2e-1", "")

	require.Len(t, sink.AllLogs(), 1, "the whole request in one ConsumeLogs call")
	logs := sink.AllLogs()[0]
	assert.Equal(t, 6, logs.LogRecordCount())
	require.Equal(t, 3, logs.ResourceLogs().Len())
	got := rendered(logs)
	assert.Equal(t, userGuideResource+" | 1432826855000 | log.record.uid=31953106606966983378809025079804211143289615424298221568 | "+rootMessage, got[0])
	assert.Contains(t, got[3], `cloud.account.id=123456789123 cloud.provider=aws | 1440442987000 | log.record.uid=eventId1 | "[ERROR] First test message"`)
	assert.Contains(t, got[5], `aws.log.group.names=["/aws/lambda/echo-nodejs"]`)
	scope := logs.ResourceLogs().At(0).ScopeLogs().At(0).Scope()
	assert.Equal(t, "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver", scope.Name())
	assertObservedTimeSet(t, logs)

	// A retry of the accepted request is answered 200 without a second delivery.
	firehosetest.RequireAnswer(t, firehosetest.Post(t, url, body, firehoseHeaders("e2e-1"), false), 200, "e2e-1", "")
	assert.Len(t, sink.AllLogs(), 1)

	assert.Equal(t, map[string]int64{"200/subscription": 1, "200/unknown": 1}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehoselogs_requests", "http.response.status_code", "format"),
		"the retry is answered without reading its records")
	assert.Equal(t, map[string]int64{"": 4}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehoselogs_records"))
	assert.Equal(t, map[string]int64{"": 6}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehoselogs_log_records"))
	assert.Equal(t, map[string]int64{"": 1}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehoselogs_control_messages"))
	assert.Equal(t, map[string]int64{"": 1}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehoselogs_duplicate_requests"))
}

// TestEndToEndExtractedMessages: a stream with Firehose's decompression and message extraction.
func TestEndToEndExtractedMessages(t *testing.T) {
	sink := new(consumertest.LogsSink)
	url, tel := startReceiverWithTelemetry(t, testConfig(), sink)
	body := firehosetest.Body("extracted", readSample(t, "firehose-extracted-messages.txt"), readSample(t, "firehose-extracted-messages.txt"))
	firehosetest.RequireAnswer(t, firehosetest.Post(t, url, body, firehoseHeaders("extracted"), false), 200, "extracted", "")
	require.Len(t, sink.AllLogs(), 1)
	assert.Equal(t, 6, sink.AllLogs()[0].LogRecordCount())
	assert.Equal(t, map[string]int64{"200/messages": 1}, firehosetest.SumByAttributes(t, tel, "otelcol_receiver_firehoselogs_requests", "http.response.status_code", "format"))
}

func assertObservedTimeSet(t *testing.T, logs plog.Logs) {
	t.Helper()
	for i := 0; i < logs.ResourceLogs().Len(); i++ {
		lrs := logs.ResourceLogs().At(i).ScopeLogs().At(0).LogRecords()
		for j := 0; j < lrs.Len(); j++ {
			assert.NotZero(t, lrs.At(j).ObservedTimestamp(), "observed timestamp")
		}
	}
}
