// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver/internal/metadata"
)

// BenchmarkRequestToLogs measures the whole request path without the network, from the request body to the plog
// handed to a no-op consumer: parse the envelope, base64, gunzip each record, decode its JSON, build the log records.
// A request of 100 subscription records of 100 Lambda log events each (about 10 KiB gzip per record), and the same
// events as extracted messages.
func BenchmarkRequestToLogs(b *testing.B) {
	const records, events = 100, 100
	document := manyEvents(events)
	var messages bytes.Buffer
	for i := range events {
		fmt.Fprintf(&messages, "START RequestId: %08d-aaaa-bbbb-cccc-dddddddddddd Version: $LATEST\n", i)
	}
	for _, tt := range []struct {
		name   string
		record []byte
	}{
		{name: "subscription-gzip", record: gzipped(b, document)},
		{name: "extracted-messages", record: messages.Bytes()},
	} {
		b.Run(tt.name, func(b *testing.B) {
			all := make([][]byte, records)
			for i := range all {
				all[i] = tt.record
			}
			body := firehosetest.Body("bench", all...)
			rcv, err := newLogsReceiver(testConfig(), receivertest.NewNopSettings(metadata.Type), consumertest.NewNop())
			if err != nil {
				b.Fatal(err)
			}
			defer func() { _ = rcv.Shutdown(context.Background()) }()
			post := benchPoster(rcv, string(body))
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				post(b)
			}
			b.ReportMetric(float64(records*events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// benchPoster returns a function that posts body (a request made with firehosetest.Body and the request id "bench")
// to the receiver's handler under a new request id each time, since a repeated one would be answered as a Firehose
// retry, and fails the benchmark unless the answer is 200.
func benchPoster(rcv *logsReceiver, body string) func(b *testing.B) {
	headers := firehoseHeaders("bench")
	n := 0
	return func(b *testing.B) {
		n++
		id := fmt.Sprintf("bench-%d", n)
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(strings.Replace(body, `"bench"`, `"`+id+`"`, 1)))
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		req.Header.Set("X-Amz-Firehose-Request-Id", id)
		rec := httptest.NewRecorder()
		rcv.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("HTTP %d: %s", rec.Code, rec.Body)
		}
	}
}
