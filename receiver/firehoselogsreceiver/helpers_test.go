// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver/internal/metadata"
)

const testAccessKey = firehosetest.AccessKey

// testConfig is the default configuration on a free loopback port with the test access key.
func testConfig() *Config {
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	firehosetest.OnLoopback(&cfg.EndpointConfig)
	return cfg
}

// startReceiver starts the receiver through its factory on a real listener and returns its URL.
func startReceiver(t *testing.T, cfg *Config, next consumer.Logs) string {
	t.Helper()
	return startReceiverWithSettings(t, cfg, next, receivertest.NewNopSettings(metadata.Type))
}

// startReceiverWithTelemetry is startReceiver with the receiver's own metrics recorded in the returned telemetry.
func startReceiverWithTelemetry(t *testing.T, cfg *Config, next consumer.Logs) (string, *componenttest.Telemetry) {
	t.Helper()
	settings, tel := firehosetest.TelemetrySettings(t, metadata.Type)
	return startReceiverWithSettings(t, cfg, next, settings), tel
}

func startReceiverWithSettings(t *testing.T, cfg *Config, next consumer.Logs, settings receiver.Settings) string {
	t.Helper()
	require.NoError(t, cfg.Validate())
	rcv, err := NewFactory().CreateLogs(context.Background(), settings, cfg, next)
	require.NoError(t, err)
	firehosetest.Start(t, rcv)
	return "http://" + rcv.(*logsReceiver).address.String() + cfg.Path
}

// readSample is a file of testdata/samples.
func readSample(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "samples", name))
	require.NoError(tb, err)
	return data
}

// lambdaSampleRecord is the awslogs.data of AWS's CloudWatch Logs sample event, decoded from base64: gzip bytes
// exactly as AWS publishes them.
func lambdaSampleRecord(tb testing.TB) []byte {
	tb.Helper()
	var event struct {
		AWSLogs struct {
			Data string `json:"data"`
		} `json:"awslogs"`
	}
	require.NoError(tb, json.Unmarshal(readSample(tb, "lambda-sample-event.json"), &event))
	data, err := base64.StdEncoding.DecodeString(event.AWSLogs.Data)
	require.NoError(tb, err)
	return data
}

// gzipped compresses data at level 6, as CloudWatch Logs compresses what it sends to Firehose.
func gzipped(tb testing.TB, data []byte) []byte {
	tb.Helper()
	return firehosetest.Gzip(tb, data, 6)
}

// firehoseHeaders are the headers Firehose sends with a request.
func firehoseHeaders(requestID string) map[string]string {
	return map[string]string{
		"Content-Type":                    "application/json",
		"X-Amz-Firehose-Protocol-Version": "1.0",
		"X-Amz-Firehose-Request-Id":       requestID,
		"X-Amz-Firehose-Source-Arn":       "arn:aws:firehose:us-east-1:111111111111:deliverystream/cloudwatch-logs",
		"X-Amz-Firehose-Access-Key":       testAccessKey,
	}
}

// decodeRecords runs a request's records through a fresh batch of cfg and returns the log records and the decoder.
func decodeRecords(t testing.TB, cfg *Config, records ...[]byte) (plog.Logs, *recordDecoder, error) {
	out := newLogsBuilder(metadata.ScopeName, "test", pcommon.Timestamp(1))
	dec := newRecordDecoder(cfg, plainDecoder{}, out)
	for i, r := range records {
		if err := dec.add(r); err != nil {
			return out.logs, dec, fmt.Errorf("record %d: %w", i, err)
		}
	}
	return out.logs, dec, nil
}

// rendered is a log record as the tests compare it: resource attributes, timestamp, attributes and body.
func rendered(logs plog.Logs) []string {
	var out []string
	for i := 0; i < logs.ResourceLogs().Len(); i++ {
		rl := logs.ResourceLogs().At(i)
		res := renderMap(rl.Resource().Attributes())
		for j := 0; j < rl.ScopeLogs().Len(); j++ {
			lrs := rl.ScopeLogs().At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				lr := lrs.At(k)
				out = append(out, fmt.Sprintf("%s | %d | %s | %q", res, lr.Timestamp().AsTime().UnixMilli(), renderMap(lr.Attributes()), lr.Body().Str()))
			}
		}
	}
	return out
}

func renderMap(m pcommon.Map) string {
	parts := make([]string, 0, m.Len())
	for k, v := range m.All() {
		parts = append(parts, k+"="+v.AsString())
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}
