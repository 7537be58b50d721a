// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	userGuideResource = `aws.log.group.names=["CloudTrail"] aws.log.stream.names=["111111111111_CloudTrail_us-east-1"] cloud.account.id=111111111111 cloud.provider=aws`
	rootMessage       = `"{\"eventVersion\":\"1.03\",\"userIdentity\":{\"type\":\"Root\"}"`
)

// The documented subscription document, gzip-compressed as CloudWatch Logs sends it: one log record per event, with
// the log group, stream and account on the resource and the event id as log.record.uid.
func TestGzipSubscriptionRecord(t *testing.T) {
	logs, dec, err := decodeRecords(t, testConfig(), gzipped(t, readSample(t, "cloudwatch-logs-subscription.json")))
	require.NoError(t, err)
	assert.Equal(t, []string{
		userGuideResource + " | 1432826855000 | log.record.uid=31953106606966983378809025079804211143289615424298221568 | " + rootMessage,
		userGuideResource + " | 1432826855000 | log.record.uid=31953106606966983378809025079804211143289615424298221569 | " + rootMessage,
		userGuideResource + " | 1432826855000 | log.record.uid=31953106606966983378809025079804211143289615424298221570 | " + rootMessage,
	}, rendered(logs))
	assert.Equal(t, FormatSubscription, dec.detected)
	assert.Equal(t, 1, logs.ResourceLogs().Len(), "one resource per log stream")
	assert.Equal(t, 1, dec.records)
	assert.Zero(t, dec.controlMessages)
}

// AWS's own CloudWatch Logs sample event data (base64 of gzip, byte for byte as published) as a Firehose record.
func TestAWSSampleEventRecord(t *testing.T) {
	logs, _, err := decodeRecords(t, testConfig(), lambdaSampleRecord(t))
	require.NoError(t, err)
	res := `aws.log.group.names=["testLogGroup"] aws.log.stream.names=["testLogStream"] cloud.account.id=123456789123 cloud.provider=aws`
	assert.Equal(t, []string{
		res + ` | 1440442987000 | log.record.uid=eventId1 | "[ERROR] First test message"`,
		res + ` | 1440442987001 | log.record.uid=eventId2 | "[ERROR] Second test message"`,
	}, rendered(logs))
}

// The message is the body as CloudWatch Logs holds it, trailing tab and newline included.
func TestMessageIsKeptAsIs(t *testing.T) {
	logs, _, err := decodeRecords(t, testConfig(), gzipped(t, readSample(t, "lambda-message-data.json")))
	require.NoError(t, err)
	require.Equal(t, 1, logs.LogRecordCount())
	lr := logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0)
	assert.Equal(t, "REPORT RequestId: 6234bffe-149a-b642-81ff-2e8e376d8aff\tDuration: 46.84 ms\tBilled Duration: 47 ms \tMemory Size: 192 MB\tMax Memory Used: 72 MB\t\n", lr.Body().Str())
	assert.Equal(t, int64(1552518348220), lr.Timestamp().AsTime().UnixMilli())
	assert.Equal(t, "/aws/lambda/echo-nodejs", logs.ResourceLogs().At(0).Resource().Attributes().AsRaw()["aws.log.group.names"].([]any)[0])
}

// Firehose's decompression (message extraction off) delivers the document uncompressed: read the same way, in auto
// and subscription formats.
func TestDecompressedSubscriptionRecord(t *testing.T) {
	res := `aws.log.group.names=["CloudTrail/logs"] aws.log.stream.names=["111111111111_CloudTrail/logs_us-east-1"] cloud.account.id=111111111111 cloud.provider=aws`
	want := []string{
		res + ` | 1432826855000 | log.record.uid=31953106606966983378809025079804211143289615424298221568 | "{\"eventVersion\":\"1.03\",\"userIdentity\":{\"type\":\"Root1\"}"`,
		res + ` | 1432826855000 | log.record.uid=31953106606966983378809025079804211143289615424298221569 | "{\"eventVersion\":\"1.03\",\"userIdentity\":{\"type\":\"Root2\"}"`,
		res + ` | 1432826855000 | log.record.uid=31953106606966983378809025079804211143289615424298221570 | "{\"eventVersion\":\"1.03\",\"userIdentity\":{\"type\":\"Root3\"}"`,
	}
	for _, format := range []Format{FormatAuto, FormatSubscription} {
		cfg := testConfig()
		cfg.Format = format
		logs, dec, err := decodeRecords(t, cfg, readSample(t, "firehose-decompressed.json"))
		require.NoError(t, err, format)
		assert.Equal(t, want, rendered(logs), format)
		assert.Equal(t, FormatSubscription, dec.detected)
	}
}

