// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

func TestAppendLineCloudTrailSample(t *testing.T) {
	want, err := os.ReadFile("testdata/aws-docs-startlogging.expected.ndjson")
	require.NoError(t, err)
	want = bytes.TrimSuffix(want, []byte("\n"))

	records := sampleRecords(t, "aws-docs-startlogging.json")
	require.Len(t, records, 1)
	res, scope, lr := cloudTrailLog(t, records[0])

	b := NewBuilder(Options{})
	line, docType, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t, "cloudtrail", docType)
	assert.Equal(t, string(want), string(line))
	_, err = checkLine(line, DefaultMaxLineBytes)
	require.NoError(t, err)
}

// Every field of every sample record arrives unchanged at the top level.
func TestAppendLineKeepsCloudTrailFields(t *testing.T) {
	b := NewBuilder(Options{})
	for _, name := range []string{
		"aws-docs-records.json", "aws-docs-ec2-startinstances.json",
		"aws-docs-updatetrail-error.json", "aws-docs-insight.json",
	} {
		for i, record := range sampleRecords(t, name) {
			res, scope, lr := cloudTrailLog(t, record)
			line, _, err := b.AppendLine(nil, res, scope, lr)
			require.NoError(t, err, "%s record %d", name, i)
			_, err = checkLine(line, DefaultMaxLineBytes)
			require.NoError(t, err, "%s record %d", name, i)

			doc := decodeLine(t, line)
			var orig map[string]any
			dec := json.NewDecoder(bytes.NewReader(record))
			dec.UseNumber()
			require.NoError(t, dec.Decode(&orig))
			for k, v := range orig {
				assert.Equal(t, v, doc[k], "%s record %d field %s", name, i, k)
			}
			ts, err := time.Parse(time.RFC3339, orig["eventTime"].(string))
			require.NoError(t, err)
			assert.Equal(t, ts.UTC().Format("2006-01-02T15:04:05.000Z"), doc["@timestamp"])
			assert.Equal(t, "cloudtrail", doc["type"])
			assert.Equal(t, sampleBucket, doc["aws_s3_bucket"])
			assert.Equal(t, "aws", doc["cloud_provider"])
		}
	}
}

func TestAppendLineAppendsToDst(t *testing.T) {
	b := NewBuilder(Options{})
	res, scope, lr := newLog()
	lr.Body().SetStr("hello")
	dst := []byte("previous line\n")
	out, _, err := b.AppendLine(dst, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t, `previous line
{"type":"cloudtrail","message":"hello"}`, string(out))
}

func TestAppendLineBodies(t *testing.T) {
	tests := []struct {
		name string
		set  func(v pcommon.Value)
		want string
	}{
		{"string", func(v pcommon.Value) { v.SetStr("a\nb") }, `{"type":"t","message":"a\nb"}`},
		{"empty", func(pcommon.Value) {}, `{"type":"t"}`},
		{"int", func(v pcommon.Value) { v.SetInt(-42) }, `{"type":"t","message":-42}`},
		{"double", func(v pcommon.Value) { v.SetDouble(2.5) }, `{"type":"t","message":2.5}`},
		{"bool", func(v pcommon.Value) { v.SetBool(true) }, `{"type":"t","message":true}`},
		{"bytes", func(v pcommon.Value) { v.SetEmptyBytes().FromRaw([]byte{0, 1, 2, 0xff}) }, `{"type":"t","message":"AAEC/w=="}`},
		{"slice", func(v pcommon.Value) {
			s := v.SetEmptySlice()
			s.AppendEmpty().SetStr("x")
			s.AppendEmpty().SetInt(1)
			s.AppendEmpty().SetEmptyMap().PutStr("k.k", "v")
		}, `{"type":"t","message":["x",1,{"k_k":"v"}]}`},
		{"map", func(v pcommon.Value) {
			m := v.SetEmptyMap()
			m.PutStr("eventName", "X")
			m.PutEmpty("nothing")
		}, `{"type":"t","eventName":"X","nothing":null}`},
	}
	b := NewBuilder(Options{DefaultType: "t"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, scope, lr := newLog()
			tt.set(lr.Body())
			line, _, err := b.AppendLine(nil, res, scope, lr)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(line))
		})
	}
}

