// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestFaultProxy checks each fault of the proxy against a plain upstream, so that the S3 scenario's faults are
// known to be what they claim.
func TestFaultProxy(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789"), 10_000)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Seen-Host", r.Host)
		_, _ = w.Write(body)
	}))
	t.Cleanup(upstream.Close)
	proxy := NewFaultProxy(t, upstream.URL, 300*time.Millisecond)
	client := &http.Client{Timeout: 10 * time.Second}

	get := func(t *testing.T, path string) (*http.Response, []byte, error) {
		t.Helper()
		resp, err := client.Get(proxy.URL + path)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		return resp, data, err
	}

	t.Run("pass keeps the Host header and the body", func(t *testing.T) {
		proxy.SetPlan(nil)
		resp, data, err := get(t, "/bucket/key-pass")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, body) {
			t.Errorf("body changed: %d bytes, want %d", len(data), len(body))
		}
		if want := strings.TrimPrefix(proxy.URL, "http://"); resp.Header.Get("X-Seen-Host") != want {
			t.Errorf("upstream saw Host %q, want the proxy's %q (SigV4 signs it)", resp.Header.Get("X-Seen-Host"), want)
		}
	})
	for _, tc := range []struct {
		fault  Fault
		status int
		code   string
	}{
		{InternalError, http.StatusInternalServerError, "<Code>InternalError</Code>"},
		{SlowDown, http.StatusServiceUnavailable, "<Code>SlowDown</Code>"},
	} {
		t.Run(tc.fault.String(), func(t *testing.T) {
			proxy.SetPlan(func(ProxyRequest) Fault { return tc.fault })
			resp, data, err := get(t, "/bucket/key")
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.status || !strings.Contains(string(data), tc.code) {
				t.Errorf("got %d %q, want %d with %s", resp.StatusCode, data, tc.status, tc.code)
			}
		})
	}
	t.Run("reset mid-body", func(t *testing.T) {
		proxy.SetPlan(func(ProxyRequest) Fault { return ResetMidBody })
		_, data, err := get(t, "/bucket/key-reset")
		if err == nil {
			t.Fatalf("read %d bytes without an error, want a connection error mid-body", len(data))
		}
		if len(data) == 0 || len(data) >= len(body) {
			t.Errorf("read %d bytes before the error, want part of the %d", len(data), len(body))
		}
	})
	t.Run("stalled read completes", func(t *testing.T) {
		proxy.SetPlan(func(ProxyRequest) Fault { return StallMidBody })
		_, data, err := get(t, "/bucket/key-stall")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, body) {
			t.Errorf("body changed: %d bytes, want %d", len(data), len(body))
		}
	})
	t.Run("first get of each object", func(t *testing.T) {
		plan := FirstGetOfEachObject(SlowDown, InternalError)
		proxy.SetPlan(plan)
		for _, path := range []string{"/bucket/a", "/bucket/a", "/bucket/b", "/bucket?list-type=2"} {
			resp, _, err := get(t, path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		injected := proxy.Injected()
		if injected[SlowDown] < 1 || injected[InternalError] < 1 {
			t.Errorf("injected %v, want one SlowDown (first GET of a) and one InternalError (first GET of b)", injected)
		}
	})
}
