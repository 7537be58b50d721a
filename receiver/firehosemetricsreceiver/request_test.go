// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sample is one captured request of testdata/samples (real Firehose deliveries; the contract: docs/firehose-http-endpoint.md#request).
type sample struct {
	Name    string
	Body    []byte
	Headers map[string]string
}

func loadSample(tb testing.TB, name string) sample {
	tb.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "samples", name))
	require.NoError(tb, err)
	raw, err := os.ReadFile(filepath.Join("testdata", "samples", "headers.json"))
	require.NoError(tb, err)
	var all map[string]json.RawMessage
	require.NoError(tb, json.Unmarshal(raw, &all))
	var headers map[string]string
	require.NoError(tb, json.Unmarshal(all[name], &headers), "headers.json has no entry for %s", name)
	return sample{Name: name, Body: body, Headers: headers}
}

var sampleNames = []string{"otel1.0-request.json", "otel0.7-request.json", "json-request.json", "demo-data-request.json"}

// collect parses body and returns the decoded records.
func collect(t *testing.T, body, expectedID string, maxRecord int) (firehoseRequest, [][]byte, error) {
	t.Helper()
	var records [][]byte
	req, err := newRequestParser(maxRecord).parse(strings.NewReader(body), expectedID, func(i int, data []byte) error {
		if i != len(records) {
			return fmt.Errorf("record index %d out of order", i)
		}
		records = append(records, bytes.Clone(data))
		return nil
	})
	return req, records, err
}

func TestParseRequestSamples(t *testing.T) {
	for _, name := range sampleNames {
		t.Run(name, func(t *testing.T) {
			s := loadSample(t, name)
			var want struct {
				RequestID string `json:"requestId"`
				Timestamp int64  `json:"timestamp"`
				Records   []struct {
					Data []byte `json:"data"`
				} `json:"records"`
			}
			require.NoError(t, json.Unmarshal(s.Body, &want))

			req, records, err := collect(t, string(s.Body), s.Headers["X-Amz-Firehose-Request-Id"], 0)
			require.NoError(t, err)
			assert.Equal(t, want.RequestID, req.RequestID)
			assert.Equal(t, want.Timestamp, req.Timestamp)
			assert.True(t, req.HasTimestamp)
			require.Len(t, records, len(want.Records))
			assert.Equal(t, len(want.Records), req.Records)
			for i := range records {
				assert.Equal(t, want.Records[i].Data, records[i], "record %d", i)
			}
		})
	}
}

func TestParseRequestShapes(t *testing.T) {
	hello := base64.StdEncoding.EncodeToString([]byte("hello"))
	tests := []struct {
		name    string
		body    string
		records []string
	}{
		{name: "fields in another order", body: `{"records":[{"data":"` + hello + `"}],"timestamp":1,"requestId":"id"}`, records: []string{"hello"}},
		{name: "no timestamp", body: `{"requestId":"id","records":[{"data":"` + hello + `"}]}`, records: []string{"hello"}},
		{name: "whitespace everywhere", body: " \n{ \"requestId\" : \"id\" ,\r\n\t\"records\" : [ { \"data\" : \"" + hello + "\" } , {\"data\":\"\"} ] } \n", records: []string{"hello", ""}},
		{name: "empty record", body: `{"requestId":"id","records":[{"data":""}]}`, records: []string{""}},
		{name: "escaped slash in base64", body: `{"requestId":"id","records":[{"data":"` + `\/w==` + `"}]}`, records: []string{"\xff"}},
		{name: "unicode escape in base64", body: `{"requestId":"id","records":[{"data":"aGVsbG8\u003d"}]}`, records: []string{"hello"}},
		{name: "unknown fields are skipped", body: `{"requestId":"id","extra":{"a":[1,2.5e3,"x\"y",true,null,{}]},"records":[{"other":"z","data":"` + hello + `"}],"more":-1}`, records: []string{"hello"}},
		{name: "escaped id", body: `{"requestId":"i\u0064","records":[{"data":"` + hello + `"}]}`, records: []string{"hello"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, records, err := collect(t, tt.body, "id", 0)
			require.NoError(t, err)
			assert.Equal(t, "id", req.RequestID)
			require.Len(t, records, len(tt.records))
			for i, want := range tt.records {
				assert.Equal(t, want, string(records[i]))
			}
		})
	}
}

