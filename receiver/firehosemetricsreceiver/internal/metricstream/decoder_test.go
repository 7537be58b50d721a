// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream/metricstreamtest"
)

func TestOptionsValidate(t *testing.T) {
	assert.NoError(t, Options{}.Validate())
	assert.NoError(t, Options{Format: FormatOTel07, Naming: NamingOTel, Namespaces: []string{"AWS/EC2", AllNamespaces}}.Validate())
	err := Options{Format: "csv", Naming: "prometheus", Namespaces: []string{"", " AWS/EC2"}}.Validate()
	require.Error(t, err)
	for _, want := range []string{`format "csv" is not supported`, `naming "prometheus" is not supported`,
		"namespaces[0] is empty", `namespaces[1] " AWS/EC2" has leading or trailing spaces`} {
		assert.ErrorContains(t, err, want)
	}
	_, err = NewDecoder(Options{Format: "csv"})
	assert.Error(t, err)
}

func TestNamespaceFilter(t *testing.T) {
	rec := sampleRecords(t, "otel1.0-request.json")[0]
	for _, format := range []Format{FormatAuto, FormatOTel10} {
		md, stats := decodeRecords(t, Options{Format: format, Namespaces: []string{"AWS/EBS", "AWS/EC2"}}, rec)
		assert.Equal(t, Stats{Records: 1, DataPoints: 1, DroppedByNamespace: 1}, stats)
		for _, line := range promSeries(md) {
			assert.True(t, strings.HasPrefix(line, "aws_ebs_"), line)
		}
	}
	// Namespaces match exactly (case-sensitive), JSON too.
	d, err := NewDecoder(Options{Namespaces: []string{"aws/ec2", "AWS/Lambda"}})
	require.NoError(t, err)
	b := d.NewBatch(nil)
	for _, rec := range sampleRecords(t, "json-request.json") {
		require.NoError(t, b.AddRecord(rec))
	}
	assert.Equal(t, Stats{Records: 2, DataPoints: 1, DroppedByNamespace: 4, DroppedStatistics: 1}, b.Stats())
	assert.Equal(t, map[string]int{"AWS/EC2": 2, "AWS/ApplicationELB": 1, "AWS/CloudFront": 1}, b.DroppedNamespaces())
	// all-namespaces keeps everything.
	_, stats := decodeRecords(t, Options{Namespaces: []string{"AWS/EBS", AllNamespaces}}, rec)
	assert.Equal(t, Stats{Records: 1, DataPoints: 2}, stats)
}

func TestLogzioNameFromCommonAttributes(t *testing.T) {
	rec := sampleRecords(t, "otel0.7-request.json")[0]
	for _, tc := range []struct {
		name     string
		opts     Options
		common   map[string]string
		expected string
	}{
		{"exact key", Options{}, map[string]string{"P8S_LOGZIO_NAME": "a", "otlp_format": "1.0"}, "a"},
		{"lower-case key", Options{}, map[string]string{"p8s_logzio_name": "b"}, "b"},
		{"mixed-case key", Options{}, map[string]string{"P8s_Logzio_Name": "c"}, "c"},
		{"absent", Options{}, map[string]string{"otlp_format": "1.0"}, DefaultLogzioName},
		{"empty value", Options{LogzioName: "configured"}, map[string]string{"P8S_LOGZIO_NAME": ""}, "configured"},
		{"configured fallback", Options{LogzioName: "configured"}, nil, "configured"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := NewDecoder(tc.opts)
			require.NoError(t, err)
			b := d.NewBatch(tc.common)
			require.NoError(t, b.AddRecord(rec))
			attrs := b.Metrics().ResourceMetrics().At(0).Resource().Attributes()
			v, ok := attrs.Get("p8s_logzio_name")
			require.True(t, ok)
			assert.Equal(t, tc.expected, v.Str())
			_, ok = attrs.Get("otlp_format")
			assert.False(t, ok, "other common attributes are not labels")
		})
	}
}

func TestEmptyRecords(t *testing.T) {
	_, stats := decodeRecords(t, Options{}, nil, []byte{}, []byte(" \n"))
	assert.Equal(t, Stats{EmptyRecords: 3}, stats)
}

