// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const secretToken = "s3cr3t-Token-that-must-never-leak"

func TestRedactURL(t *testing.T) {
	got := redactURL("https://listener.logz.io:8071/?token=" + secretToken + "&type=cloudtrail")
	assert.NotContains(t, got, secretToken)
	assert.Contains(t, got, "token=REDACTED")
	assert.Contains(t, got, "type=cloudtrail")

	assert.Equal(t, "https://listener.logz.io:8053", redactURL("https://listener.logz.io:8053"))
	assert.NotContains(t, redactURL("https://user:"+secretToken+"@proxy:3128/"), secretToken)
}

func TestRedactErrorFromHTTPClient(t *testing.T) {
	// A real transport error: nothing listens on this port.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, "http://"+addr+"/?token="+secretToken+"&type=cloudtrail", http.NoBody)
	require.NoError(t, err)
	_, rawErr := http.DefaultClient.Do(req)
	require.Error(t, rawErr)
	require.Contains(t, rawErr.Error(), secretToken, "precondition: net/http puts the URL, token included, in its errors")

	got := redactError(rawErr, secretToken)
	assert.NotContains(t, got.Error(), secretToken)
	assert.Contains(t, got.Error(), "token=REDACTED")
	var opErr *net.OpError
	assert.True(t, errors.As(got, &opErr), "the cause stays inspectable")
}

func TestRedactErrorSafetyNet(t *testing.T) {
	got := redactError(errors.New("something printed "+secretToken), secretToken)
	assert.Equal(t, "something printed REDACTED", got.Error())

	plain := errors.New("nothing secret")
	assert.Same(t, plain, redactError(plain, secretToken))
	assert.NoError(t, redactError(nil, secretToken))

	timeout := &url.Error{Op: "Post", URL: "http://x/?token=" + secretToken, Err: context.DeadlineExceeded}
	got = redactError(timeout, secretToken)
	assert.NotContains(t, got.Error(), secretToken)
	assert.ErrorIs(t, got, context.DeadlineExceeded)
}
