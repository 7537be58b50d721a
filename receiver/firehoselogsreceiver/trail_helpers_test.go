// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver/internal/metadata"
)

// cwDocument is a CloudWatch Logs subscription document with the fields, in the order, of the CloudWatch Logs User
// Guide's example ("Using CloudWatch Logs subscription filters"; testdata/samples/cloudwatch-logs-subscription.json).
type cwDocument struct {
	MessageType         string    `json:"messageType"`
	Owner               string    `json:"owner"`
	LogGroup            string    `json:"logGroup"`
	LogStream           string    `json:"logStream"`
	SubscriptionFilters []string  `json:"subscriptionFilters"`
	LogEvents           []cwEvent `json:"logEvents"`
}

type cwEvent struct {
	ID        string `json:"id"`
	Timestamp int64  `json:"timestamp"`
	Message   string `json:"message"`
}

// trailLogGroup is the log group a trail delivers to (the CloudTrail console's default name).
const trailLogGroup = "aws-cloudtrail-logs-111111111111-3f8a2b1c"

// trailStream is the log stream CloudTrail writes an account's events of a region to.
func trailStream(account, region string) string {
	return account + "_CloudTrail_" + region
}

// eventID is a CloudWatch Logs event id: 56 digits.
func eventID(n int) string { return fmt.Sprintf("%056d", 31953106606966983+n) }

// trailDocument is the DATA_MESSAGE CloudWatch Logs sends for messages of the trail's log stream (account, region),
// as JSON (gzip it for a Firehose record). The events' timestamps are CloudWatch Logs' ingestion times, not the
// records' eventTime. firstID numbers the events' ids.
func trailDocument(tb testing.TB, owner, account, region string, messages [][]byte, firstID int) []byte {
	tb.Helper()
	doc := cwDocument{
		MessageType:         dataMessage,
		Owner:               owner,
		LogGroup:            trailLogGroup,
		LogStream:           trailStream(account, region),
		SubscriptionFilters: []string{"logzio-cloudtrail"},
	}
	ingested := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).UnixMilli()
	for i, m := range messages {
		doc.LogEvents = append(doc.LogEvents, cwEvent{ID: eventID(firstID + i), Timestamp: ingested + int64(i), Message: string(m)})
	}
	data, err := json.Marshal(doc)
	require.NoError(tb, err)
	return data
}

// awsDocsRecords are the records of AWS's documented CloudTrail examples (the S3 path's samples), each as its JSON.
func awsDocsRecords(tb testing.TB, names ...string) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join("..", "..", "internal", "cloudtrail", "testdata", name))
		require.NoError(tb, err)
		var file struct{ Records []json.RawMessage }
		require.NoError(tb, json.Unmarshal(data, &file))
		for _, r := range file.Records {
			out = append(out, []byte(r))
		}
	}
	return out
}

// decodeWith runs a request's records through a fresh batch of cfg's decoder (CloudTrail records included) and
// returns its log records.
func decodeWith(t testing.TB, cfg *Config, records ...[]byte) (plog.Logs, error) {
	t.Helper()
	var decoder messageDecoder = plainDecoder{}
	if cfg.CloudTrail.Enabled {
		d, err := newCloudTrailDecoder(&cfg.CloudTrail, metadata.ScopeName, "test")
		require.NoError(t, err)
		decoder = d
	}
	out := newLogsBuilder(metadata.ScopeName, "test", pcommon.Timestamp(1))
	dec := newRecordDecoder(cfg, decoder, out)
	for i, r := range records {
		if err := dec.add(r); err != nil {
			return out.finish(), fmt.Errorf("record %d: %w", i, err)
		}
	}
	return out.finish(), nil
}
