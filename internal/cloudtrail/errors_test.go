// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

func TestCorruptGzipHeader(t *testing.T) {
	batches, _, err := decodeAll(t, Options{}, bytes.NewReader([]byte{0x1f, 0x8b, 0x00, 0x01, 0x02}))
	requireCorrupt(t, err, "invalid gzip data")
	assert.Empty(t, batches)
}

// TestCorruptGzipMidStream damages the compressed data well after the first batches: those stay emitted, the
// complete records decoded before the damage are emitted too, and Stats says how many.
func TestCorruptGzipMidStream(t *testing.T) {
	file := cloudtrailtest.File(3, 2000, "123456789012", "us-east-1", genStart)
	for name, damage := range map[string]func([]byte) []byte{
		"truncated":   func(b []byte) []byte { return b[:len(b)*3/4] },
		"bad trailer": func(b []byte) []byte { c := bytes.Clone(b); c[len(c)-5] ^= 0xff; return c },
		// The trailer's CRC-32 and length are what checks a gzip file: S3's checksum is not asked for (the receiver's
		// getObjectInput).
		"one bit of the CRC-32": func(b []byte) []byte { c := bytes.Clone(b); c[len(c)-8] ^= 1; return c },
		"bad length":            func(b []byte) []byte { c := bytes.Clone(b); c[len(c)-1] ^= 1; return c },
		"garbage": func(b []byte) []byte {
			c := bytes.Clone(b)
			copy(c[len(c)*3/4:], bytes.Repeat([]byte{0xa5}, 64))
			return c
		},
	} {
		t.Run(name, func(t *testing.T) {
			batches, st, err := decodeAll(t, Options{MaxBatchRecords: 100}, bytes.NewReader(damage(file)))
			requireCorrupt(t, err, "")
			got := flatten(batches)
			assert.Equal(t, int64(len(got)), st.Records)
			assert.Greater(t, st.Records, int64(100), "batches before the damage are emitted")
			assert.Less(t, st.Records, int64(2001))
			// What was emitted is the beginning of the file, unchanged.
			want := cloudtrailtest.Records(3, len(got), "123456789012", "us-east-1", genStart)
			for i := range got {
				require.Equal(t, orderedFromJSON(t, want[i]), orderedFromValue(got[i].record.Body()))
			}
		})
	}
}

func TestTruncatedJSON(t *testing.T) {
	body := cloudtrailtest.Body(4, 500, "123456789012", "us-east-1", genStart)
	cut := body[:len(body)/2]
	batches, st, err := decodeAll(t, Options{MaxBatchRecords: 50}, bytes.NewReader(gzipBytes(t, cut)))
	requireCorrupt(t, err, "truncated JSON")
	got := flatten(batches)
	assert.Equal(t, int64(len(got)), st.Records)
	assert.GreaterOrEqual(t, len(batches), 4, "earlier batches emitted")
	// Every complete record before the cut is delivered; the cut one is not.
	complete := len(recordsOf(t, append(append([]byte(nil), cut[:bytes.LastIndex(cut, []byte(`},{"eventVersion"`))+1]...), "]}"...)))
	assert.Equal(t, complete, len(got))
	assert.Equal(t, int64(len(cut)), st.DecompressedBytes)
}

func TestInvalidBodies(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"empty", "", "is empty"},
		{"whitespace only", " \n\t ", "is empty"},
		{"array", `[{"eventTime":"2024-01-01T00:00:00Z"}]`, "not a CloudTrail log file: the body is not a JSON object"},
		{"string", `"Records"`, "not a CloudTrail log file"},
		{"no Records", `{"awsAccountId":"111122223333","logFiles":[]}`, `no "Records" array`},
		{"empty object", `{}`, `no "Records" array`},
		{"Records null", `{"Records":null}`, `"Records" is not an array`},
		{"Records object", `{"Records":{"a":1}}`, `"Records" is not an array`},
		{"trailing data", `{"Records":[]} {}`, "after the end of the JSON document"},
		{"missing comma", `{"Records":[{"a":1} {"b":2}]}`, "expected ',' or ']'"},
		{"bad literal", `{"Records":[{"a":tru}]}`, "expected true"},
		{"bad number", `{"Records":[{"a":01}]}`, "invalid number"},
		{"bad number 2", `{"Records":[{"a":1.}]}`, "invalid number"},
		{"bad escape", `{"Records":[{"a":"\x"}]}`, "invalid escape"},
		{"bad unicode escape", `{"Records":[{"a":"\u12G4"}]}`, `invalid \u escape`},
		{"unquoted key", `{"Records":[{a:1}]}`, "expected a member name"},
		{"missing colon", `{"Records":[{"a" 1}]}`, "expected ':'"},
		{"truncated in string", `{"Records":[{"a":"abc`, "truncated JSON"},
		{"truncated after key", `{"Records":[{"a"`, "truncated JSON"},
		{"truncated top level", `{"Records":[]`, "truncated JSON"},
		{"deep nesting", `{"Records":[` + string(bytes.Repeat([]byte("["), 1200)), "truncated JSON"}, // the record is skipped, then the file ends
		{"deep nesting in skipped member", `{"x":` + string(bytes.Repeat([]byte("["), 1200)), "nesting deeper"},
		{"bad skipped member", `{"x":[1,2,}`, "expected a value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, compress := range []bool{false, true} {
				data := []byte(tc.body)
				if compress {
					data = gzipBytes(t, data)
				}
				batches, _, err := decodeAll(t, Options{}, bytes.NewReader(data))
				requireCorrupt(t, err, tc.want)
				assert.Empty(t, batches)
			}
		})
	}
}

