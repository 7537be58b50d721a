// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosetest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/stretchr/testify/require"
)

// Answer is test support: a receiver's response as Post and Do read it.
type Answer struct {
	Status int
	Header http.Header
	Raw    []byte
	// Fields is the JSON answer decoded (nil for a HEAD request).
	Fields map[string]any
	// Close is whether the answer said Connection: close (net/http removes that header from Header).
	Close bool
}

// Post is test support: it POSTs body to url with headers, gzip-compressed first (and sent with Content-Encoding:
// gzip) when gzipped, and reads the answer as Do does.
func Post(t *testing.T, url string, body []byte, headers map[string]string, gzipped bool) Answer {
	t.Helper()
	if gzipped {
		body = Gzip(t, body, gzip.DefaultCompression)
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if gzipped {
		req.Header.Set("Content-Encoding", "gzip")
	}
	return Do(t, req)
}

// Do is test support: it sends req with the default client and reads the whole answer, which must be JSON unless
// req is a HEAD request.
func Do(t *testing.T, req *http.Request) Answer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := Answer{Status: resp.StatusCode, Header: resp.Header, Raw: raw, Close: resp.Close}
	if req.Method != http.MethodHead {
		require.NoError(t, json.Unmarshal(raw, &a.Fields), "answer is not JSON: %q", raw)
	}
	return a
}
