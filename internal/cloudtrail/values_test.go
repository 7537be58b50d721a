// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

// decodeOneValue decodes {"Records":[{"eventTime":...,"v":<value>}]} and returns the body's "v", reading the
// input whole and one byte at a time (every token split across buffer refills).
func decodeOneValue(t *testing.T, value string) pcommon.Value {
	t.Helper()
	body := `{"Records":[{"eventTime":"2024-01-01T00:00:00Z","v":` + value + `}]}`
	var results []pcommon.Value
	for _, r := range []func() interface{ Read([]byte) (int, error) }{
		func() interface{ Read([]byte) (int, error) } { return bytes.NewReader([]byte(body)) },
		func() interface{ Read([]byte) (int, error) } {
			return iotest.OneByteReader(bytes.NewReader([]byte(body)))
		},
	} {
		batches, _, err := decodeAll(t, Options{}, r())
		require.NoError(t, err, value)
		recs := flatten(batches)
		require.Len(t, recs, 1)
		v, ok := recs[0].record.Body().Map().Get("v")
		require.True(t, ok)
		results = append(results, v)
	}
	require.Equal(t, results[0].AsRaw(), results[1].AsRaw(), "same result whatever the read sizes")
	return results[0]
}

func TestNumbers(t *testing.T) {
	for _, tc := range []struct {
		literal string
		want    any
	}{
		{"0", int64(0)},
		{"-0", int64(0)},
		{"42", int64(42)},
		{"-17", int64(-17)},
		{"9223372036854775807", int64(math.MaxInt64)},
		{"-9223372036854775808", int64(math.MinInt64)},
		{"9223372036854775808", "9223372036854775808"}, // beyond int64: its digits, see TestIntegersBeyondInt64
		{"123456789012345678901234567890", "123456789012345678901234567890"},
		{"123456789012345678901234567890.0", 1.2345678901234568e29}, // not an integer literal: double
		{"1e19", 1e19},
		{"1.0", 1.0},
		{"85.4202380952", 85.4202380952},
		{"-0.5", -0.5},
		{"1e3", 1000.0},
		{"1E+3", 1000.0},
		{"2.5e-3", 0.0025},
		{"1e400", "1e400"}, // outside float64: kept as its literal text
	} {
		v := decodeOneValue(t, tc.literal)
		assert.Equal(t, tc.want, v.AsRaw(), tc.literal)
	}
}

// TestIntegersBeyondInt64: an integer literal that does not fit int64 keeps its exact digits as a string (a double
// would round them); one that fits stays an int, also inside arrays and with selection on.
func TestIntegersBeyondInt64(t *testing.T) {
	for _, tc := range []struct {
		literal string
		want    any
	}{
		{"18446744073709551616", "18446744073709551616"},
		{"-9223372036854775809", "-9223372036854775809"},
		{"18446744073709551615", "18446744073709551615"},
		{"100000000000000000000000000000000000000000000000001", "100000000000000000000000000000000000000000000000001"},
		{"9223372036854775807", int64(math.MaxInt64)},
		{"-9223372036854775808", int64(math.MinInt64)},
		{"999999999999999999", int64(999999999999999999)},
		{"[18446744073709551616,1,-9223372036854775809]", []any{"18446744073709551616", int64(1), "-9223372036854775809"}},
	} {
		assert.Equal(t, tc.want, decodeOneValue(t, tc.literal).AsRaw(), tc.literal)
	}
	sel, err := NewSelector(SelectionConfig{Exclude: []EventRule{{EventName: []string{"Drop"}}}})
	require.NoError(t, err)
	batches, _, err := decodeAll(t, Options{Selection: sel}, strings.NewReader(
		`{"Records":[{"eventTime":"2024-01-01T00:00:00Z","eventName":"Keep","v":18446744073709551616}]}`))
	require.NoError(t, err)
	recs := flatten(batches)
	require.Len(t, recs, 1)
	v, _ := recs[0].record.Body().Map().Get("v")
	assert.Equal(t, "18446744073709551616", v.AsRaw())
}

