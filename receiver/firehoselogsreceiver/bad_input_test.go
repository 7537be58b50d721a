// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
)

// TestBadInputOverHTTP sends one receiver, over real HTTP, the requests a broken or hostile sender makes, each answered
// 400 or 413 with what is wrong and nothing of it delivered, between valid CloudTrail requests that are delivered
// whole: a bad request costs nothing but itself. (A bad record in a request with good ones refuses the whole request:
// TestAnswers.)
func TestBadInputOverHTTP(t *testing.T) {
	cfg := testConfig()
	cfg.Format = FormatSubscription // with format auto a record that is neither gzip nor a document is extracted messages
	sink := new(consumertest.LogsSink)
	url := startReceiver(t, cfg, sink)
	trail := awsDocsRecords(t, "aws-docs-records.json")
	for i := range trail {
		trail[i] = compacted(t, trail[i])
	}
	validRequest := func(id string) {
		t.Helper()
		before := sink.LogRecordCount()
		body := firehosetest.Body(id, gzipped(t, trailDocument(t, "111111111111", "123456789012", "us-east-1", trail, 0)))
		firehosetest.RequireAnswer(t, firehosetest.Post(t, url, body, firehoseHeaders(id), false), 200, id, "")
		require.Equal(t, before+len(trail), sink.LogRecordCount(), "the valid request %s is delivered whole", id)
	}

	const prefix = `{"messageType":"DATA_MESSAGE","owner":"111111111111","logGroup":"g","logStream":"s","logEvents":[{"id":"1","timestamp":1,"message":"`
	var recordBomb, tooLargeRecordBomb, bodyBomb bytes.Buffer
	// The largest bomb one Firehose record can carry (gzip cannot pack more than about 1,000:1): 0.9 GiB.
	require.NoError(t, writeGzip(&recordBomb, prefix, 'A', 900<<20, `"}]}`))
	require.Less(t, recordBomb.Len(), cfg.MaxRecordSize)
	// 1 GiB in one record: over max_record_size before anything is decompressed.
	require.NoError(t, writeGzip(&tooLargeRecordBomb, prefix, 'A', 1<<30, `"}]}`))
	// 1 GiB as the request body itself (Content-Encoding: gzip): JSON whitespace, valid until it ends.
	require.NoError(t, writeGzip(&bodyBomb, `{"requestId":"body-bomb","records":[`, ' ', 1<<30, `]}`))
	gzipHeaders := firehoseHeaders("body-bomb")
	gzipHeaders["Content-Encoding"] = "gzip"
	capped := testConfig()
	tenThousand := gzipped(t, manyEvents(10_000))
	tooMany := make([][]byte, 10_001)
	control := gzipped(t, []byte(controlDocument))
	for i := range tooMany {
		tooMany[i] = control
	}

	validRequest("valid-before")
	for _, tt := range []struct {
		name    string
		id      string
		body    []byte
		headers map[string]string
		status  int
		errMsg  string
	}{
		{name: "a record that is not gzip", id: "plain", body: firehosetest.Body("plain", []byte("2026-01-02 a log line\n")), status: 400,
			errMsg: "record 0 could not be decoded: not a CloudWatch Logs subscription document (JSON with messageType and logEvents): invalid character"},
		{name: "a record that starts like gzip", id: "bad-gzip", body: firehosetest.Body("bad-gzip", gzipped(t, trail[0])[:40]), status: 400,
			errMsg: "record 0 could not be decoded: the record is not valid gzip: unexpected EOF"},
		{name: "gzip that is not JSON", id: "gzip-text", body: firehosetest.Body("gzip-text", gzipped(t, []byte("not JSON at all"))), status: 400,
			errMsg: "record 0 could not be decoded: not a CloudWatch Logs subscription document (JSON with messageType and logEvents): invalid character 'o' in literal null"},
		{name: "gzip of a JSON document that is not a subscription", id: "gzip-other", body: firehosetest.Body("gzip-other", gzipped(t, logFileOf(trail))), status: 400,
			errMsg: `record 0 could not be decoded: messageType "" is neither DATA_MESSAGE nor CONTROL_MESSAGE`},
		{name: "a 0.9 GiB gzip bomb in a record", id: "record-bomb", body: firehosetest.Body("record-bomb", recordBomb.Bytes()), status: 400,
			errMsg: "record 0 could not be decoded: the record decompresses to more than max_decompressed_record_size (16777216 bytes)"},
		{name: "a 1 GiB gzip bomb in a record", id: "record-1g", body: firehosetest.Body("record-1g", tooLargeRecordBomb.Bytes()), status: 400,
			errMsg: "record 0 could not be decoded: record larger than 1024000 bytes once decoded"},
		{name: "a 1 GiB gzip bomb as the body", id: "body-bomb", body: bodyBomb.Bytes(), headers: gzipHeaders, status: 413,
			errMsg: "max_request_body_size"},
		{name: "10,001 records", id: "too-many", body: firehosetest.Body("too-many", tooMany...), status: 400,
			errMsg: "malformed Firehose request: more than 10000 records"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			headers := tt.headers
			if headers == nil {
				headers = firehoseHeaders(tt.id)
			}
			before := sink.LogRecordCount()
			runtime.GC()
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			firehosetest.RequireAnswer(t, firehosetest.Post(t, url, tt.body, headers, false), tt.status, tt.id, tt.errMsg)
			runtime.ReadMemStats(&m1)
			assert.Equal(t, before, sink.LogRecordCount(), "nothing of a refused request is delivered")
			assert.Less(t, m1.TotalAlloc-m0.TotalAlloc, uint64(96<<20), "refusing it allocates far less than the decompressed size")
		})
	}
	validRequest("valid-after")

	// 10,000 log events in one record: Firehose counts records, not events; every event is delivered, in one call.
	calls := len(sink.AllLogs())
	firehosetest.RequireAnswer(t, firehosetest.Post(t, url, firehosetest.Body("ten-thousand", tenThousand), firehoseHeaders("ten-thousand"), true), 200, "ten-thousand", "")
	require.Len(t, sink.AllLogs(), calls+1)
	assert.Equal(t, 10_000, sink.AllLogs()[calls].LogRecordCount())

	// The same record over a lower max_decompressed_record_size: 400, naming the cap to raise.
	capped.MaxDecompressedRecordSize = 512 << 10
	cappedURL := startReceiver(t, capped, sink)
	firehosetest.RequireAnswer(t, firehosetest.Post(t, cappedURL, firehosetest.Body("capped", tenThousand), firehoseHeaders("capped"), false), 400, "capped",
		"record 0 could not be decoded: the record decompresses to more than max_decompressed_record_size (524288 bytes); raise it if the stream's records are that large")
	assert.Len(t, sink.AllLogs(), calls+1)
}

// logFileOf is a CloudTrail log file (S3 path) of records: JSON, but not a subscription document.
func logFileOf(records [][]byte) []byte {
	return append(append([]byte(`{"Records":[`), bytes.Join(records, []byte(","))...), "]}"...)
}
