// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"testing"
)

// TestSinkCounts checks the counting sink the scenarios rely on: received, lost, duplicated, unexpected, the token
// check and a failure plan that ingests nothing.
func TestSinkCounts(t *testing.T) {
	sink := NewSink(t, "tok")
	post := func(token string, lines ...string) int {
		var body bytes.Buffer
		zw := gzip.NewWriter(&body)
		for _, l := range lines {
			_, _ = io.WriteString(zw, l+"\n")
		}
		_ = zw.Close()
		req, _ := http.NewRequest(http.MethodPost, sink.URL+"/?token="+token+"&type=cloudtrail", &body)
		req.Header.Set("Content-Encoding", "gzip")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post("wrong", `{"eventID":"a"}`); got != http.StatusUnauthorized {
		t.Errorf("wrong token answered %d, want 401", got)
	}
	post("tok", `{"eventID":"a"}`, `{"eventID":"b"}`)
	sink.SetPlan(Outage(http.StatusServiceUnavailable, "1"))
	if got := post("tok", `{"eventID":"c"}`); got != http.StatusServiceUnavailable {
		t.Errorf("during the outage answered %d, want 503", got)
	}
	sink.SetPlan(nil)
	post("tok", `{"eventID":"a"}`, `{"eventID":"zz"}`, `{"no":"id"}`)

	tally := sink.Count(map[string]struct{}{"a": {}, "b": {}, "c": {}})
	want := Tally{Sent: 3, Received: 2, Lost: 1, Duplicated: 1, Documents: 5, Unexpected: 1, WithoutEventID: 1}
	if tally != want {
		t.Errorf("tally %+v, want %+v", tally, want)
	}
	if answers := sink.Answers(); answers[200] != 2 || answers[401] != 1 || answers[503] != 1 {
		t.Errorf("answers %v, want 200×2 401×1 503×1", answers)
	}
}

func TestBursts(t *testing.T) {
	plan := Bursts(5, 3, http.StatusTooManyRequests, "")
	var failed []bool
	for n := 10; n < 20; n++ {
		failed = append(failed, plan(n) != nil)
	}
	want := []bool{true, true, true, false, false, true, true, true, false, false}
	for i := range want {
		if failed[i] != want[i] {
			t.Fatalf("bursts %v, want %v", failed, want)
		}
	}
}

func TestTelemetrySum(t *testing.T) {
	m := Telemetry(`# HELP otelcol_receiver_cloudtrails3_objects_failed_total Objects that could not be read.
# TYPE otelcol_receiver_cloudtrails3_objects_failed_total counter
otelcol_receiver_cloudtrails3_objects_failed_total{otel_scope_name="x",reason="corrupt"} 3
otelcol_receiver_cloudtrails3_objects_failed_total{otel_scope_name="x",reason="too_large"} 1
otelcol_receiver_cloudtrails3_objects_processed_total{otel_scope_name="x"} 40
otelcol_process_uptime 12.5
`)
	for _, c := range []struct {
		name  string
		want  []string
		value float64
	}{
		{"otelcol_receiver_cloudtrails3_objects_failed", nil, 4},
		{"otelcol_receiver_cloudtrails3_objects_failed", []string{`reason="corrupt"`}, 3},
		{"otelcol_receiver_cloudtrails3_objects_failed", []string{`reason="missing"`}, 0},
		{"otelcol_receiver_cloudtrails3_objects_processed", nil, 40},
		{"otelcol_process_uptime", nil, 12.5},
	} {
		if got := m.Sum(c.name, c.want...); got != c.value {
			t.Errorf("Sum(%s, %v) = %v, want %v", c.name, c.want, got, c.value)
		}
	}
}

func TestGzipBomb(t *testing.T) {
	const inflated = 32 << 20
	bomb := GzipBomb(`{"Records":[`, inflated, `]}`)
	if len(bomb) > inflated/100 {
		t.Errorf("the bomb is %d bytes compressed, want under 1%% of %d", len(bomb), inflated)
	}
	zr, err := gzip.NewReader(bytes.NewReader(bomb))
	if err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 12)
	if _, err := io.ReadFull(zr, head); err != nil || string(head) != `{"Records":[` {
		t.Fatalf("bomb starts with %q (%v)", head, err)
	}
	n, err := io.Copy(io.Discard, zr)
	if err != nil {
		t.Fatal(err)
	}
	if n != inflated+2 {
		t.Errorf("the bomb inflates to %d bytes after its prefix, want %d", n, inflated+2)
	}
}
