// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// maxFirehoseRSS bounds the collector's peak RSS while it is abused (bodies are capped at 4 MiB in the config).
const maxFirehoseRSS = 384 << 20

// TestFirehoseAbuse sends the firehosemetrics receiver malformed JSON, missing and wrong keys and headers,
// oversized bodies, a gzip bomb, 10,000 empty records and slow-loris bodies and headers. Each must get the right
// answer within the server's timeouts, and afterwards the collector must still be healthy and accept a valid
// delivery.
func TestFirehoseAbuse(t *testing.T) {
	s := startScenario(t, "firehose abuse")
	s.row.Scenario = "firehose abuse (requests): malformed, keys, oversized, gzip bomb, 10,000 empty records, slow loris"
	bin := FindBinary(t)
	if out, err := exec.Command(bin, "components").Output(); err != nil || !bytes.Contains(out, []byte("name: firehosemetrics")) {
		s.row.Outcome = "skipped: firehosemetrics is not in " + bin
		t.Skipf("%s has no firehosemetrics receiver (components: %v): rebuild with `make build` once it is in builder-config.yaml", bin, err)
	}
	sc := s.scale
	port := FreePorts(t, 1)[0]
	endpoint := fmt.Sprintf("127.0.0.1:%d", port)
	url := "http://" + endpoint + "/"
	logsSink := NewSink(t, s.secrets.LogsToken)
	metricsSink := NewRemoteWriteSink(t, s.secrets.LogsToken)
	collector := s.startCollector(PipelineConfig{
		FirehoseEndpoint: endpoint,
		SinkURL:          logsSink.URL,
		MetricsSinkURL:   metricsSink.URL,
		PersistentQueue:  true, // Firehose cannot replay what was answered 200: the metrics queue is on disk
	})
	client := &http.Client{Timeout: 20 * time.Second}
	key := s.secrets.FirehoseKey
	valid := func(id string) []byte {
		return FirehoseBody(id, MetricStreamRecord("CPUUtilization", "i-0faults-"+id, time.Now().Add(-time.Minute)))
	}

	type abuse struct {
		name string
		req  FirehoseRequest
		want []int // acceptable answers
	}
	bomb := GzipBomb(`{"requestId":"bomb","records":[`, 1<<30, `]}`)
	// Six valid records of about 900 KB each (under max_record_size): 7 MiB of base64, over the 4 MiB body cap.
	bigRecord := bytes.Repeat(MetricStreamRecord("NetworkIn", "i-0faults-big", time.Now().Add(-time.Minute)), 900_000/260)
	oversized := FirehoseBody("oversized", bigRecord, bigRecord, bigRecord, bigRecord, bigRecord, bigRecord)
	recordTooLarge := FirehoseBody("record-too-large", bytes.Repeat([]byte("x"), 1_100_000))
	empty := make([][]byte, sc.EmptyRecords)
	cases := []abuse{
		{"valid delivery", FirehoseRequest{RequestID: "valid-1", AccessKey: key, Body: valid("valid-1")}, []int{200}},
		{"valid delivery, rotated key", FirehoseRequest{RequestID: "valid-2", AccessKey: s.secrets.FirehoseKeyV2, Body: valid("valid-2")}, []int{200}},
		{"malformed JSON", FirehoseRequest{RequestID: "bad-json", AccessKey: key, Body: []byte(`{"requestId":"bad-json","records":[{"data":`)}, []int{400}},
		{"not JSON at all", FirehoseRequest{RequestID: "garbage", AccessKey: key, Body: []byte("\x00\xffgarbage")}, []int{400}},
		{"invalid base64", FirehoseRequest{RequestID: "b64", AccessKey: key, Body: []byte(`{"requestId":"b64","timestamp":1,"records":[{"data":"!!!not base64!!!"}]}`)}, []int{400}},
		{"request id differs from header", FirehoseRequest{RequestID: "header-id", AccessKey: key, Body: valid("body-id-x")}, []int{400}},
		{"missing request id header", FirehoseRequest{AccessKey: key, Body: valid("no-header")}, []int{400}},
		{"missing access key", FirehoseRequest{RequestID: "no-key", Body: valid("no-key")}, []int{401}},
		{"wrong access key", FirehoseRequest{RequestID: "wrong-key", AccessKey: s.secrets.WrongFirehoseKey, Body: valid("wrong-key")}, []int{401}},
		{"unsupported Content-Encoding", FirehoseRequest{RequestID: "br", AccessKey: key, Encoding: "br", Body: valid("br")}, []int{400}},
		{"oversized body (7 MiB, cap 4 MiB)", FirehoseRequest{RequestID: "oversized", AccessKey: key, Body: oversized}, []int{413}},
		{"record over max_record_size", FirehoseRequest{RequestID: "record-too-large", AccessKey: key, Body: recordTooLarge}, []int{400}},
		{"gzip bomb (1 GiB inflated)", FirehoseRequest{RequestID: "bomb", AccessKey: key, Encoding: "gzip", Body: bomb}, []int{413}},
		{"10,000 empty records", FirehoseRequest{RequestID: "empty", AccessKey: key, Body: FirehoseBody("empty", empty...)}, []int{200, 400}},
		{"10,001 records", FirehoseRequest{RequestID: "too-many", AccessKey: key, Body: FirehoseBody("too-many", make([][]byte, 10_001)...)}, []int{400}},
	}

	answered := 0
	var results []string
	for _, c := range cases {
		req, err := c.req.NewHTTPRequest(url)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		got := statusOf(resp, err)
		results = append(results, c.name+" → "+got)
		ok := false
		for _, w := range c.want {
			ok = ok || got == fmt.Sprint(w)
		}
		if ok {
			answered++
		} else {
			t.Errorf("%s: answered %s, want one of %v", c.name, got, c.want)
		}
	}

	slow := slowLorisBody(s.ctx, endpoint, key, sc.SlowLoris)
	results = append(results, "slow-loris body → "+slow.String())
	if slow.outlived {
		t.Errorf("slow-loris body: the server kept the connection for the whole %s: it needs a read timeout", sc.SlowLoris)
	} else {
		answered++
	}
	slowHeaders := slowLorisHeaders(s.ctx, endpoint, sc.SlowLoris)
	results = append(results, "slow-loris headers → "+slowHeaders.String())
	if slowHeaders.outlived {
		t.Errorf("slow-loris headers: the server kept the connection for the whole %s: it needs read_header_timeout", sc.SlowLoris)
	} else {
		answered++
	}

	// Still healthy: the health check answers and a valid delivery goes through to the metrics listener.
	req, _ := FirehoseRequest{RequestID: "valid-after", AccessKey: key, Body: valid("valid-after")}.NewHTTPRequest(url)
	resp, err := client.Do(req)
	if got := statusOf(resp, err); got != "200" {
		t.Errorf("a valid delivery after the abuse was answered %s", got)
	} else {
		resp.Body.Close()
		answered++
	}
	s.waitFor("the metrics at the remote-write sink", 200*time.Millisecond, func() bool { return metricsSink.Requests() > 0 }, func() {})
	telemetry := s.scrape()
	rss := collector.CurrentRSS()
	collector.Stop()

	sent := len(cases) + 3
	s.row.Sent, s.row.Received, s.row.Lost = sent, answered, sent-answered
	s.note("%s; receiver requests by status: 200 %.0f, 400 %.0f, 401 %.0f, 413 %.0f; remote-write requests %d; RSS at the end %s",
		strings.Join(results, ", "),
		telemetry.Sum("otelcol_receiver_firehosemetrics_requests", `="200"`), telemetry.Sum("otelcol_receiver_firehosemetrics_requests", `="400"`),
		telemetry.Sum("otelcol_receiver_firehosemetrics_requests", `="401"`), telemetry.Sum("otelcol_receiver_firehosemetrics_requests", `="413"`),
		metricsSink.Requests(), formatBytes(rss))
	if peak := collector.PeakRSS(); peak > maxFirehoseRSS {
		t.Errorf("peak RSS %s, above the %s bound", formatBytes(peak), formatBytes(maxFirehoseRSS))
	}
}

