// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logziotest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testToken = "listener-test-token"

type reply struct {
	status int
	header http.Header
	body   string
}

func post(t *testing.T, l *Listener, query url.Values, body string, gz bool) reply {
	t.Helper()
	payload, encoding := []byte(body), ""
	if gz {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, err := zw.Write(payload)
		require.NoError(t, err)
		require.NoError(t, zw.Close())
		payload = buf.Bytes()
		encoding = "gzip"
	}
	return send(t, l, query, payload, "application/json", encoding)
}

// send posts payload as it is, with the given Content-Type and Content-Encoding (none when empty).
func send(t *testing.T, l *Listener, query url.Values, payload []byte, contentType, contentEncoding string) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, l.URL+"/?"+query.Encode(), bytes.NewReader(payload))
	require.NoError(t, err)
	req.Header.Set("Content-Type", contentType)
	if contentEncoding != "" {
		req.Header.Set("Content-Encoding", contentEncoding)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func tokenAndType(docType string) url.Values {
	return url.Values{"token": {testToken}, "type": {docType}}
}

func TestAcceptsValidGzipNDJSON(t *testing.T) {
	l := New(t, Options{Tokens: []string{testToken}})
	body := `{"@timestamp":"2023-07-19T21:33:41.000Z","type":"cloudtrail","eventName":"StartLogging"}` + "\n" +
		`{"type":"cloudtrail","eventName":"UpdateTrail","n":1}` + "\n"
	r := post(t, l, tokenAndType("cloudtrail"), body, true)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Empty(t, r.body)

	entries := l.Entries()
	require.Len(t, entries, 2)
	assert.Equal(t, "cloudtrail", entries[0].Type)
	assert.Equal(t, "StartLogging", entries[0].Doc["eventName"])
	assert.Equal(t, float64(1), entries[1].Doc["n"])
	assert.Equal(t, []map[string]any{entries[0].Doc, entries[1].Doc}, l.Docs())

	reqs := l.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, 2, reqs[0].Lines)
	assert.Equal(t, len(body), reqs[0].Bytes)
	assert.Equal(t, "gzip", reqs[0].ContentEncoding)
	assert.Equal(t, http.StatusOK, reqs[0].Status)
	assert.Empty(t, l.Violations())
}

func TestTokenRules(t *testing.T) {
	l := New(t, Options{Tokens: []string{testToken}})
	r := post(t, l, url.Values{"type": {"cloudtrail"}}, `{"a":1}`, false)
	assert.Equal(t, http.StatusUnauthorized, r.status)
	assert.Equal(t, "Logging token is missing", r.body)

	r = post(t, l, url.Values{"token": {"wrong"}, "type": {"cloudtrail"}}, `{"a":1}`, false)
	assert.Equal(t, http.StatusUnauthorized, r.status)
	assert.Equal(t, "Logging token is not valid", r.body)
	assert.Empty(t, l.Entries())

	anyToken := New(t, Options{})
	r = post(t, anyToken, url.Values{"token": {"whatever"}}, `{"a":1}`, false)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "http-bulk", anyToken.Entries()[0].Type, "the documented default type")
}

func TestPartialAnswerCounts(t *testing.T) {
	l := New(t, Options{MaxLineBytes: 100})
	body := strings.Join([]string{
		`{"ok":1}`,
		`not json`,
		``,
		`{"big":"` + strings.Repeat("x", 200) + `"}`,
		`{"ok":2}`,
		`[1,2]`,
		`{"a":1} {"b":2}`,
	}, "\n")
	r := post(t, l, tokenAndType("test"), body, false)
	require.Equal(t, http.StatusBadRequest, r.status)
	var counts Counts
	require.NoError(t, json.Unmarshal([]byte(r.body), &counts))
	assert.Equal(t, Counts{MalformedLines: 3, SuccessfulLines: 2, OversizedLines: 1, EmptyLogLines: 1}, counts)
	require.Len(t, l.Entries(), 2, "the valid lines of a 400 are ingested")

	rules := map[string]int{}
	for _, v := range l.Violations() {
		rules[v.Rule]++
	}
	assert.Equal(t, map[string]int{"MALFORMED_LINE": 3, "EMPTY_LINE": 1, "OVERSIZED_LINE": 1}, rules)
}

