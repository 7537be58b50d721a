// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver

import (
	"bytes"
	"testing"
)

// FuzzRecord: whatever a record holds, decoding it never panics, never keeps more than the caps allow, and an
// uncompressed record in format messages yields one log record per non-empty line.
func FuzzRecord(f *testing.F) {
	for _, name := range []string{"cloudwatch-logs-subscription.json", "firehose-decompressed.json", "firehose-extracted-messages.txt", "lambda-message-data.json"} {
		data := readSample(f, name)
		f.Add(data)
		f.Add(gzipped(f, data))
	}
	f.Add(lambdaSampleRecord(f))
	f.Add([]byte(controlDocument))
	f.Add([]byte("a\r\n\nb\xff"))
	f.Add([]byte(`{"eventVersion":"1.08","eventTime":"2024-03-01T12:00:00Z","awsRegion":"us-east-1"}` + "\nplain\n"))
	f.Fuzz(func(t *testing.T, record []byte) {
		cfg := testConfig()
		cfg.MaxDecompressedRecordSize = 1 << 20
		cfg.MaxDecompressedRequestSize = 1 << 20
		_, _, _ = decodeRecords(t, cfg, record)
		cfg.CloudTrail.PassThrough = true
		_, _ = decodeWith(t, cfg, record) // CloudTrail records among the messages

		if isGzip(record) {
			return
		}
		cfg.Format = FormatMessages
		logs, _, err := decodeRecords(t, cfg, record)
		if err != nil {
			if len(record) <= 1<<20 {
				t.Fatalf("messages of %d bytes refused: %v", len(record), err)
			}
			return
		}
		lines := 0
		for _, line := range bytes.Split(record, []byte("\n")) {
			if len(bytes.TrimSuffix(line, []byte("\r"))) > 0 {
				lines++
			}
		}
		if logs.LogRecordCount() != lines {
			t.Fatalf("%d log records for %d non-empty lines", logs.LogRecordCount(), lines)
		}
	})
}
