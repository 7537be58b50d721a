// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// decodeJSONInto decodes one JSON value from data into dest, the way the CloudTrail
// receiver builds bodies: key order kept, integers as Int, other numbers as Double,
// null as an empty value.
func decodeJSONInto(data []byte, dest pcommon.Value) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := decodeValue(dec, dest); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("trailing data after the JSON value")
	}
	return nil
}

func decodeValue(dec *json.Decoder, dest pcommon.Value) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	return decodeToken(dec, tok, dest)
}

func decodeToken(dec *json.Decoder, tok json.Token, dest pcommon.Value) error {
	switch t := tok.(type) {
	case nil:
		// left empty: null
	case bool:
		dest.SetBool(t)
	case string:
		dest.SetStr(t)
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			dest.SetInt(i)
			break
		}
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			return err
		}
		dest.SetDouble(f)
	case json.Delim:
		switch t {
		case '{':
			m := dest.SetEmptyMap()
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				if err := decodeValue(dec, m.PutEmpty(k.(string))); err != nil {
					return err
				}
			}
		case '[':
			s := dest.SetEmptySlice()
			for dec.More() {
				if err := decodeValue(dec, s.AppendEmpty()); err != nil {
					return err
				}
			}
		}
		_, err := dec.Token() // closing delimiter
		return err
	}
	return nil
}

const (
	sampleBucket = "my-trail-bucket"
	sampleKey    = "AWSLogs/123456789012/CloudTrail/us-east-1/2023/07/19/123456789012_CloudTrail_us-east-1_20230719T2135Z_Mu0KsOhtH1ar15ZZ.json.gz"
)

// cloudTrailLog builds the pdata of one CloudTrail record as the receiver does.
func cloudTrailLog(t testing.TB, record []byte) (pcommon.Resource, pcommon.InstrumentationScope, plog.LogRecord) {
	t.Helper()
	logs := plog.NewLogs()
	rl := logs.ResourceLogs().AppendEmpty()
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName("github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver")
	lr := sl.LogRecords().AppendEmpty()
	require.NoError(t, decodeJSONInto(record, lr.Body()))
	body := lr.Body().Map()

	eventTime, ok := body.Get("eventTime")
	require.True(t, ok)
	ts, err := time.Parse(time.RFC3339, eventTime.Str())
	require.NoError(t, err)
	lr.SetTimestamp(pcommon.NewTimestampFromTime(ts))
	lr.SetObservedTimestamp(pcommon.NewTimestampFromTime(ts.Add(5 * time.Minute)))

	res := rl.Resource().Attributes()
	res.PutStr("cloud.provider", "aws")
	if v, ok := body.Get("recipientAccountId"); ok {
		res.PutStr("cloud.account.id", v.Str())
	}
	if v, ok := body.Get("awsRegion"); ok {
		res.PutStr("cloud.region", v.Str())
	}
	lr.Attributes().PutStr("aws.s3.bucket", sampleBucket)
	lr.Attributes().PutStr("aws.s3.key", sampleKey)
	return rl.Resource(), sl.Scope(), lr
}

// sampleRecords returns the records of a CloudTrail sample file in testdata.
func sampleRecords(t testing.TB, name string) [][]byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	var file struct {
		Records []json.RawMessage `json:"Records"`
	}
	require.NoError(t, json.Unmarshal(data, &file))
	records := make([][]byte, len(file.Records))
	for i, r := range file.Records {
		records[i] = r
	}
	return records
}

// lineStats describes a produced line, as Logz.io would measure it.
type lineStats struct {
	depth     int // deepest level of a value (top-level values are level 1)
	fields    int // distinct key paths
	maxString int // longest string value or key, in bytes
}

// checkLine verifies that line is one JSON object that Logz.io accepts as valid:
// no raw newline, no duplicate key, no dot in a key, depth ≤ 10, ≤ 1,000 distinct key
// paths, strings and keys ≤ 32,700 bytes and the whole line ≤ maxLine bytes.
func checkLine(line []byte, maxLine int) (lineStats, error) {
	var st lineStats
	if len(line) > maxLine {
		return st, fmt.Errorf("line of %d bytes exceeds %d", len(line), maxLine)
	}
	if bytes.ContainsAny(line, "\n\r") {
		return st, errors.New("line holds a raw newline")
	}
	if !json.Valid(line) {
		return st, fmt.Errorf("line is not valid JSON: %.200q", line)
	}
	if !utf8.Valid(line) {
		return st, errors.New("line is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return st, fmt.Errorf("line is not a JSON object")
	}
	paths := map[string]struct{}{}
	if err := checkObject(dec, 0, "", paths, &st); err != nil {
		return st, err
	}
	st.fields = len(paths)
	if st.fields > maxFields {
		return st, fmt.Errorf("%d fields, more than %d", st.fields, maxFields)
	}
	if st.depth > maxDepth {
		return st, fmt.Errorf("depth %d, more than %d", st.depth, maxDepth)
	}
	if st.maxString > maxFieldBytes {
		return st, fmt.Errorf("a string of %d bytes, more than %d", st.maxString, maxFieldBytes)
	}
	return st, nil
}

// checkObject reads the members of an object (after its '{') whose values sit at
// level+1.
func checkObject(dec *json.Decoder, level int, prefix string, paths map[string]struct{}, st *lineStats) error {
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		k := tok.(string)
		if seen[k] {
			return fmt.Errorf("duplicate key %q", k)
		}
		seen[k] = true
		if strings.Contains(k, ".") {
			return fmt.Errorf("key %q holds a dot", k)
		}
		if strings.TrimSpace(k) == "" {
			return fmt.Errorf("blank key %q", k)
		}
		st.maxString = max(st.maxString, len(k))
		path := prefix + "." + k
		paths[path] = struct{}{}
		if err := checkValue(dec, level+1, path, paths, st); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	return err
}

func checkValue(dec *json.Decoder, level int, path string, paths map[string]struct{}, st *lineStats) error {
	st.depth = max(st.depth, level)
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case string:
		st.maxString = max(st.maxString, len(t))
	case json.Delim:
		if t == '{' {
			return checkObject(dec, level, path, paths, st)
		}
		for dec.More() {
			if err := checkValue(dec, level+1, path, paths, st); err != nil {
				return err
			}
		}
		_, err := dec.Token()
		return err
	}
	return nil
}

// decodeLine decodes a produced line into a generic value for assertions.
func decodeLine(t testing.TB, line []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&doc), "line: %.300s", line)
	return doc
}

// newLog returns an empty log record with its resource and scope.
func newLog() (pcommon.Resource, pcommon.InstrumentationScope, plog.LogRecord) {
	return pcommon.NewResource(), pcommon.NewInstrumentationScope(), plog.NewLogRecord()
}

func itoa(i int) string { return strconv.Itoa(i) }

func nan() float64 { return math.NaN() }

func inf(sign int) float64 { return math.Inf(sign) }
