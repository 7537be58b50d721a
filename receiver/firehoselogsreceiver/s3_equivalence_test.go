// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/benchtest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/logziotest"
)

// The fields each path adds for where a record came from; everything else of a document is the same on both paths.
var (
	s3SourceFields = []string{"aws_s3_bucket", "aws_s3_key"}
	cwSourceFields = []string{"aws_log_group_names", "aws_log_stream_names", "log_record_uid"}
)

const (
	trailBucket     = "org-trail-bucket"
	s3ScopeName     = "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"
	logGroupAccount = "111111111111" // the account owning the trail's log group (an organization trail's management account)
)

// trailSlice is the records CloudTrail writes for one account and region: one log file on S3, one log stream in
// CloudWatch Logs.
type trailSlice struct {
	account, region string
	records         [][]byte
}

func equivalenceSlices(t *testing.T) []trailSlice {
	start := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	var docs [][]byte
	for _, r := range awsDocsRecords(t, "aws-docs-records.json", "aws-docs-insight.json") {
		docs = append(docs, compacted(t, r))
	}
	return []trailSlice{
		{"123456789012", "us-east-1", cloudtrailtest.Records(21, 150, "123456789012", "us-east-1", start)},
		{"210987654321", "eu-west-1", cloudtrailtest.Records(22, 90, "210987654321", "eu-west-1", start)},
		{"123456789012", "us-east-2", docs}, // AWS's examples: other regions inside, an eventVersion 1.0 record, an Insights event
	}
}

// TestSameDocumentsAsS3Path feeds the same CloudTrail records both ways — as CloudTrail log files through the S3
// path's decoder (internal/cloudtrail, with the options cloudtrails3 gives it), and as CloudWatch Logs subscription
// records over HTTP into this receiver — through the real logzio exporter into a Logz.io stand-in, and requires every
// document to be the same byte for byte once the source fields are left out: aws_s3_bucket and aws_s3_key on the S3
// path; aws_log_group_names, aws_log_stream_names and log_record_uid here. The requests also carry a control message
// and a Lambda log event, which ship as they are.
func TestSameDocumentsAsS3Path(t *testing.T) {
	readOnly := true
	for _, tt := range []struct {
		name string
		cfg  CloudTrailConfig
	}{
		{name: "map bodies", cfg: CloudTrailConfig{Enabled: true, MaxValueBytes: defaultMaxValueBytes}},
		{name: "pass_through", cfg: CloudTrailConfig{Enabled: true, PassThrough: true, MaxValueBytes: defaultMaxValueBytes}},
		{name: "pass_through, semantic attributes, event selection", cfg: CloudTrailConfig{
			Enabled: true, PassThrough: true, SemanticAttributes: true, MaxValueBytes: 1024,
			EventSelection: cloudtrail.SelectionConfig{Exclude: []cloudtrail.EventRule{{ReadOnly: &readOnly}}},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			trails := equivalenceSlices(t)
			s3Docs := s3PathDocuments(t, &tt.cfg, trails)
			cwDocs, plainDocs := firehosePathDocuments(t, &tt.cfg, trails)

			assert.Len(t, plainDocs, 1, "the Lambda event")
			assert.Contains(t, plainDocs[0], `"message":"REPORT RequestId: 6234bffe`)
			require.Len(t, cwDocs, len(s3Docs), "the same records ship (and the same are dropped)")
			total := 0
			for _, s := range trails {
				total += len(s.records)
			}
			if tt.cfg.EventSelection.Enabled() {
				require.Less(t, len(s3Docs), total, "the rule drops read-only records")
			} else {
				require.Len(t, s3Docs, total)
			}
			typed := 0
			for key, cw := range cwDocs {
				s3, ok := s3Docs[key]
				require.True(t, ok, "record %s shipped from CloudWatch Logs only", key)
				s3Rest, s3Source := withoutMembers(t, s3, s3SourceFields)
				cwRest, cwSource := withoutMembers(t, cw, cwSourceFields)
				require.Equal(t, s3Rest, cwRest, "record %s", key)
				assert.Equal(t, trailBucket, s3Source["aws_s3_bucket"])
				assert.Contains(t, s3Source["aws_s3_key"], "/CloudTrail/")
				assert.Equal(t, []any{trailLogGroup}, cwSource["aws_log_group_names"])
				assert.Len(t, cwSource["aws_log_stream_names"], 1)
				assert.Len(t, cwSource["log_record_uid"], 56)
				if strings.HasPrefix(cw, `{"@timestamp":"`) && strings.Contains(cw, `,"type":"cloudtrail",`) {
					typed++
				}
			}
			assert.Equal(t, len(cwDocs), typed, "every document starts with the event time and type cloudtrail")
		})
	}
}