func TestStrings(t *testing.T) {
	for _, tc := range []struct {
		literal, want string
	}{
		{`""`, ""},
		{`"plain"`, "plain"},
		{`"quote \" backslash \\ slash \/ controls \b\f\n\r\t"`, "quote \" backslash \\ slash / controls \b\f\n\r\t"},
		{`"\u00e9\u4e16\u0041"`, "é世A"},
		{`"\ud83d\ude00 smile"`, "😀 smile"},
		{`"lone \ud83d surrogate"`, "lone \uFFFD surrogate"},
		{`"lone low \ude00"`, "lone low \uFFFD"},
		{`"raw UTF-8: jörg.müller 世界"`, "raw UTF-8: jörg.müller 世界"},
		{"\"invalid \xff\xfe UTF-8\"", "invalid \uFFFD UTF-8"},
		{`"policy {\"Version\":\"2012-10-17\"}"`, `policy {"Version":"2012-10-17"}`},
		{`"` + strings.Repeat("long string ", 10000) + `"`, strings.Repeat("long string ", 10000)},
		{`"` + strings.Repeat(`escaped \"`, 10000) + `"`, strings.Repeat(`escaped "`, 10000)},
	} {
		v := decodeOneValue(t, tc.literal)
		require.Equal(t, pcommon.ValueTypeStr, v.Type())
		assert.Equal(t, tc.want, v.Str(), tc.literal)
	}
}

func TestContainersAndLiterals(t *testing.T) {
	v := decodeOneValue(t, ` { "a" : [ 1 , true , false , null , { } , [ ] , { "b" : "c" } ] , "a2" : { "x" : null } } `)
	assert.Equal(t, map[string]any{
		"a":  []any{int64(1), true, false, nil, map[string]any{}, []any{}, map[string]any{"b": "c"}},
		"a2": map[string]any{"x": nil},
	}, v.AsRaw())
	// Duplicate member names: the last one wins, as with encoding/json.
	v = decodeOneValue(t, `{"k":1,"k":2}`)
	assert.Equal(t, map[string]any{"k": int64(2)}, v.AsRaw())
}

func TestParseEventTime(t *testing.T) {
	for _, s := range []string{
		"2014-03-06T21:22:54Z", "2000-02-29T00:00:00Z", "2024-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
		"2262-04-11T23:47:16Z", "2023-07-19T21:33:41.123456789Z", "2023-07-19T21:33:41+05:30",
	} {
		want, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		got, ok := parseEventTime(s)
		require.True(t, ok, s)
		assert.Equal(t, pcommon.NewTimestampFromTime(want), got, s)
	}
	for _, s := range []string{
		"", "2014-03-06", "2014-03-06 21:22:54Z", "2014-13-06T21:22:54Z", "2014-02-29T00:00:00Z", "2014-03-06T24:00:00Z",
		"2014-03-06T21:60:00Z", "2014-03-06T21:22:60Z", "20131102T010628Z", "1969-12-31T23:59:59Z", "3000-01-01T00:00:00Z",
		"2014-03-0xT21:22:54Z",
	} {
		_, ok := parseEventTime(s)
		assert.False(t, ok, s)
	}
	// The fast path agrees with time.Parse over every day of several years, leap years included.
	for day := time.Date(1999, 1, 1, 13, 14, 15, 0, time.UTC); day.Year() < 2030; day = day.Add(24 * time.Hour) {
		s := day.Format("2006-01-02T15:04:05Z")
		got, ok := parseEventTime(s)
		require.True(t, ok, s)
		require.Equal(t, pcommon.NewTimestampFromTime(day), got, s)
	}
}

func TestAccountFromKey(t *testing.T) {
	for key, want := range map[string]string{
		"AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/01/x.json.gz":                    "123456789012",
		"prefix/a/AWSLogs/o-abcdefghij/210987654321/CloudTrail/eu-west-1/2024/01/01/x.json": "210987654321",
		"AWSLogs/12345/CloudTrail/x": "",
		"no-marker/123456789012/":    "",
		"":                           "",
	} {
		assert.Equal(t, want, accountFromKey(key), key)
	}
}