func TestMultiMessageOTelRecord(t *testing.T) {
	metrics := equivalenceMetrics()
	rec := metricstreamtest.Frame(metricstreamtest.OTelMessage(testResource, metrics[:2], false), metricstreamtest.OTelMessage(testResource, metrics[2:], false))
	want, _ := decodeRecords(t, Options{}, metricstreamtest.OTel10Record(testResource, metrics))
	got, stats := decodeRecords(t, Options{}, rec)
	assert.Equal(t, len(metrics), stats.DataPoints)
	assert.Equal(t, promSeries(want), promSeries(got))
	// 0.7 and 1.0 messages may even share a record: the version is decided per message.
	mixed := metricstreamtest.Frame(metricstreamtest.OTelMessage(testResource, metrics[:2], true), metricstreamtest.OTelMessage(testResource, metrics[2:], false))
	got, _ = decodeRecords(t, Options{}, mixed)
	assert.Equal(t, promSeries(want), promSeries(got))
}

func TestJSONBadLinesAreSkipped(t *testing.T) {
	metrics := equivalenceMetrics()
	good := metricstreamtest.JSONRecord(testResource, metrics[:1])
	rec := append(append([]byte(`{"namespace":"AWS/EC2","metric_name":`+"\n"), good...), "not json\n{}\n"...)
	md, stats := decodeRecords(t, Options{}, rec)
	assert.Equal(t, Stats{Records: 1, DataPoints: 1, SkippedLines: 3}, stats)
	want, _ := decodeRecords(t, Options{}, good)
	assert.Equal(t, promSeries(want), promSeries(md))
}

func TestJSONDetails(t *testing.T) {
	line := `{"namespace":"AWS\/EC2","metric_name":"CPU\u0055tilization","dimensions":{"Instance\"Id":"i-1"},` +
		`"timestamp":1.7e12,"value":{"count":2.5,"sum":-1e-3,"p0":1,"p100":2,"p5":3,"p9.50":4,"IQM":5,"pX":6},"extra":[1,{"a":[true,false,null]}]}`
	md, stats := decodeRecords(t, Options{}, []byte(line))
	assert.Equal(t, Stats{Records: 1, DataPoints: 1, DroppedStatistics: 4}, stats)
	l := `account="",cloud_provider="aws",instance_id="i-1",metricname="cpuutilization",namespace="aws/ec2",p8s_logzio_name="logzio-otlp-metrics-stream"`
	l = strings.Replace(l, `account="",`, "", 1)
	assert.Equal(t, []string{
		"aws_ec2_cpuutilization_count{" + l + "} 2.5 @1700000060000",
		"aws_ec2_cpuutilization_sum{" + l + "} -0.001 @1700000060000",
		"aws_ec2_cpuutilization{" + l + `,quantile="0.05"} 3 @1700000060000`,
		"aws_ec2_cpuutilization{" + l + `,quantile="0.095"} 4 @1700000060000`,
	}, promSeries(md))
}