func TestAppendLineTimestamp(t *testing.T) {
	b := NewBuilder(Options{DefaultType: "t"})
	ts := time.Date(2024, 2, 29, 23, 59, 58, 987654321, time.FixedZone("x", 3600))

	res, scope, lr := newLog()
	lr.SetTimestamp(pcommon.NewTimestampFromTime(ts))
	lr.SetObservedTimestamp(pcommon.NewTimestampFromTime(ts.Add(time.Hour)))
	line, _, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t, `{"@timestamp":"2024-02-29T22:59:58.987Z","type":"t"}`, string(line))

	lr.SetTimestamp(0)
	line, _, err = b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t, `{"@timestamp":"2024-02-29T23:59:58.987Z","type":"t"}`, string(line), "observed time is the fallback")

	lr.SetTimestamp(pcommon.Timestamp(1)) // 1 ns after the epoch
	line, _, err = b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t, `{"@timestamp":"1970-01-01T00:00:00.000Z","type":"t"}`, string(line))
}

func TestAppendLineTypeOverride(t *testing.T) {
	b := NewBuilder(Options{})

	res, scope, lr := newLog()
	lr.Attributes().PutStr(TypeAttribute, "vpc flow")
	res.Attributes().PutStr(TypeAttribute, "ignored")
	line, docType, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t, "vpc_flow", docType, "spaces are not allowed in the type query parameter")
	assert.Equal(t, `{"type":"vpc_flow"}`, string(line), "logzio.type is not a field")

	res, scope, lr = newLog()
	res.Attributes().PutStr(TypeAttribute, "elb")
	_, docType, err = b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t, "elb", docType, "a resource attribute applies when the record has none")

	res, scope, lr = newLog()
	lr.Attributes().PutInt(TypeAttribute, 3)
	_, docType, err = b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t, "cloudtrail", docType, "a non-string override is ignored")
}

func TestAppendLinePrecedence(t *testing.T) {
	b := NewBuilder(Options{DefaultType: "t"})
	res, scope, lr := newLog()
	res.Attributes().PutStr("cloud.region", "from-resource")
	res.Attributes().PutStr("host.name", "h1")
	lr.Attributes().PutStr("cloud.region", "from-attributes")
	lr.Attributes().PutStr("awsRegion", "from-attributes")
	lr.Attributes().PutStr("log_level", "from-attributes")
	body := lr.Body().SetEmptyMap()
	body.PutStr("awsRegion", "us-east-1")
	body.PutStr("type", "from-body")
	lr.SetSeverityNumber(plog.SeverityNumberError)

	line, _, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t,
		`{"type":"t","awsRegion":"us-east-1","cloud_region":"from-attributes","log_level":"from-attributes","host_name":"h1"}`,
		string(line))
}

func TestAppendLineSeverityAndTrace(t *testing.T) {
	b := NewBuilder(Options{DefaultType: "t"})
	res, scope, lr := newLog()
	lr.SetSeverityNumber(plog.SeverityNumberWarn2)
	lr.SetTraceID(pcommon.TraceID{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0, 0, 0, 0, 0, 0, 0, 0xff})
	lr.SetSpanID(pcommon.SpanID{0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 1})
	line, _, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"t","log_level":"WARN2","trace_id":"0123456789abcdef00000000000000ff","span_id":"deadbeef00000001"}`, string(line))

	lr.SetSeverityText("notice")
	lr.Body().SetEmptyMap().PutStr("trace_id", "mine")
	line, _, err = b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"t","trace_id":"mine","log_level":"notice","span_id":"deadbeef00000001"}`, string(line))
}

