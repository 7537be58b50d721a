// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

// messageRecords are the records the message tests feed both ways: generated ones (compact, every identity type,
// failed calls, nested parameters) and AWS's documented examples as the samples hold them (pretty-printed, so they
// take the map path even with pass-through), an Insights event among them.
func messageRecords(t testing.TB) [][]byte {
	t.Helper()
	out := cloudtrailtest.Records(11, 300, "123456789012", "eu-west-1", genStart)
	for _, name := range []string{"aws-docs-records.json", "aws-docs-insight.json", "aws-docs-updatetrail-error.json", "aws-docs-ec2-startinstances.json"} {
		for _, r := range recordsOf(t, readTestdata(t, name)) {
			out = append(out, []byte(r))
		}
	}
	return out
}

// logFile is the CloudTrail log file holding records.
func logFile(records [][]byte) []byte {
	return append(append([]byte(`{"Records":[`), bytes.Join(records, []byte(","))...), "]}"...)
}

// withoutObjectAttributes removes the S3 object's attributes, which messages do not have, from every record.
func withoutObjectAttributes(logs plog.Logs) plog.Logs {
	for _, rl := range logs.ResourceLogs().All() {
		for _, sl := range rl.ScopeLogs().All() {
			for _, lr := range sl.LogRecords().All() {
				lr.Attributes().RemoveIf(func(k string, _ pcommon.Value) bool { return k == "aws.s3.bucket" || k == "aws.s3.key" })
			}
		}
	}
	return logs
}

func otlpJSON(t testing.TB, logs plog.Logs) string {
	t.Helper()
	b, err := (&plog.JSONMarshaler{}).MarshalLogs(logs)
	require.NoError(t, err)
	return string(b)
}

// TestMessagesMatchLogFile: each record given as a message becomes exactly the log record the log-file decoder makes
// of it (resources, scope, timestamps, severity, body in member order, attributes), but for the object's attributes,
// with every option that shapes a record.
func TestMessagesMatchLogFile(t *testing.T) {
	records := messageRecords(t)
	readOnly := true
	selection, err := NewSelector(SelectionConfig{Exclude: []EventRule{{ReadOnly: &readOnly}}})
	require.NoError(t, err)
	for name, opts := range map[string]Options{
		"map":                           {},
		"pass-through":                  {PassThrough: true},
		"semantic attributes":           {SemanticAttributes: true},
		"pass-through with semconv":     {PassThrough: true, SemanticAttributes: true},
		"event selection":               {Selection: selection},
		"pass-through, event selection": {PassThrough: true, Selection: selection},
		"max value bytes":               {MaxValueBytes: 300},
		"pass-through, max value bytes": {PassThrough: true, MaxValueBytes: 300},
	} {
		t.Run(name, func(t *testing.T) {
			opts.ScopeName, opts.ScopeVersion = "scope", "v1.2.3"
			opts.MaxBatchRecords = 100000
			batches, stats, err := decodeAll(t, opts, bytes.NewReader(logFile(records)))
			require.NoError(t, err)
			require.Len(t, batches, 1)
			require.Zero(t, stats.SkippedRecords)

			batch := NewMessageDecoder(opts).NewBatch(testObserved)
			added, dropped := 0, 0
			for i, r := range records {
				outcome, lr := batch.Add(string(r), "123456789012")
				switch outcome {
				case Added:
					added++
					assert.NotZero(t, lr.Timestamp(), "record %d", i)
				case Dropped:
					dropped++
				default:
					t.Fatalf("record %d is not read as a CloudTrail record: %.200s", i, r)
				}
			}
			assert.Equal(t, added, batch.Added())
			assert.Equal(t, dropped, batch.Dropped())
			require.EqualValues(t, stats.Records, added)
			require.EqualValues(t, stats.DroppedRecords, dropped)
			if opts.Selection != nil {
				require.NotZero(t, dropped, "the rule excludes some records")
			}
			got := batch.Logs()
			require.Equal(t, otlpJSON(t, withoutObjectAttributes(batches[0])), otlpJSON(t, got))
			strBodies := 0
			for _, rec := range flatten([]plog.Logs{got}) {
				if rec.record.Body().Type() == pcommon.ValueTypeStr {
					strBodies++
				}
			}
			if opts.PassThrough {
				assert.Greater(t, strBodies, added/2, "compact records pass through")
			} else {
				assert.Zero(t, strBodies)
			}
		})
	}
}

