// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// jsonBodyLine builds the line of a record whose body is the JSON text raw, marked as a JSON body by its scope,
// and the line of the same record with the body decoded into a map (decodeJSON: the receiver's semantics), or left
// a string when raw is not a JSON object. Everything else (resource, attributes, times) comes from like.
func jsonBodyLines(t testing.TB, b *Builder, like plog.LogRecord, res pcommon.Resource, raw string) (fast, mapped []byte, fastErr, mapErr error) {
	t.Helper()
	lr := plog.NewLogRecord()
	like.CopyTo(lr)
	scope := pcommon.NewInstrumentationScope()
	scope.Attributes().PutStr(JSONBodyAttribute, JSONBodyFormat)
	lr.Body().SetStr(raw)
	fast, _, fastErr = b.AppendLine(nil, res, scope, lr)

	if err := decodeJSON(raw, lr.Body()); err != nil || lr.Body().Type() != pcommon.ValueTypeMap {
		lr.Body().SetStr(raw)
	}
	mapped, _, mapErr = b.AppendLine(nil, res, pcommon.NewInstrumentationScope(), lr)
	return fast, mapped, fastErr, mapErr
}

// CloudTrail records as CloudTrail writes them take the fast path, and their documents are byte for byte those of
// the map body the receiver builds.
func TestJSONBodyCloudTrailSamplesFastAndIdentical(t *testing.T) {
	b := NewBuilder(Options{})
	files, err := os.ReadDir("testdata")
	require.NoError(t, err)
	n := 0
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".json") {
			continue
		}
		for _, record := range sampleRecords(t, f.Name()) {
			raw := compactJSON(t, record)
			res, scope, lr := cloudTrailLog(t, []byte(raw))
			want, _, err := b.AppendLine(nil, res, scope, lr)
			require.NoError(t, err)

			var e encoder
			require.True(t, e.scanJSON(raw), "%s: a CloudTrail record takes the fast path: %.200s", f.Name(), raw)
			got, gotErr := fastLine(t, b, res, lr, raw)
			require.NoError(t, gotErr)
			require.Equal(t, string(want), string(got), f.Name())
			n++
		}
	}
	require.Greater(t, n, 5)
}

func fastLine(t testing.TB, b *Builder, res pcommon.Resource, like plog.LogRecord, raw string) ([]byte, error) {
	t.Helper()
	fast, _, err, _ := jsonBodyLines(t, b, like, res, raw)
	return fast, err
}

