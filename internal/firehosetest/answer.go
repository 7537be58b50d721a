// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosetest

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// RequireAnswer is test support: it checks the Firehose answer contract. The status, a JSON content type without
// content encoding and with an exact Content-Length, requestID echoed, a millisecond timestamp as a JSON number, and
// errorMessage only on failure: with errorContains "" the answer has exactly requestId and timestamp, otherwise
// errorMessage too, containing errorContains.
func RequireAnswer(t *testing.T, a Answer, status int, requestID, errorContains string) {
	t.Helper()
	require.Equal(t, status, a.Status, "answer: %s", a.Raw)
	require.Equal(t, "application/json", a.Header.Get("Content-Type"))
	require.Empty(t, a.Header.Get("Content-Encoding"))
	require.Equal(t, strconv.Itoa(len(a.Raw)), a.Header.Get("Content-Length"))
	require.Equal(t, requestID, a.Fields["requestId"])
	ts, isNumber := a.Fields["timestamp"].(float64)
	require.True(t, isNumber, "timestamp must be a JSON number: %s", a.Raw)
	require.InDelta(t, float64(time.Now().UnixMilli()), ts, float64(10*time.Minute/time.Millisecond), "timestamp must be epoch milliseconds")
	if errorContains == "" {
		require.Len(t, a.Fields, 2, "a success answer has exactly requestId and timestamp: %s", a.Raw)
		return
	}
	require.Len(t, a.Fields, 3, "an error answer has requestId, timestamp and errorMessage: %s", a.Raw)
	require.Contains(t, a.Fields["errorMessage"], errorContains)
}
