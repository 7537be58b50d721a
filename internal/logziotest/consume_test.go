// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logziotest

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConsumeKeepsNoLine(t *testing.T) {
	var mu sync.Mutex
	var consumed []Entry
	l := New(t, Options{Consume: func(e Entry) {
		mu.Lock()
		defer mu.Unlock()
		consumed = append(consumed, e)
	}})
	r := post(t, l, tokenAndType("cloudtrail"), "{\"n\":1}\nnot json\n{\"n\":2}\n", true)
	assert.Equal(t, http.StatusBadRequest, r.status, "the line rules still apply")

	mu.Lock()
	require.Len(t, consumed, 2, "every accepted line is handed over")
	assert.Equal(t, `{"n":1}`, consumed[0].Line)
	assert.Equal(t, float64(2), consumed[1].Doc["n"])
	assert.Equal(t, "cloudtrail", consumed[1].Type)
	mu.Unlock()
	assert.Empty(t, l.Entries(), "a consumed line is not kept")
	assert.Empty(t, l.Docs())
	reqs := l.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, Counts{MalformedLines: 1, SuccessfulLines: 2}, reqs[0].Counts)
	require.Len(t, l.Violations(), 1)
	assert.Equal(t, "MALFORMED_LINE", l.Violations()[0].Rule)
}

func TestSkipDecoding(t *testing.T) {
	l := New(t, Options{MaxLineBytes: 100, SkipDecoding: true})
	body := strings.Join([]string{
		`{"ok":1}`,
		`not json`,
		``,
		`{"big":"` + strings.Repeat("x", 200) + `"}`,
		`{"cloud.account.id":"1","type":"other"}`,
	}, "\n")
	r := post(t, l, tokenAndType("test"), body, false)
	require.Equal(t, http.StatusBadRequest, r.status)
	var counts Counts
	require.NoError(t, json.Unmarshal([]byte(r.body), &counts))
	assert.Equal(t, Counts{SuccessfulLines: 3, OversizedLines: 1, EmptyLogLines: 1}, counts,
		"only empty and oversized lines are refused")

	entries := l.Entries()
	require.Len(t, entries, 3)
	assert.Equal(t, "not json", entries[1].Line)
	for _, e := range entries {
		assert.Nil(t, e.Doc, "lines are not decoded")
		assert.Equal(t, "test", e.Type)
	}
	var rules []string
	for _, v := range l.Violations() {
		rules = append(rules, v.Rule)
	}
	assert.Equal(t, []string{"EMPTY_LINE", "OVERSIZED_LINE"}, rules, "no JSON or field rule is checked")
}