func TestRequestSizeLimit(t *testing.T) {
	l := New(t, Options{MaxRequestBytes: 1000})
	line := `{"v":"` + strings.Repeat("y", 90) + `"}`
	small := strings.Repeat(line+"\n", 5)
	big := strings.Repeat(line+"\n", 20)
	assert.Equal(t, http.StatusOK, post(t, l, tokenAndType("t"), small, true).status)
	assert.Equal(t, http.StatusRequestEntityTooLarge, post(t, l, tokenAndType("t"), big, true).status,
		"the limit applies to the uncompressed body even when the gzip body is small")
	assert.Equal(t, http.StatusRequestEntityTooLarge, post(t, l, tokenAndType("t"), big, false).status)
	assert.Len(t, l.Entries(), 5)
}

// TestBodyBufferIsBoundedByTheLimit checks that a size hint (Content-Length, the gzip trailer) only presizes the body
// buffer: a hint beyond the limit allocates no more than the limit, and a gzip body whose trailer lies is still
// refused as gzip.
func TestBodyBufferIsBoundedByTheLimit(t *testing.T) {
	var buf bytes.Buffer
	got, err := readAtMost(&buf, strings.NewReader(strings.Repeat("x", 50)), 1<<40, 10)
	require.NoError(t, err)
	assert.Len(t, got, 11, "one byte more than the limit tells a body over it")
	assert.LessOrEqual(t, buf.Cap(), 11+bytes.MinRead+64, "the hint is bounded by the limit")

	buf.Reset()
	got, err = readAtMost(&buf, strings.NewReader("abc"), 0, 10)
	require.NoError(t, err)
	assert.Equal(t, "abc", string(got), "no hint: read as it comes")

	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err = zw.Write([]byte(`{"v":1}` + "\n"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	assert.Equal(t, 8, gzipSize(gz.Bytes()))
	lying := gz.Bytes()
	copy(lying[len(lying)-4:], []byte{0xff, 0xff, 0xff, 0x7f})
	assert.Equal(t, 0x7fffffff, gzipSize(lying))
	assert.Zero(t, gzipSize([]byte{0x1f, 0x8b}), "too short for a trailer")

	l := New(t, Options{MaxRequestBytes: 1000})
	r := send(t, l, tokenAndType("t"), lying, "application/json", "gzip")
	assert.Equal(t, http.StatusBadRequest, r.status, "a trailer that does not match the data is not gzip")
	require.Len(t, l.Violations(), 1)
	assert.Equal(t, "GZIP", l.Violations()[0].Rule)
}

func TestFieldRuleViolations(t *testing.T) {
	deep := `{"l1":` + strings.Repeat(`{"x":`, 10) + `1` + strings.Repeat(`}`, 10) + `}`
	atLimit := `{"l1":` + strings.Repeat(`{"x":`, 9) + `1` + strings.Repeat(`}`, 9) + `}`
	var many strings.Builder
	many.WriteString(`{"obj":{`)
	for i := range 1000 {
		if i > 0 {
			many.WriteString(",")
		}
		fmt.Fprintf(&many, `"f%d":%d`, i, i)
	}
	many.WriteString(`}}`)
	arrayPaths := `{"a":[{"b":1},{"b":2,"c":[[{"d":1}]]}]}`

	tests := []struct {
		name string
		line string
		want []string
	}{
		{"dot at top level", `{"cloud.account.id":"1"}`, []string{"ARRAY_INDEX_OUT_OF_BOUNDS_EXCEPTION"}},
		{"dot nested", `{"tags":{"app.kubernetes.io/name":"x"}}`, []string{"ARRAY_INDEX_OUT_OF_BOUNDS_EXCEPTION"}},
		{"dot inside an array of objects", `{"a":[{"k.v":1}]}`, []string{"ARRAY_INDEX_OUT_OF_BOUNDS_EXCEPTION"}},
		{"depth 11", deep, []string{"MAX_JSON_DEPTH"}},
		{"depth 10 is fine", atLimit, nil},
		{"1001 fields", many.String(), []string{"MAX_FIELDS_NUMBER"}},
		{"array elements share a path", arrayPaths, nil},
		{"long value", `{"v":"` + strings.Repeat("z", MaxFieldBytes+1) + `"}`, []string{"INVALID_FIELD_VALUE_LENGTH"}},
		{"value at the limit", `{"v":"` + strings.Repeat("z", MaxFieldBytes) + `"}`, nil},
		{"long key", `{"` + strings.Repeat("k", MaxFieldBytes+1) + `":1}`, []string{"MAX_FIELD_KEY_SIZE"}},
		{"type field differs from the parameter", `{"type":"other"}`, []string{"TYPE_MISMATCH"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := New(t, Options{})
			r := post(t, l, tokenAndType("cloudtrail"), tt.line, true)
			assert.Equal(t, http.StatusOK, r.status, "a log that breaks a field rule is still ingested")
			assert.Len(t, l.Entries(), 1)
			var rules []string
			for _, v := range l.Violations() {
				rules = append(rules, v.Rule)
			}
			assert.Equal(t, tt.want, rules)
		})
	}
}

func TestRequestLevelViolations(t *testing.T) {
	l := New(t, Options{})
	r := post(t, l, tokenAndType("cloud trail"), `{"a":1}`, false)
	assert.Equal(t, http.StatusOK, r.status)

	r = send(t, l, url.Values{"token": {"x"}}, []byte("not gzip"), "application/x-ndjson", "gzip")
	assert.Equal(t, http.StatusBadRequest, r.status)

	var rules []string
	for _, v := range l.Violations() {
		rules = append(rules, v.Rule)
	}
	assert.Equal(t, []string{"TYPE_WITH_SPACES", "CONTENT_TYPE", "GZIP"}, rules)
}

func TestScriptedAnswers(t *testing.T) {
	l := New(t, Options{})
	l.Script(
		Answer{Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"2"}}},
		Answer{Status: http.StatusBadRequest, Ingest: true, RejectFirst: 1},
		Answer{Status: http.StatusUnauthorized, Body: "Logging token is not valid"},
	)
	body := "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n"

	r := post(t, l, tokenAndType("t"), body, true)
	assert.Equal(t, http.StatusServiceUnavailable, r.status)
	assert.Equal(t, "2", r.header.Get("Retry-After"))
	assert.Empty(t, l.Entries(), "a scripted failure stores nothing")

	r = post(t, l, tokenAndType("t"), body, true)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.JSONEq(t, `{"malformedLines":1,"successfulLines":2,"oversizedLines":0,"emptyLogLines":0}`, r.body)
	require.Len(t, l.Entries(), 2)
	assert.Equal(t, float64(2), l.Docs()[0]["n"])

	r = post(t, l, tokenAndType("t"), body, true)
	assert.Equal(t, http.StatusUnauthorized, r.status)

	r = post(t, l, tokenAndType("t"), body, true)
	assert.Equal(t, http.StatusOK, r.status, "normal processing once the script is used up")
	assert.Len(t, l.Entries(), 5)

	reqs := l.Requests()
	require.Len(t, reqs, 4)
	assert.True(t, reqs[0].Scripted)
	assert.False(t, reqs[3].Scripted)
	assert.Equal(t, 3, reqs[3].Lines)
}

func TestAlwaysAndDropConnection(t *testing.T) {
	l := New(t, Options{})
	l.Always(&Answer{DropConnection: true})
	req, err := http.NewRequest(http.MethodPost, l.URL+"/?token=x", strings.NewReader(`{"a":1}`))
	require.NoError(t, err)
	_, err = http.DefaultClient.Do(req)
	require.Error(t, err, "the connection is closed without an answer")

	l.Always(nil)
	assert.Equal(t, http.StatusOK, post(t, l, tokenAndType("t"), `{"a":1}`, false).status)
	require.Len(t, l.Requests(), 2)
	assert.Equal(t, 0, l.Requests()[0].Status)
}

func TestRejectsOtherMethods(t *testing.T) {
	l := New(t, Options{})
	resp, err := http.Get(l.URL + "/?token=x")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}