// With message extraction, a record holds the messages alone, one per line: one log record each, without metadata
// (cloud.provider only, no timestamp: only the observed time).
func TestExtractedMessagesRecord(t *testing.T) {
	want := []string{
		`cloud.provider=aws | 0 |  | "{\"eventVersion\":\"1.03\",\"userIdentity\":{\"type\":\"Root1\"}"`,
		`cloud.provider=aws | 0 |  | "{\"eventVersion\":\"1.03\",\"userIdentity\":{\"type\":\"Root2\"}"`,
		`cloud.provider=aws | 0 |  | "{\"eventVersion\":\"1.03\",\"userIdentity\":{\"type\":\"Root3\"}"`,
	}
	for _, format := range []Format{FormatAuto, FormatMessages} {
		cfg := testConfig()
		cfg.Format = format
		logs, dec, err := decodeRecords(t, cfg, readSample(t, "firehose-extracted-messages.txt"))
		require.NoError(t, err, format)
		assert.Equal(t, want, rendered(logs), format)
		assert.Equal(t, FormatMessages, dec.detected)
		assert.Equal(t, 1, logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).ObservedTimestamp().AsTime().Nanosecond(), "observed time set")
	}
}

// Extracted messages: CRLF line ends, empty lines and invalid UTF-8 (replaced, as encoding/json does in documents);
// a single JSON message without messageType, or a JSON object that only mentions messageType, is a message too.
func TestExtractedMessageEdges(t *testing.T) {
	logs, _, err := decodeRecords(t, testConfig(),
		[]byte("first\r\n\n\nsecond \xff\n"),
		[]byte(`{"eventVersion":"1.08","eventName":"ConsoleLogin"}`),
		[]byte(`{"note":"the word \"messageType\" in a message"}`+"\n"+`{"other":1}`))
	require.NoError(t, err)
	assert.Equal(t, []string{
		`cloud.provider=aws | 0 |  | "first"`,
		"cloud.provider=aws | 0 |  | \"second \uFFFD\"",
		`cloud.provider=aws | 0 |  | "{\"eventVersion\":\"1.08\",\"eventName\":\"ConsoleLogin\"}"`,
		`cloud.provider=aws | 0 |  | "{\"note\":\"the word \\\"messageType\\\" in a message\"}"`,
		`cloud.provider=aws | 0 |  | "{\"other\":1}"`,
	}, rendered(logs))
}

// controlDocument is a CONTROL_MESSAGE record with the documented fields.
const controlDocument = `{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],` +
	`"logEvents":[{"id":"","timestamp":1432826855000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}`

// CONTROL_MESSAGE records are acknowledged and dropped, and counted; beside data records they change nothing.
func TestControlMessagesAreDropped(t *testing.T) {
	logs, dec, err := decodeRecords(t, testConfig(), gzipped(t, []byte(controlDocument)), []byte(controlDocument))
	require.NoError(t, err)
	assert.Zero(t, logs.LogRecordCount())
	assert.Equal(t, 2, dec.controlMessages)
	assert.Equal(t, FormatSubscription, dec.detected)

	logs, dec, err = decodeRecords(t, testConfig(), gzipped(t, []byte(controlDocument)), lambdaSampleRecord(t))
	require.NoError(t, err)
	assert.Equal(t, 2, logs.LogRecordCount())
	assert.Equal(t, 1, dec.controlMessages)
	assert.Equal(t, 2, dec.records)
}