func TestMalformedRecordsLeaveBatchIntact(t *testing.T) {
	otel10 := sampleRecords(t, "otel1.0-request.json")[0]
	otel07 := sampleRecords(t, "otel0.7-request.json")[0]
	wrongWire := protowire.AppendTag(nil, 1, protowire.VarintType)
	wrongWire = protowire.AppendVarint(wrongWire, 7)
	badDataPoint := metricstreamtest.Frame(replaceFixed64WithVarint(t, metricstreamtest.OTelMessage(testResource, equivalenceMetrics()[:1], false)))
	for _, tc := range []struct {
		name, rec, err string
	}{
		{"truncated OTel 1.0", string(otel10[:len(otel10)-10]), "length 678 is beyond the 668 remaining bytes"},
		{"truncated OTel 0.7", string(otel07[:100]), "beyond the"},
		{"truncated length prefix", "\xa6", "truncated length prefix"},
		{"length over 32 bits", "\xff\xff\xff\xff\x7f", "over 32 bits"},
		{"wrong wire type", string(metricstreamtest.Frame(wrongWire)), "ExportMetricsServiceRequest field 1 has wire type varint, want length-delimited"},
		{"wrong wire type in data point", string(badDataPoint), "data point field 2 has wire type varint, want fixed64"},
		{"group", string(metricstreamtest.Frame([]byte{0x0b})), "group"},
		{"inner length beyond message", string(metricstreamtest.Frame([]byte{0x0a, 0x05, 0x0a})), "truncated protobuf field"},
		{"bad JSON line", "{\"namespace\": 1}\n", "JSON record has no valid line (1 bad); line 1: byte 14: expected a string"},
		{"JSON without namespace", `{"metric_name":"X","timestamp":1,"value":{}}`, `missing or empty "namespace"`},
		{"JSON bad timestamp", `{"namespace":"N","metric_name":"X","timestamp":-5,"value":{}}`, "is not epoch milliseconds"},
		{"JSON unterminated", `{"namespace":"N`, "unterminated string"},
		{"JSON deep nesting", `{"x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "}", "nested too deeply"},
		{"too large", strings.Repeat("{", MaxRecordBytes+1), "over the 1024000-byte limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := NewDecoder(Options{})
			require.NoError(t, err)
			b := d.NewBatch(nil)
			require.NoError(t, b.AddRecord(otel10))
			before := promSeries(b.Metrics())
			err = b.AddRecord([]byte(tc.rec))
			require.ErrorIs(t, err, ErrMalformed)
			assert.ErrorContains(t, err, tc.err)
			require.NoError(t, b.AddRecord(otel07))
			assert.Equal(t, Stats{Records: 2, DataPoints: 3, MalformedRecords: 1}, b.Stats())
			want, _ := decodeRecords(t, Options{}, otel10, otel07)
			assert.Equal(t, promSeries(want), promSeries(b.Metrics()))
			assert.Len(t, before, 8)
		})
	}
}

// replaceFixed64WithVarint rewrites the first start_time_unix_nano tag (field 2, fixed64) of a data point as a
// varint field, keeping the message valid protobuf: the decoder must reject the wrong wire type.
func replaceFixed64WithVarint(t *testing.T, msg []byte) []byte {
	t.Helper()
	// A fixed64 field 2 tag is 0x11; the message has exactly one data point whose start time is set.
	i := strings.Index(string(msg), "\x11")
	require.Positive(t, i)
	out := append([]byte{}, msg[:i]...)
	out = append(out, 0x10, 0x01)   // field 2, varint 1
	out = append(out, msg[i+9:]...) // skip tag + 8 bytes
	return fixLengths(t, out, len(msg)-len(out))
}

// fixLengths re-encodes the message after a shrink: metricstreamtest output is nested length-delimited fields, so re-encode by
// decoding the outer layers generically.
func fixLengths(t *testing.T, msg []byte, shrink int) []byte {
	t.Helper()
	return reencode(msg, shrink)
}

// reencode walks nested length-delimited fields whose declared length exceeds the data by shrink and fixes them.
func reencode(b []byte, shrink int) []byte {
	var out []byte
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return append(out, b...)
		}
		tag := b[:n]
		b = b[n:]
		if typ != protowire.BytesType {
			m := protowire.ConsumeFieldValue(num, typ, b)
			if m < 0 {
				return append(append(out, tag...), b...)
			}
			out = append(append(out, tag...), b[:m]...)
			b = b[m:]
			continue
		}
		size, m := protowire.ConsumeVarint(b)
		if int(size) > len(b)-m {
			inner := reencode(b[m:int(size)+m-shrink], shrink)
			out = protowire.AppendBytes(append(out, tag...), inner)
			b = b[int(size)+m-shrink:]
			continue
		}
		out = append(append(out, tag...), b[:m+int(size)]...)
		b = b[m+int(size):]
	}
	return out
}

func TestDecoderIsSafeForConcurrentBatches(t *testing.T) {
	d, err := NewDecoder(Options{})
	require.NoError(t, err)
	rec := metricstreamtest.OTel10Record(testResource, metricstreamtest.Generate(metricstreamtest.Options{Metrics: 50, Dimensions: 2}))
	want, _ := decodeRecords(t, Options{}, rec)
	results := make(chan []string, 4)
	for range 4 {
		go func() {
			b := d.NewBatch(nil)
			if err := b.AddRecord(rec); err != nil {
				results <- []string{err.Error()}
				return
			}
			results <- promSeries(b.Metrics())
		}()
	}
	for range 4 {
		assert.Equal(t, promSeries(want), <-results)
	}
}

func TestForcedFormatMismatchSaysWhatToDo(t *testing.T) {
	jsonRec := sampleRecords(t, "json-request.json")[0]
	otelRec := sampleRecords(t, "otel1.0-request.json")[0]
	for _, tc := range []struct {
		format Format
		rec    []byte
		err    string
	}{
		{FormatOTel10, jsonRec, `record is in the JSON format but format is opentelemetry1.0: set format to "auto" or "json"`},
		{FormatOTel07, jsonRec, `record is in the JSON format but format is opentelemetry0.7`},
		{FormatJSON, otelRec, `is not in the JSON format: set format to "auto"`},
	} {
		d, err := NewDecoder(Options{Format: tc.format})
		require.NoError(t, err)
		b := d.NewBatch(nil)
		err = b.AddRecord(tc.rec)
		require.ErrorIs(t, err, ErrMalformed)
		assert.ErrorContains(t, err, tc.err)
		assert.Equal(t, Stats{MalformedRecords: 1}, b.Stats())
	}
}