func TestAppendLineNumbers(t *testing.T) {
	b := NewBuilder(Options{DefaultType: "t"})
	res, scope, lr := newLog()
	m := lr.Body().SetEmptyMap()
	m.PutInt("int", -9223372036854775808)
	m.PutDouble("half", 0.5)
	m.PutDouble("integral", 3)
	m.PutDouble("negzero", math.Copysign(0, -1))
	m.PutDouble("big", 1e21)
	m.PutDouble("small", 1e-7)
	m.PutDouble("nan", nan())
	m.PutDouble("inf", inf(1))
	m.PutDouble("neginf", inf(-1))
	line, _, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"t","int":-9223372036854775808,"half":0.5,"integral":3.0,"negzero":-0.0,"big":1e+21,"small":1e-7,`+
		`"nan":"NaN","inf":"Infinity","neginf":"-Infinity"}`, string(line))
}

func TestAppendLineEscaping(t *testing.T) {
	b := NewBuilder(Options{DefaultType: "t"})
	res, scope, lr := newLog()
	m := lr.Body().SetEmptyMap()
	m.PutStr("s", "quote\" backslash\\ nl\n cr\r tab\t bell\x07 del\x7f bad\xff\xfe ok€ ls\u2028 <&>")
	m.PutStr("k\"\n\x01", "key escaped")
	m.PutStr("bad\xffkey", "key repaired")
	line, _, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"t","s":"quote\" backslash\\ nl\n cr\r tab\t bell\u0007 del`+"\x7f"+` bad`+"\uFFFD\uFFFD"+` ok€ ls`+"\u2028"+` <&>",`+
		`"k\"\n\u0001":"key escaped","bad`+"\uFFFD"+`key":"key repaired"}`, string(line))
	_, err = checkLine(line, DefaultMaxLineBytes)
	require.NoError(t, err)
}

func TestAppendLineDots(t *testing.T) {
	b := NewBuilder(Options{DefaultType: "t"})
	res, scope, lr := newLog()
	res.Attributes().PutStr("cloud.account.id", "123456789012")
	m := lr.Body().SetEmptyMap()
	m.PutStr("a.b", "dotted first")
	m.PutStr("a_b", "plain")
	m.PutStr("a_b_1", "plain suffix-like")
	m.PutStr("x.y", "one")
	m.PutStr("x..y", "two")
	m.PutStr("", "empty")
	m.PutStr(" ", "blank")
	tags := m.PutEmptyMap("requestParameters").PutEmptyMap("tags")
	tags.PutStr("app.kubernetes.io/name", "x")
	tags.PutStr("app_kubernetes_io/name", "y")
	deep := m.PutEmptySlice("list").AppendEmpty().SetEmptyMap().PutEmptyMap("in.array")
	deep.PutInt("v.1", 1)

	line, _, err := b.AppendLine(nil, res, scope, lr)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"t","a_b_2":"dotted first","a_b":"plain","a_b_1":"plain suffix-like","x_y":"one","x__y":"two",`+
		`"_":"empty","__1":"blank",`+
		`"requestParameters":{"tags":{"app_kubernetes_io/name_1":"x","app_kubernetes_io/name":"y"}},`+
		`"list":[{"in_array":{"v_1":1}}],"cloud_account_id":"123456789012"}`, string(line))
	_, err = checkLine(line, DefaultMaxLineBytes)
	require.NoError(t, err)
}

func TestBuilderConcurrentUse(t *testing.T) {
	b := NewBuilder(Options{})
	records := sampleRecords(t, "aws-docs-records.json")
	want := make([]string, len(records))
	for i, r := range records {
		res, scope, lr := cloudTrailLog(t, r)
		line, _, err := b.AppendLine(nil, res, scope, lr)
		require.NoError(t, err)
		want[i] = string(line)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			var buf []byte
			for n := range 200 {
				i := (n + g) % len(records)
				res, scope, lr := cloudTrailLog(t, records[i])
				var err error
				buf, _, err = b.AppendLine(buf[:0], res, scope, lr)
				assert.NoError(t, err)
				assert.Equal(t, want[i], string(buf))
			}
		})
	}
	wg.Wait()
}