// Records that are not what CloudWatch Logs sends fail with a message saying what is wrong.
func TestBadRecords(t *testing.T) {
	document := readSample(t, "cloudwatch-logs-subscription.json")
	compressed := gzipped(t, document)
	for _, tt := range []struct {
		name   string
		format Format
		record []byte
		want   string
	}{
		{name: "bad gzip header", record: []byte{0x1f, 0x8b, 0x00, 0x01, 0x02}, want: "the record starts like gzip but is not valid gzip"},
		{name: "truncated gzip", record: compressed[:len(compressed)/2], want: "the record is not valid gzip: unexpected EOF"},
		{name: "gzip checksum", record: corruptTrailer(compressed), want: "the record is not valid gzip: gzip: invalid checksum"},
		{name: "gzip of text", record: gzipped(t, []byte("just a line\n")), want: "not a CloudWatch Logs subscription document (JSON with messageType and logEvents): invalid character 'j'"},
		{name: "gzip of truncated JSON", record: gzipped(t, document[:100]), want: "not a CloudWatch Logs subscription document (JSON with messageType and logEvents): unexpected end of JSON input"},
		{name: "gzip of JSON without messageType", record: gzipped(t, []byte(`{"logEvents":[]}`)), want: `messageType "" is neither DATA_MESSAGE nor CONTROL_MESSAGE`},
		{name: "gzip of an unknown messageType", record: gzipped(t, []byte(`{"messageType":"OTHER"}`)), want: `messageType "OTHER" is neither`},
		{name: "gzip of a JSON array", record: gzipped(t, []byte(`[1]`)), want: "cannot unmarshal array"},
		{name: "event of the wrong type", record: gzipped(t, []byte(`{"messageType":"DATA_MESSAGE","logEvents":[{"timestamp":"soon"}]}`)), want: "cannot unmarshal string"},
		{name: "gzip with format messages", format: FormatMessages, record: compressed, want: "but format is messages: set format: auto or subscription"},
		{name: "text with format subscription", format: FormatSubscription, record: []byte("a message\n"), want: "not a CloudWatch Logs subscription document"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			if tt.format != "" {
				cfg.Format = tt.format
			}
			_, _, err := decodeRecords(t, cfg, tt.record)
			require.Error(t, err)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

// corruptTrailer flips a bit of the gzip CRC-32.
func corruptTrailer(gz []byte) []byte {
	out := bytes.Clone(gz)
	out[len(out)-8] ^= 0x01
	return out
}

// TestGzipBombIsCapped: a record that decompresses to 1 GiB stops at max_decompressed_record_size, with memory far
// below the decompressed size.
func TestGzipBombIsCapped(t *testing.T) {
	const bombSize = 1 << 30
	prefix := `{"messageType":"DATA_MESSAGE","logEvents":[{"message":"`
	var bomb bytes.Buffer
	require.NoError(t, writeGzip(&bomb, prefix, 'A', bombSize, `"}]}`))
	t.Logf("a %d MiB gzip record decompressing to %d MiB", bomb.Len()>>20, bombSize>>20)

	cfg := testConfig()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	logs, _, err := decodeRecords(t, cfg, bomb.Bytes())
	runtime.ReadMemStats(&after)
	require.ErrorContains(t, err, "the record decompresses to more than max_decompressed_record_size (16777216 bytes)")
	assert.Zero(t, logs.LogRecordCount())
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %.1f MiB while refusing it", float64(allocated)/(1<<20))
	assert.Less(t, allocated, uint64(64<<20), "memory use stays far below the decompressed size")

	// The request's budget caps records that each fit under the record cap.
	cfg.MaxDecompressedRecordSize = 8 << 20
	cfg.MaxDecompressedRequestSize = 12 << 20
	var half bytes.Buffer
	require.NoError(t, writeGzip(&half, prefix, 'A', 7<<20, `"}]}`))
	_, _, err = decodeRecords(t, cfg, half.Bytes(), half.Bytes())
	require.ErrorContains(t, err, "record 1: the request's records decompress to more than max_decompressed_request_size (12582912 bytes)")
}

// writeGzip writes gzip(prefix + size bytes of fill + suffix) to w, generated chunk by chunk.
func writeGzip(w io.Writer, prefix string, fill byte, size int, suffix string) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return err
	}
	if _, err = zw.Write([]byte(prefix)); err != nil {
		return err
	}
	chunk := bytes.Repeat([]byte{fill}, 1<<20)
	for written := 0; written < size; written += len(chunk) {
		if _, err = zw.Write(chunk); err != nil {
			return err
		}
	}
	if _, err = zw.Write([]byte(suffix)); err != nil {
		return err
	}
	return zw.Close()
}

// manyEvents is a subscription document of n events.
func manyEvents(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"messageType":"DATA_MESSAGE","owner":"111111111111","logGroup":"/aws/lambda/busy","logStream":"2026/12/05/[$LATEST]0123456789abcdef","subscriptionFilters":["all"],"logEvents":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"%056d","timestamp":%d,"message":"START RequestId: %08d-aaaa-bbbb-cccc-dddddddddddd Version: $LATEST\n"}`, i, 1764892800000+int64(i), i)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// 10,000 log events in one record: every one becomes a log record, in order, under one resource.
func TestTenThousandEventsInOneRecord(t *testing.T) {
	const events = 10_000
	record := gzipped(t, manyEvents(events))
	require.Less(t, len(record), 1_024_000, "fits in one Firehose record")
	logs, _, err := decodeRecords(t, testConfig(), record)
	require.NoError(t, err)
	require.Equal(t, events, logs.LogRecordCount())
	require.Equal(t, 1, logs.ResourceLogs().Len())
	lrs := logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	for _, i := range []int{0, 4999, events - 1} {
		lr := lrs.At(i)
		assert.Equal(t, fmt.Sprintf("START RequestId: %08d-aaaa-bbbb-cccc-dddddddddddd Version: $LATEST\n", i), lr.Body().Str())
		assert.Equal(t, 1764892800000+int64(i), lr.Timestamp().AsTime().UnixMilli())
		uid, _ := lr.Attributes().Get("log.record.uid")
		assert.Equal(t, fmt.Sprintf("%056d", i), uid.Str())
	}
}

// The Firehose parser hands every record in one reused buffer: scribbling over it after each record must not change
// the log records.
func TestRecordBytesAreNotRetained(t *testing.T) {
	records := [][]byte{
		gzipped(t, readSample(t, "cloudwatch-logs-subscription.json")),
		readSample(t, "firehose-decompressed.json"),
		readSample(t, "firehose-extracted-messages.txt"),
	}
	want, _, err := decodeRecords(t, testConfig(), records...)
	require.NoError(t, err)

	out := newLogsBuilder("scope", "test", 1)
	dec := newRecordDecoder(testConfig(), plainDecoder{}, out)
	for _, r := range records {
		data := bytes.Clone(r)
		require.NoError(t, dec.add(data))
		for i := range data {
			data[i] = 0xff
		}
	}
	assert.Equal(t, rendered(want), rendered(out.logs))
}