func TestValidBodiesWithoutRecords(t *testing.T) {
	for _, body := range []string{
		`{"Records":[]}`,
		" \n{ \"Records\" : [ ] }\n ",
		`{"other":{"nested":[1,"x",null,true,false,{"a":"\"}"}]},"Records":[],"more":-1.5e3}`,
	} {
		batches, st, err := decodeAll(t, Options{}, bytes.NewReader([]byte(body)))
		require.NoError(t, err, body)
		assert.Empty(t, batches, "nothing to emit")
		assert.Zero(t, st.Records)
	}
}

func TestObjectSizeLimit(t *testing.T) {
	body := cloudtrailtest.Body(5, 300, "123456789012", "us-east-1", genStart)
	file := gzipBytes(t, body)

	batches, st, err := decodeAll(t, Options{MaxObjectBytes: int64(len(body)) / 2, MaxBatchRecords: 40}, bytes.NewReader(file))
	require.ErrorIs(t, err, ErrTooLarge)
	assert.NotErrorIs(t, err, ErrCorrupt)
	assert.ErrorContains(t, err, "raise the object size limit")
	assert.Equal(t, int64(len(flatten(batches))), st.Records)
	assert.Positive(t, st.Records, "records before the limit are still delivered")
	assert.LessOrEqual(t, st.DecompressedBytes, int64(len(body))/2+scanBufferSize)

	_, st, err = decodeAll(t, Options{MaxObjectBytes: int64(len(body))}, bytes.NewReader(file))
	require.NoError(t, err, "a body of exactly the limit is fine")
	assert.Equal(t, int64(300), st.Records)
	assert.Equal(t, int64(len(body)), st.DecompressedBytes)
}

func TestBatching(t *testing.T) {
	file := cloudtrailtest.File(6, 2500, "123456789012", "us-east-1", genStart)
	for _, tc := range []struct {
		max   int
		sizes []int
	}{
		{1000, []int{1000, 1000, 500}},
		{0, []int{1000, 1000, 500}}, // default
		{2500, []int{2500}},
		{1, nil},
	} {
		batches, st, err := decodeAll(t, Options{MaxBatchRecords: tc.max}, bytes.NewReader(file))
		require.NoError(t, err)
		assert.Equal(t, int64(2500), st.Records)
		if tc.sizes == nil {
			assert.Len(t, batches, 2500)
			continue
		}
		var sizes []int
		for _, b := range batches {
			sizes = append(sizes, b.LogRecordCount())
		}
		assert.Equal(t, tc.sizes, sizes, "max %d", tc.max)
	}
}

// TestGroupingByAccountAndRegion mixes accounts and regions in one file.
func TestGroupingByAccountAndRegion(t *testing.T) {
	var body bytes.Buffer
	body.WriteString(`{"Records":[`)
	regions := []string{"us-east-1", "eu-west-1", "us-east-1", "ap-southeast-2", "eu-west-1", "us-east-1"}
	accounts := []string{"111111111111", "111111111111", "222222222222", "111111111111", "111111111111", "111111111111"}
	for i := range regions {
		if i > 0 {
			body.WriteByte(',')
		}
		body.Write(cloudtrailtest.Records(int64(i), 1, accounts[i], regions[i], genStart)[0])
	}
	body.WriteString(`]}`)
	batches, _, err := decodeAll(t, Options{MaxBatchRecords: 5}, bytes.NewReader(body.Bytes()))
	require.NoError(t, err)
	require.Len(t, batches, 2)
	type group struct {
		account, region string
		records         int
	}
	groups := func(l plog.Logs) []group {
		var out []group
		for _, rl := range l.ResourceLogs().All() {
			a, _ := rl.Resource().Attributes().Get("cloud.account.id")
			r, _ := rl.Resource().Attributes().Get("cloud.region")
			out = append(out, group{a.Str(), r.Str(), rl.ScopeLogs().At(0).LogRecords().Len()})
		}
		return out
	}
	assert.Equal(t, []group{
		{"111111111111", "us-east-1", 1},
		{"111111111111", "eu-west-1", 2},
		{"222222222222", "us-east-1", 1},
		{"111111111111", "ap-southeast-2", 1},
	}, groups(batches[0]))
	assert.Equal(t, []group{{"111111111111", "us-east-1", 1}}, groups(batches[1]))
	// Records of a group keep file order: records 1 and 4 of the file.
	rl := batches[0].ResourceLogs().At(1).ScopeLogs().At(0).LogRecords()
	want := cloudtrailtest.Records(1, 1, "111111111111", "eu-west-1", genStart)[0]
	assert.Equal(t, orderedFromJSON(t, want), orderedFromValue(rl.At(0).Body()))
	want = cloudtrailtest.Records(4, 1, "111111111111", "eu-west-1", genStart)[0]
	assert.Equal(t, orderedFromJSON(t, want), orderedFromValue(rl.At(1).Body()))
}