// TestMessagesThatAreNotRecords: what does not start as a CloudTrail record, or that the log-file decoder would not
// ship, is NotRecord (for the caller to ship as it is), never an error and never half added.
func TestMessagesThatAreNotRecords(t *testing.T) {
	deep := `{"eventVersion":"1.08","eventTime":"2024-03-01T12:00:00Z","x":` + strings.Repeat("[", 1200) + strings.Repeat("]", 1200) + "}"
	for _, msg := range []string{
		"",
		"START RequestId: 6f0c1a Version: $LATEST",
		`{"level":"info","msg":"eventVersion"}`,
		`{"eventTime":"2024-03-01T12:00:00Z","eventVersion":"1.08"}`, // CloudTrail writes eventVersion first
		`["eventVersion"]`,
		`{"eventVersion"}`,
		`{"eventVersion":"1.08","eventName":"GetObject"}`,                     // no eventTime
		`{"eventVersion":"1.08","eventTime":"yesterday"}`,                     // an eventTime the S3 path skips
		`{"eventVersion":"1.08","eventTime":"2024-03-01T12:00:00Z"`,           // truncated
		`{"eventVersion":"1.08","eventTime":"2024-03-01T12:00:00Z"} trailing`, // more than one value
		`{"eventVersion":"1.08","eventTime":"2024-03-01T12:00:00Z"}{"eventVersion":"1.08"}`,
		`{"eventVersion":"1.08","eventTime":"2024-03-01T12:00:00Z","bad":tru}`,  // invalid JSON
		`{"eventVersion":"1.08","eventTime":"2024-03-01T12:00:00Z","x":"\u12"}`, // invalid escape
		deep,
	} {
		for _, passThrough := range []bool{false, true} {
			batch := NewMessageDecoder(Options{PassThrough: passThrough}).NewBatch(testObserved)
			outcome, lr := batch.Add(msg, "123456789012")
			assert.Equal(t, NotRecord, outcome, "pass-through %v: %.100s", passThrough, msg)
			assert.Equal(t, plog.LogRecord{}, lr)
			// The batch goes on: a record after it is added.
			outcome, _ = batch.Add(`{"eventVersion":"1.08","eventTime":"2024-03-01T12:00:00Z"}`, "")
			assert.Equal(t, Added, outcome)
			assert.Equal(t, 1, batch.Logs().LogRecordCount())
		}
	}
}

// TestMessageWhitespace: whitespace around the record and between its tokens is allowed, as in log files.
func TestMessageWhitespace(t *testing.T) {
	batch := NewMessageDecoder(Options{PassThrough: true}).NewBatch(testObserved)
	outcome, lr := batch.Add(" \n{ \"eventVersion\" : \"1.08\", \"eventTime\": \"2024-03-01T12:00:00Z\", \"awsRegion\": \"us-west-2\"}\r\n", "210987654321")
	require.Equal(t, Added, outcome)
	assert.Equal(t, "2024-03-01T12:00:00Z", lr.Timestamp().AsTime().Format("2006-01-02T15:04:05Z"))
	assert.Equal(t, pcommon.ValueTypeMap, lr.Body().Type(), "whitespace between tokens takes the map path, as in log files")
	logs := batch.Logs()
	assert.Equal(t, map[string]any{"cloud.provider": "aws", "cloud.account.id": "210987654321", "cloud.region": "us-west-2"},
		logs.ResourceLogs().At(0).Resource().Attributes().AsRaw(), "the fallback account when the record names none")
}

