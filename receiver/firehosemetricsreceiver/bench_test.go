// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metadata"
)

// BenchmarkHandleRequest measures the whole request path without the network: gunzip, parse, base64, decode the
// records (the real OTel 1.0 sample record, repeated) into one batch and hand it to a no-op consumer.
func BenchmarkHandleRequest(b *testing.B) {
	const records = 500
	s := loadSample(b, "otel1.0-request.json")
	var parsed struct {
		Records []struct {
			Data string `json:"data"`
		} `json:"records"`
	}
	if err := json.Unmarshal(s.Body, &parsed); err != nil {
		b.Fatal(err)
	}
	id := s.Headers["X-Amz-Firehose-Request-Id"]
	var body strings.Builder
	body.WriteString(`{"requestId":"` + id + `","timestamp":1727699160000,"records":[`)
	for i := 0; i < records; i++ {
		if i > 0 {
			body.WriteByte(',')
		}
		body.WriteString(`{"data":"` + parsed.Records[0].Data + `"}`)
	}
	body.WriteString(`]}`)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(body.String()))
	_ = zw.Close()

	cfg := testConfig()
	rcv, err := newFirehoseReceiver(cfg, receivertest.NewNopSettings(metadata.Type), consumertest.NewNop())
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = rcv.Shutdown(context.Background()) }()
	h := rcv.handler

	b.SetBytes(int64(body.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(gz.Bytes()))
		for k, v := range s.Headers {
			req.Header.Set(k, v)
		}
		req.Header.Set("Content-Encoding", "gzip")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("HTTP %d: %s", rec.Code, rec.Body)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*records), "ns/record")
}