func TestEmitErrorStopsDecoding(t *testing.T) {
	file := cloudtrailtest.File(8, 1000, "123456789012", "us-east-1", genStart)
	errDownstream := errors.New("pipeline refused the data")
	calls := 0
	st, err := NewDecoder(Options{MaxBatchRecords: 100}).Decode(context.Background(), bytes.NewReader(file), testObject, testObserved,
		func(plog.Logs) error {
			calls++
			if calls == 3 {
				return errDownstream
			}
			return nil
		})
	require.Equal(t, errDownstream, err, "returned unchanged")
	assert.Equal(t, 3, calls)
	assert.Equal(t, int64(200), st.Records, "only accepted batches count")
}

func TestContextCancellation(t *testing.T) {
	file := cloudtrailtest.File(9, 1000, "123456789012", "us-east-1", genStart)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	st, err := NewDecoder(Options{MaxBatchRecords: 100}).Decode(ctx, bytes.NewReader(file), testObject, testObserved,
		func(plog.Logs) error {
			calls++
			cancel()
			return nil
		})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, calls)
	assert.Equal(t, int64(100), st.Records)

	calls = 0
	_, err = NewDecoder(Options{}).Decode(ctx, bytes.NewReader(file), testObject, testObserved,
		func(plog.Logs) error { calls++; return nil })
	require.ErrorIs(t, err, context.Canceled, "already cancelled")
	assert.Zero(t, calls)
}

func TestReadErrorIsNotCorrupt(t *testing.T) {
	errConn := errors.New("connection reset by peer")
	file := cloudtrailtest.File(10, 300, "123456789012", "us-east-1", genStart)
	body := cloudtrailtest.Body(10, 300, "123456789012", "us-east-1", genStart)
	for name, data := range map[string][]byte{"gzip": file[:len(file)/2], "plain": body[:len(body)/2], "before any byte": nil} {
		t.Run(name, func(t *testing.T) {
			batches, st, err := decodeAll(t, Options{MaxBatchRecords: 50}, &errReader{data: data, err: errConn})
			require.ErrorIs(t, err, errConn)
			assert.NotErrorIs(t, err, ErrCorrupt)
			assert.Equal(t, int64(len(flatten(batches))), st.Records)
			assert.Zero(t, st.Records%50, "no partial batch is flushed on a read error: the receiver retries the object")
		})
	}
}

func TestSkippedRecords(t *testing.T) {
	body := `{"Records":[
		{"eventTime":"2024-01-01T00:00:00Z","eventName":"A","awsRegion":"us-east-1","recipientAccountId":"123456789012"},
		{"eventName":"no time"},
		{"eventTime":"yesterday","eventName":"bad time"},
		{"eventTime":"2023-02-30T00:00:00Z","eventName":"no such day"},
		{"eventTime":"1969-12-31T23:59:59Z","eventName":"before 1970"},
		{"eventTime":12345,"eventName":"not a string"},
		"not an object", 42, null, [],
		{"eventTime":"2024-01-01T01:02:03.456Z","eventName":"fraction"},
		{"eventTime":"2024-01-01T03:02:03+02:00","eventName":"offset"}
	]}`
	batches, st, err := decodeAll(t, Options{}, bytes.NewReader([]byte(body)))
	require.NoError(t, err)
	assert.Equal(t, int64(3), st.Records)
	assert.Equal(t, int64(9), st.SkippedRecords)
	got := flatten(batches)
	assert.Equal(t, ts("2024-01-01T00:00:00Z"), got[0].record.Timestamp())
	assert.Equal(t, ts("2024-01-01T01:02:03.456Z"), got[1].record.Timestamp())
	assert.Equal(t, ts("2024-01-01T01:02:03Z"), got[2].record.Timestamp())
	// No account or region anywhere in the record: the account comes from the object key, no region attribute.
	assert.Equal(t, map[string]any{"cloud.provider": "aws", "cloud.account.id": "123456789012"}, got[1].resource.AsRaw())
}

func TestSeverity(t *testing.T) {
	body := `{"Records":[
		{"eventTime":"2024-01-01T00:00:00Z","errorCode":"AccessDenied"},
		{"eventTime":"2024-01-01T00:00:00Z","errorCode":""},
		{"eventTime":"2024-01-01T00:00:00Z","errorCode":null},
		{"eventTime":"2024-01-01T00:00:00Z"}
	]}`
	batches, _, err := decodeAll(t, Options{}, bytes.NewReader([]byte(body)))
	require.NoError(t, err)
	var got []string
	for _, r := range flatten(batches) {
		got = append(got, r.record.SeverityText()+"/"+r.record.SeverityNumber().String())
	}
	assert.Equal(t, []string{"WARN/Warn", "INFO/Info", "INFO/Info", "INFO/Info"}, got)
}