// Records that break a rule, or are not written the way the map would be, take the slow path and still produce the
// map body's document; text that is no JSON object is written as any string body.
func TestJSONBodyOddRecords(t *testing.T) {
	deep := func(levels int) string {
		return strings.Repeat(`{"a":`, levels) + "1" + strings.Repeat("}", levels)
	}
	many := func(n int) string {
		var sb strings.Builder
		sb.WriteString(`{"requestParameters":{`)
		for i := range n {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(`"k` + itoa(i) + `":` + itoa(i))
		}
		sb.WriteString(`},"eventName":"x"}`)
		return sb.String()
	}
	tests := []struct {
		name, raw string
		scans     bool // scanJSON accepts it
	}{
		{"plain", `{"eventName":"RunInstances","n":1,"d":0.44,"b":true,"z":null,"a":[1,"x",{}],"o":{"k":"v"}}`, true},
		{"canonical escapes", `{"s":"q\"b\\n\nr\rt\t\u0001\u001fé😀"}`, true},
		{"escaped nested key", `{"o":{"k\"q":1,"ключ":2}}`, true},
		{"empty object", `{}`, true},
		{"slash escape", `{"s":"a\/b"}`, false},
		{"unicode escape", `{"s":"\u00e9\ud83d\ude00\u0041"}`, false},
		{"upper-case hex", `{"s":"\u001F"}`, false},
		{"escape for a newline", `{"s":"\u000a"}`, false},
		{"backspace", `{"s":"\b\f"}`, false},
		{"escaped top-level key", `{"k\"q":1}`, false},
		{"dotted key", `{"a.b":1,"a_b":2}`, false},
		{"dotted nested key", `{"o":{"a.b":1,"a_b":2}}`, false},
		{"repeated key", `{"a":1,"b":2,"a":3}`, false},
		{"repeated nested key", `{"o":{"a":1,"a":{"x":1}}}`, false},
		{"empty key", `{"":1}`, false},
		{"blank key", `{"o":{" \t":1}}`, false},
		{"blank key behind escapes", `{"o":{"\t":1}}`, false},
		{"key with a space", `{" a":1}`, true},
		{"type and timestamp keys", `{"type":"x","@timestamp":"y","eventName":"z"}`, true},
		{"keys of the attributes and derived fields", `{"aws_s3_key":"mine","log_level":"mine","cloud_region":"r"}`, true},
		{"minus zero", `{"n":-0}`, false},
		{"exponent", `{"n":1e2,"m":1E+2}`, false},
		{"trailing zero", `{"n":1.50}`, false},
		{"integral double", `{"n":3.0,"m":-0.0}`, true},
		{"small double", `{"n":1e-7}`, true},
		{"beyond int64", `{"n":9223372036854775808,"m":-9223372036854775809}`, false},
		{"int64 limits", `{"n":9223372036854775807,"m":-9223372036854775808}`, true},
		{"beyond float64", `{"n":1e400}`, false},
		{"whitespace", "{ \"a\" : 1 ,\n\"b\":[ 1 , 2 ] }", false},
		{"values down to level nine", deep(10), true},
		{"an object at level ten", deep(11), false},
		{"an empty object at level ten", strings.Repeat(`{"a":`, 10) + "{}" + strings.Repeat("}", 10), false},
		{"an object at level ten in an array", `{"a":[` + deep(10) + `]}`, false},
		{"long string", `{"s":"` + strings.Repeat("x", maxFieldBytes) + `"}`, true},
		{"too long string", `{"s":"` + strings.Repeat("é", maxFieldBytes/2+1) + `"}`, false},
		{"long string with escapes", `{"s":"` + strings.Repeat(`\n`, maxFieldBytes) + `"}`, true},
		{"too long string with escapes", `{"s":"` + strings.Repeat(`\n`, maxFieldBytes+1) + `"}`, false},
		{"too long key", `{"` + strings.Repeat("k", maxFieldBytes+1) + `":1}`, false},
		{"999 fields", many(990), true},
		{"too many fields", many(1200), false},
		{"too many fields with the attributes (found on the line written)", many(994), true},
		{"invalid UTF-8", "{\"s\":\"a\xffb\"}", false},
		{"raw control character", "{\"s\":\"a\x01b\"}", false},
		{"not an object", `["a",1]`, false},
		{"a string", `"text"`, false},
		{"invalid JSON", `{"a":tru}`, false},
		{"truncated", `{"a":"b`, false},
		{"trailing data", `{"a":1}x`, false},
		{"empty", ``, false},
	}
	like := plog.NewLogRecord()
	like.SetTimestamp(1_700_000_000_123_000_000)
	like.SetSeverityText("INFO")
	like.Attributes().PutStr("aws.s3.key", "AWSLogs/k.json.gz")
	res := pcommon.NewResource()
	res.Attributes().PutStr("cloud.region", "us-east-1")
	for _, maxLine := range []int{DefaultMaxLineBytes, 2000} {
		b := NewBuilder(Options{MaxLineBytes: maxLine})
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var e encoder
				if maxLine == DefaultMaxLineBytes {
					require.Equal(t, tt.scans, e.scanJSON(tt.raw), "scanJSON")
				}
				fast, mapped, fastErr, mapErr := jsonBodyLines(t, b, like, res, tt.raw)
				require.Equal(t, mapErr, fastErr)
				require.Equal(t, string(mapped), string(fast))
				if fastErr == nil {
					_, err := checkLine(fast, maxLine)
					require.NoError(t, err)
				}
			})
		}
	}
}

// A string body is a JSON body only in a scope that says so: elsewhere it stays `message`.
func TestJSONBodyNeedsTheScopeAttribute(t *testing.T) {
	b := NewBuilder(Options{})
	res, scope, lr := newLog()
	lr.Body().SetStr(`{"a":1}`)
	line, _, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	require.JSONEq(t, `{"type":"cloudtrail","message":"{\"a\":1}"}`, string(line))

	scope.Attributes().PutStr(JSONBodyAttribute, "text")
	line, _, err = b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	require.JSONEq(t, `{"type":"cloudtrail","message":"{\"a\":1}"}`, string(line))

	scope.Attributes().PutStr(JSONBodyAttribute, JSONBodyFormat)
	line, _, err = b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	require.Equal(t, `{"type":"cloudtrail","a":1}`, string(line))

	lr.Body().SetEmptyMap().PutInt("b", 2) // a map body in such a scope is a map body
	line, _, err = b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	require.Equal(t, `{"type":"cloudtrail","b":2}`, string(line))
}

// compactJSON returns record without insignificant whitespace, as CloudTrail writes it.
func compactJSON(t testing.TB, record []byte) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, json.Compact(&buf, record))
	return buf.String()
}