func TestParseRequestErrors(t *testing.T) {
	hello := base64.StdEncoding.EncodeToString([]byte("hello"))
	tests := []struct {
		name      string
		body      string
		maxRecord int
		wantIndex int // -1: not a record error
		wantMsg   string
	}{
		{name: "not JSON", body: `hello`, wantIndex: -1, wantMsg: `expected '{'`},
		{name: "empty body", body: ``, wantIndex: -1, wantMsg: "unexpected EOF"},
		{name: "truncated", body: `{"requestId":"id","records":[{"data":"aGVs`, wantIndex: -1, wantMsg: "unexpected EOF"},
		{name: "missing records", body: `{"requestId":"id"}`, wantIndex: -1, wantMsg: "missing records"},
		{name: "missing requestId", body: `{"records":[{"data":"` + hello + `"}]}`, wantIndex: -1, wantMsg: "missing requestId"},
		{name: "id mismatch", body: `{"requestId":"other","records":[{"data":"` + hello + `"}]}`, wantIndex: -1, wantMsg: "does not match"},
		{name: "empty records", body: `{"requestId":"id","records":[]}`, wantIndex: -1, wantMsg: "records is empty"},
		{name: "records not an array", body: `{"requestId":"id","records":{}}`, wantIndex: -1, wantMsg: "records must be an array"},
		{name: "record not an object", body: `{"requestId":"id","records":["x"]}`, wantIndex: -1, wantMsg: "record 0 is not an object"},
		{name: "record without data", body: `{"requestId":"id","records":[{"data":"` + hello + `"},{}]}`, wantIndex: -1, wantMsg: "record 1: missing data"},
		{name: "data not a string", body: `{"requestId":"id","records":[{"data":5}]}`, wantIndex: -1, wantMsg: "data must be a string"},
		{name: "bad base64", body: `{"requestId":"id","records":[{"data":"` + hello + `"},{"data":"!!!!"}]}`, wantIndex: 1, wantMsg: "not valid base64"},
		{name: "unpadded base64", body: `{"requestId":"id","records":[{"data":"aGVsbG8"}]}`, wantIndex: 0, wantMsg: "not valid base64"},
		{name: "record over the cap", body: `{"requestId":"id","records":[{"data":"` + hello + `"}]}`, maxRecord: 4, wantIndex: 0, wantMsg: "larger than 4 bytes"},
		{name: "trailing data", body: `{"requestId":"id","records":[{"data":"` + hello + `"}]} {}`, wantIndex: -1, wantMsg: "after the JSON object"},
		{name: "trailing comma", body: `{"requestId":"id","records":[{"data":"` + hello + `"},]}`, wantIndex: -1, wantMsg: "record 1 is not an object"},
		{name: "missing comma (AWS doc typo)", body: `{"requestId":"id" "records":[{"data":"` + hello + `"}]}`, wantIndex: -1, wantMsg: "expected ','"},
		{name: "duplicate records", body: `{"requestId":"id","records":[{"data":""}],"records":[{"data":""}]}`, wantIndex: -1, wantMsg: "duplicate field records"},
		{name: "timestamp as string", body: `{"requestId":"id","timestamp":"1","records":[{"data":""}]}`, wantIndex: -1, wantMsg: "timestamp must be an integer"},
		{name: "control character", body: "{\"requestId\":\"i\nd\",\"records\":[{\"data\":\"\"}]}", wantIndex: -1, wantMsg: "control character"},
		{name: "id too long", body: `{"requestId":"` + strings.Repeat("x", maxRequestIDLength+1) + `","records":[{"data":""}]}`, wantIndex: -1, wantMsg: "longer than 1024"},
		{name: "deep unknown field", body: `{"x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, wantIndex: -1, wantMsg: "nested too deeply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := collect(t, tt.body, "id", tt.maxRecord)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantMsg)
			var recErr *recordError
			if tt.wantIndex >= 0 {
				require.ErrorAs(t, err, &recErr)
				assert.Equal(t, tt.wantIndex, recErr.Index)
			} else if !errors.Is(err, io.ErrUnexpectedEOF) {
				assert.ErrorIs(t, err, errMalformedRequest)
			}
		})
	}
}

func TestParseRequestTooManyRecords(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"requestId":"id","records":[`)
	for i := 0; i <= maxRecordsPerRequest; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"data":""}`)
	}
	b.WriteString(`]}`)
	_, records, err := collect(t, b.String(), "id", 0)
	require.ErrorContains(t, err, "more than 10000 records")
	assert.Len(t, records, maxRecordsPerRequest)
}

// A record bigger than the cap is refused after reading no more than the cap's worth of base64 text.
func TestParseRequestStopsEarlyOnOversizedRecord(t *testing.T) {
	const maxRecord = 1000
	body := io.MultiReader(strings.NewReader(`{"requestId":"id","records":[{"data":"`), infiniteReader('A'))
	counting := &countingReader{r: body}
	_, err := newRequestParser(maxRecord).parse(counting, "id", func(int, []byte) error { return nil })
	var recErr *recordError
	require.ErrorAs(t, err, &recErr)
	assert.Less(t, counting.n, int64(base64.StdEncoding.EncodedLen(maxRecord)+128*1024), "read far past the record cap")
}

func TestParseRequestPropagatesRecordCallbackError(t *testing.T) {
	hello := base64.StdEncoding.EncodeToString([]byte("hello"))
	body := `{"requestId":"id","records":[{"data":"` + hello + `"},{"data":"` + hello + `"}]}`
	calls := 0
	_, err := newRequestParser(0).parse(strings.NewReader(body), "id", func(i int, _ []byte) error {
		calls++
		if i == 1 {
			return errors.New("bad metric stream record")
		}
		return nil
	})
	var recErr *recordError
	require.ErrorAs(t, err, &recErr)
	assert.Equal(t, 1, recErr.Index)
	assert.Equal(t, 2, calls)
	assert.EqualError(t, err, "record 1: bad metric stream record")
}

func FuzzParseRequest(f *testing.F) {
	for _, name := range sampleNames {
		s := loadSample(f, name)
		f.Add(s.Body, s.Headers["X-Amz-Firehose-Request-Id"])
	}
	f.Add([]byte(`{"requestId":"id","records":[{"data":"\/w=="}],"x":[{"y":"\"\\"}]}`), "id")
	f.Add([]byte(`{"requestId":"\ud83d\ude00","records":[{"data":""}]}`), "\U0001F600")
	parser := newRequestParser(4096)
	f.Fuzz(func(t *testing.T, body []byte, id string) {
		records := 0
		req, err := parser.parse(bytes.NewReader(body), id, func(_ int, data []byte) error {
			if len(data) > 4096 {
				t.Fatalf("record of %d bytes passed the 4096-byte cap", len(data))
			}
			records++
			return nil
		})
		if err != nil {
			var recErr *recordError
			if !errors.Is(err, errMalformedRequest) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.As(err, &recErr) {
				t.Fatalf("unclassified error %T: %v", err, err)
			}
			return
		}
		if req.RequestID != id {
			t.Fatalf("accepted requestId %q, header %q", req.RequestID, id)
		}
		if records == 0 || records != req.Records || records > maxRecordsPerRequest {
			t.Fatalf("accepted a request with %d records (reported %d)", records, req.Records)
		}
		// Whatever the parser accepts must be a JSON document that encoding/json accepts too.
		if !json.Valid(body) {
			t.Fatalf("accepted invalid JSON %q", body)
		}
	})
}

func BenchmarkParseRequest(b *testing.B) {
	// A realistic large request: 500 records of ~90 KB each (real OTel 1.0 records are seen at ~90 KB).
	record := bytes.Repeat([]byte{0xa6, 0x05, 0x0a, 0x9f, 0x05}, 18_000)
	encoded := base64.StdEncoding.EncodeToString(record)
	var body bytes.Buffer
	body.WriteString(`{"requestId":"66637616-871f-4ae3-8127-96ffdb28a106","timestamp":1727699160000,"records":[`)
	const records = 500
	for i := 0; i < records; i++ {
		if i > 0 {
			body.WriteByte(',')
		}
		body.WriteString(`{"data":"` + encoded + `"}`)
	}
	body.WriteString(`]}`)
	raw := body.Bytes()
	parser := newRequestParser(0)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		if _, err := parser.parse(bytes.NewReader(raw), "66637616-871f-4ae3-8127-96ffdb28a106", func(_ int, data []byte) error {
			n += len(data)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		if n != records*len(record) {
			b.Fatalf("decoded %d bytes", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*records), "ns/record")
}

// infiniteReader yields the same byte forever.
type infiniteReader byte

func (r infiniteReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
