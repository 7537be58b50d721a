// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults

import (
	"encoding/json"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

// TestSinkEventID checks that the sink's byte search finds the eventID a JSON decoder finds, in generated CloudTrail
// records written as the collector writes them and in the odd lines that make it decode instead.
func TestSinkEventID(t *testing.T) {
	decoded := func(line string) (string, bool) {
		var doc struct {
			EventID string `json:"eventID"`
		}
		if err := json.Unmarshal([]byte(line), &doc); err != nil {
			return "", false
		}
		return doc.EventID, true
	}
	for i, rec := range cloudtrailtest.Records(7, 2_000, "123456789012", "eu-west-1", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) {
		line := `{"@timestamp":"2026-01-02T03:04:05.000Z","type":"cloudtrail",` + string(rec[1:])
		want, ok := decoded(line)
		require.True(t, ok, "record %d", i)
		got, ok := eventID(line)
		require.True(t, ok, "record %d", i)
		require.Equal(t, want, got, "record %d: %s", i, line)
	}

	for _, tc := range []struct {
		name, line, want string
		ok               bool
	}{
		{"compact", `{"a":1,"eventID":"e-1","b":2}`, "e-1", true},
		{"escaped in the ID", `{"eventID":"e\u002d1"}`, "e-1", true},
		{"spaces around the colon", `{"eventID" : "e-2"}`, "e-2", true},
		{"inside a string value", `{"note":"\"eventID\":\"fake\"","eventID":"e-3"}`, "e-3", true},
		{"not a string", `{"eventID":42}`, "", false},
		{"none", `{"a":1}`, "", true},
		{"not JSON", `not json`, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := eventID(tc.line)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestSinkKeepsNoLine checks that the sink's count of an eventID does not hold the line it came from.
func TestSinkKeepsNoLine(t *testing.T) {
	s := &Sink{byEventID: map[string]int{}}
	line := `{"eventID":"e-1","big":"` + string(make([]byte, 1<<10)) + `"}`
	id, ok := eventID(line)
	require.True(t, ok)
	require.Equal(t, "e-1", id)
	s.count(id)
	s.count(id)
	require.Len(t, s.byEventID, 1)
	for k, n := range s.byEventID {
		assert.Equal(t, 2, n)
		inLine := uintptr(unsafe.Pointer(unsafe.StringData(line[len(`{"eventID":"`):])))
		assert.NotEqual(t, inLine, uintptr(unsafe.Pointer(unsafe.StringData(k))), "the key is a copy, not a piece of the line")
	}
}