// s3PathDocuments decodes each slice as a CloudTrail log file with the options cloudtrails3 gives the decoder and
// ships the batches through the logzio exporter: the documents by record key.
func s3PathDocuments(t *testing.T, cfg *CloudTrailConfig, trails []trailSlice) map[string]string {
	t.Helper()
	listener := logziotest.New(t, logziotest.Options{})
	exp := benchtest.LogzioExporter(t, listener.URL, 0) // gzip, default type cloudtrail; no queue, no retries: nil means the listener took the documents
	opts, err := cfg.options(s3ScopeName, "v0.161.0")
	require.NoError(t, err)
	opts.MaxBatchRecords, opts.MaxObjectBytes = 1000, 1<<30
	decoder := cloudtrail.NewDecoder(opts)
	for _, s := range trails {
		file := append(append([]byte(`{"Records":[`), bytes.Join(s.records, []byte(","))...), "]}"...)
		key := fmt.Sprintf("AWSLogs/o-exampleorgid/%s/CloudTrail/%s/2026/01/02/%s_CloudTrail_%s_20260102T0305Z_abcdefgh.json.gz", s.account, s.region, s.account, s.region)
		_, err := decoder.Decode(context.Background(), bytes.NewReader(gzipped(t, file)), cloudtrail.Object{Bucket: trailBucket, Key: key}, time.Now(),
			func(ld plog.Logs) error { return exp.ConsumeLogs(context.Background(), ld) })
		require.NoError(t, err)
	}
	require.Empty(t, listener.Violations())
	docs, plain := documentsByRecord(t, listener)
	require.Empty(t, plain)
	return docs
}

// firehosePathDocuments sends the slices as CloudWatch Logs delivers them to Firehose (one log stream per account
// and region in the trail's log group, up to 50 events per subscription record, gzip) in two Firehose requests to
// the receiver, whose pipeline is the logzio exporter: the CloudTrail documents by record key, and the others.
func firehosePathDocuments(t *testing.T, cfg *CloudTrailConfig, trails []trailSlice) (map[string]string, []string) {
	t.Helper()
	listener := logziotest.New(t, logziotest.Options{})
	rcvCfg := testConfig()
	rcvCfg.CloudTrail = *cfg
	url := startReceiver(t, rcvCfg, benchtest.LogzioExporter(t, listener.URL, 0))

	var records [][]byte
	id := 0
	for _, s := range trails {
		for chunk := range slices.Chunk(s.records, 50) {
			records = append(records, gzipped(t, trailDocument(t, logGroupAccount, s.account, s.region, chunk, id)))
			id += len(chunk)
		}
	}
	records = append(records, gzipped(t, []byte(controlDocument)), gzipped(t, readSample(t, "lambda-message-data.json")))
	half := len(records) / 2
	firehosetest.RequireAnswer(t, firehosetest.Post(t, url, firehosetest.Body("eq-1", records[:half]...), firehoseHeaders("eq-1"), true), 200, "eq-1", "")
	firehosetest.RequireAnswer(t, firehosetest.Post(t, url, firehosetest.Body("eq-2", records[half:]...), firehoseHeaders("eq-2"), false), 200, "eq-2", "")
	require.Empty(t, listener.Violations())
	return documentsByRecord(t, listener)
}

// documentsByRecord splits the listener's lines into CloudTrail documents, by record key (eventID, or eventName and
// eventTime for eventVersion 1.0 records, which have no eventID), and the others.
func documentsByRecord(t *testing.T, listener *logziotest.Listener) (map[string]string, []string) {
	t.Helper()
	docs := map[string]string{}
	var others []string
	for _, e := range listener.Entries() {
		if e.Doc["eventVersion"] == nil {
			others = append(others, e.Line)
			continue
		}
		key := fmt.Sprint(e.Doc["eventID"])
		if e.Doc["eventID"] == nil {
			key = fmt.Sprint(e.Doc["eventName"], " ", e.Doc["eventTime"])
		}
		require.NotContains(t, docs, key, "one document per record")
		docs[key] = e.Line
	}
	return docs, others
}

// withoutMembers returns the document line without the top-level members named in drop — every other byte as it
// is — and the dropped members' values.
func withoutMembers(t *testing.T, line string, drop []string) (string, map[string]any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	kept := []string{}
	dropped := map[string]any{}
	for dec.More() {
		start := dec.InputOffset()
		key, err := dec.Token()
		require.NoError(t, err)
		var value json.RawMessage
		require.NoError(t, dec.Decode(&value))
		member := strings.TrimPrefix(line[start:dec.InputOffset()], ",")
		if slices.Contains(drop, key.(string)) {
			var v any
			require.NoError(t, json.Unmarshal(value, &v))
			dropped[key.(string)] = v
			continue
		}
		kept = append(kept, member)
	}
	return "{" + strings.Join(kept, ",") + "}", dropped
}