// slowLoris is what happened to a connection that sends very slowly.
type slowLoris struct {
	outlived bool          // the client finished dripping and the server still had not given up
	after    time.Duration // when the server answered or closed
	answer   string        // the status line, or how the connection ended
}

func (s slowLoris) String() string {
	if s.outlived {
		return "still open after " + s.after.Round(time.Second).String()
	}
	return s.answer + " after " + s.after.Round(time.Second).String()
}

// slowLorisBody announces a 1 MiB body and sends one byte a second, until the server answers or closes the
// connection, or for at most limit.
func slowLorisBody(ctx context.Context, endpoint, key string, limit time.Duration) slowLoris {
	head := "POST / HTTP/1.1\r\nHost: " + endpoint + "\r\nContent-Type: application/json\r\nX-Amz-Firehose-Request-Id: slow\r\n" +
		"X-Amz-Firehose-Access-Key: " + key + "\r\nContent-Length: 1048576\r\n\r\n{"
	return drip(ctx, endpoint, head, limit)
}

// slowLorisHeaders sends the request line and then one header byte a second.
func slowLorisHeaders(ctx context.Context, endpoint string, limit time.Duration) slowLoris {
	return drip(ctx, endpoint, "POST / HTTP/1.1\r\nHost: "+endpoint+"\r\nX-Amz-Firehose-Request-Id: slow", limit)
}

func drip(ctx context.Context, endpoint, head string, limit time.Duration) slowLoris {
	started := time.Now()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", endpoint)
	if err != nil {
		return slowLoris{answer: "dial: " + err.Error()}
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, head); err != nil {
		return slowLoris{answer: "write: " + err.Error(), after: time.Since(started)}
	}
	ended := make(chan string, 1)
	go func() {
		line, err := bufio.NewReader(conn).ReadString('\n')
		switch {
		case err == nil:
			ended <- "answered " + strings.TrimSpace(line)
		case errors.Is(err, io.EOF):
			ended <- "closed by the server"
		default:
			ended <- "connection ended (" + err.Error() + ")"
		}
	}()
	for time.Since(started) < limit {
		select {
		case how := <-ended:
			return slowLoris{answer: how, after: time.Since(started)}
		case <-ctx.Done():
			return slowLoris{outlived: true, after: time.Since(started)}
		case <-time.After(time.Second):
		}
		if _, err := conn.Write([]byte(" ")); err != nil {
			select {
			case how := <-ended:
				return slowLoris{answer: how, after: time.Since(started)}
			case <-time.After(time.Second):
				return slowLoris{answer: "write failed: " + err.Error(), after: time.Since(started)}
			}
		}
	}
	return slowLoris{outlived: true, after: time.Since(started)}
}