// TestMessageRecordsOwnTheirBytes: the batch copies what it keeps; the message's buffer, reused for the next message,
// changes nothing already added.
func TestMessageRecordsOwnTheirBytes(t *testing.T) {
	for _, opts := range []Options{{}, {PassThrough: true}, {PassThrough: true, SemanticAttributes: true}} {
		batch := NewMessageDecoder(opts).NewBatch(testObserved)
		records := cloudtrailtest.Records(5, 50, "123456789012", "us-east-2", genStart)
		buf := make([]byte, 0, 64<<10)
		for _, r := range records {
			buf = append(buf[:0], r...)
			outcome, _ := batch.Add(bytesView(buf), "")
			require.Equal(t, Added, outcome)
			clear(buf)
		}
		logs := batch.Logs()
		i := 0
		for _, rl := range logs.ResourceLogs().All() {
			for _, lr := range rl.ScopeLogs().At(0).LogRecords().All() {
				body := lr.Body()
				if body.Type() == pcommon.ValueTypeStr {
					require.Equal(t, string(records[i]), body.Str())
				} else {
					require.Equal(t, orderedFromJSON(t, records[i]), orderedFromValue(body))
				}
				i++
			}
		}
		require.Equal(t, len(records), i)
	}
}

// TestIsRecordMessage: the cheap first test.
func TestIsRecordMessage(t *testing.T) {
	for msg, want := range map[string]bool{
		`{"eventVersion":"1.08"}`:                   true,
		"\t{\n  \"eventVersion\" :\"1.0\"":          true, // the rest is Add's business
		`{"eventVersion"`:                           false,
		`{"eventversion":"1.08"}`:                   false,
		`{"userIdentity":{},"eventVersion":"1.08"}`: false,
		`x{"eventVersion":"1.08"}`:                  false,
		`{`:                                         false,
	} {
		assert.Equal(t, want, IsRecordMessage(msg), "%q", msg)
	}
}

// FuzzMessage: whatever a message holds, Add never panics, adds at most one record, and adds one exactly when it
// says so.
func FuzzMessage(f *testing.F) {
	for _, r := range cloudtrailtest.Records(3, 2, "123456789012", "us-east-1", genStart) {
		f.Add(string(r))
	}
	f.Add(`{"eventVersion":"1.08","eventTime":"2024-03-01T12:00:00Z"} `)
	f.Add(`{"eventVersion":"1.08","eventTime":"2024-03-01T12:00:00Z","a":"\ud800"}`)
	readOnly := true
	selection, err := NewSelector(SelectionConfig{Exclude: []EventRule{{ReadOnly: &readOnly}}})
	require.NoError(f, err)
	decoders := []*MessageDecoder{
		NewMessageDecoder(Options{}),
		NewMessageDecoder(Options{PassThrough: true, SemanticAttributes: true, MaxValueBytes: 256}),
		NewMessageDecoder(Options{PassThrough: true, Selection: selection}),
	}
	f.Fuzz(func(t *testing.T, msg string) {
		for _, d := range decoders {
			batch := d.NewBatch(testObserved)
			outcome, _ := batch.Add(msg, "123456789012")
			want := 0
			if outcome == Added {
				want = 1
			}
			if n := batch.Logs().LogRecordCount(); n != want {
				t.Fatalf("outcome %v but %d records", outcome, n)
			}
		}
	})
}

// ExampleMessageBatch shows the calls a receiver makes for the messages of one request.
func ExampleMessageBatch() {
	decoder := NewMessageDecoder(Options{PassThrough: true, ScopeName: "example"})
	batch := decoder.NewBatch(testObserved)
	for _, message := range []string{
		`{"eventVersion":"1.08","eventTime":"2024-03-01T12:00:00Z","recipientAccountId":"111111111111","awsRegion":"us-east-1","eventName":"ConsoleLogin"}`,
		`START RequestId: 6f0c1a Version: $LATEST`,
	} {
		outcome, lr := batch.Add(message, "111111111111")
		if outcome == Added {
			lr.Attributes().PutStr("source", "log group")
		}
		fmt.Println(outcome)
	}
	logs := batch.Logs()
	fmt.Println(logs.LogRecordCount(), logs.ResourceLogs().At(0).ScopeLogs().At(0).Scope().Attributes().AsRaw())
	b, _ := json.Marshal(logs.ResourceLogs().At(0).Resource().Attributes().AsRaw())
	fmt.Println(string(b))
	// Output:
	// added
	// not a record
	// 1 map[logzio.body_format:json]
	// {"cloud.account.id":"111111111111","cloud.provider":"aws","cloud.region":"us-east-1"}
}
