// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver

import (
	"bytes"
	"fmt"
	"maps"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream"
)

// line renders one expected series the way series() does.
func line(name string, labels map[string]string, value string, ms int64) string {
	parts := make([]string, 0, len(labels))
	for k, v := range labels {
		parts = append(parts, fmt.Sprintf("%s=%q", k, v))
	}
	sort.Strings(parts)
	return fmt.Sprintf("%s{%s} %s @%d", name, strings.Join(parts, ","), value, ms)
}

func with(base map[string]string, kv ...string) map[string]string {
	out := maps.Clone(base)
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// cloudWatchPoint is the expected Logz.io series of one CloudWatch data point
// (docs/metric-streams.md#series-per-data-point).
type cloudWatchPoint struct {
	base       string
	labels     map[string]string
	start, end int64
	sum, count string
	min, max   string
	quantiles  [][2]string // label, value
}

func (p cloudWatchPoint) lines() []string {
	out := []string{
		line(p.base+"_sum", p.labels, p.sum, p.end),
		line(p.base+"_count", p.labels, p.count, p.end),
		line(p.base+"_min", p.labels, p.min, p.start),
		line(p.base+"_max", p.labels, p.max, p.start),
	}
	for _, q := range p.quantiles {
		out = append(out, line(p.base, with(p.labels, "quantile", q[0]), q[1], p.end))
	}
	return out
}

func expectedSeries(points ...cloudWatchPoint) []string {
	var out []string
	for _, p := range points {
		out = append(out, p.lines()...)
	}
	sort.Strings(out)
	return out
}

// The exact series each sample must produce with the default configuration (naming: logzio), derived by hand from the
// decoded samples and the naming rules of docs/metric-streams.md#naming.
var sampleSeries = map[string][]string{
	"otel1.0-request.json": func() []string {
		res := map[string]string{"account": "486140753397", "region": "us-east-1", "cloud_provider": "aws", "p8s_logzio_name": "example-env"}
		return expectedSeries(
			cloudWatchPoint{
				base:   "aws_ebs_volumewritebytes",
				labels: with(res, "namespace", "aws/ebs", "metricname", "volumewritebytes", "volumeid", "vol-01bb3fd4d5ba82034"),
				start:  1727699100000, end: 1727699160000, sum: "634880", count: "1", min: "634880", max: "634880",
			},
			cloudWatchPoint{
				base:   "aws_lambda_asynceventage",
				labels: with(res, "namespace", "aws/lambda", "metricname", "asynceventage", "functionname", "lambda-custom-metrics"),
				start:  1727699100000, end: 1727699160000, sum: "35", count: "1", min: "35", max: "35",
			},
		)
	}(),
	"otel0.7-request.json": func() []string {
		res := map[string]string{"account": "486140753397", "region": "us-east-1", "cloud_provider": "aws", "p8s_logzio_name": "example-env"}
		return expectedSeries(cloudWatchPoint{
			base:   "aws_ebs_volumetotalwritetime",
			labels: with(res, "namespace", "aws/ebs", "metricname", "volumetotalwritetime", "volumeid", "vol-0291537fecb077956"),
			start:  1650963240000, end: 1650963300000, sum: "0", count: "6", min: "0", max: "0",
			quantiles: [][2]string{{"0.7", "0"}, {"0.8", "0"}, {"0.95", "0"}, {"0.99", "0"}},
		})
	}(),
	"json-request.json": func() []string {
		doc := map[string]string{"account": "1234567890", "region": "us-east-1", "cloud_provider": "aws", "p8s_logzio_name": "example-env"}
		acct := with(doc, "account", "123456789012")
		return expectedSeries(
			cloudWatchPoint{
				base:   "aws_ec2_diskwriteops",
				labels: with(doc, "namespace", "aws/ec2", "metricname", "diskwriteops", "instanceid", "i-123456789012"),
				start:  1611929698000, end: 1611929758000, sum: "20", count: "3", min: "0", max: "18",
				quantiles: [][2]string{{"0.99", "17.56"}, {"0.999", "17.8764"}},
			},
			cloudWatchPoint{
				base:   "aws_ec2_cpuutilization",
				labels: with(acct, "namespace", "aws/ec2", "metricname", "cpuutilization", "instanceid", "i-0abcd1234efgh5678"),
				start:  1611929640000, end: 1611929700000, sum: "27.5", count: "5", min: "1.25", max: "12.5",
			},
			cloudWatchPoint{
				base: "aws_applicationelb_httpcode_target_5xx_count",
				labels: with(acct, "namespace", "aws/applicationelb", "metricname", "httpcode_target_5xx_count",
					"loadbalancer", "app/my-alb/50dc6c495c0c9188", "targetgroup", "targetgroup/my-tg/0123456789abcdef"),
				start: 1611929640000, end: 1611929700000, sum: "3", count: "12", min: "0", max: "1",
			},
			cloudWatchPoint{
				base:   "aws_lambda_concurrentexecutions",
				labels: with(acct, "namespace", "aws/lambda", "metricname", "concurrentexecutions"),
				start:  1611929640000, end: 1611929700000, sum: "9", count: "4", min: "1", max: "4",
			},
			cloudWatchPoint{
				// The Region=Global dimension collides with the resource's region label: the resource value wins.
				base:   "aws_cloudfront_requests",
				labels: with(acct, "namespace", "aws/cloudfront", "metricname", "requests", "distributionid", "e1abcdefghijkl"),
				start:  1611929640000, end: 1611929700000, sum: "42", count: "60", min: "0", max: "7",
			},
		)
	}(),
}

// TestReplaySamples sends every captured sample over real HTTP, plain and gzip, and checks the answer and the exact
// series handed to the pipeline in one ConsumeMetrics call.
func TestReplaySamples(t *testing.T) {
	for _, name := range []string{"otel1.0-request.json", "otel0.7-request.json", "json-request.json"} {
		for _, gzipped := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/gzip=%v", name, gzipped), func(t *testing.T) {
				sink := &recordingConsumer{}
				url, _ := startReceiver(t, testConfig(), sink)
				s := loadSample(t, name)

				a := firehosetest.Post(t, url, s.Body, s.Headers, gzipped)

				requireFirehoseAnswer(t, a, 200, s.Headers["X-Amz-Firehose-Request-Id"], "")
				calls := sink.Calls()
				require.Len(t, calls, 1, "all records of a request go to the pipeline in one call")
				assert.Equal(t, sampleSeries[name], series(calls[0]))
			})
		}
	}
}

// The format can also be forced; the same sample gives the same series.
func TestReplaySamplesWithForcedFormat(t *testing.T) {
	for name, format := range map[string]string{
		"otel1.0-request.json": "opentelemetry1.0",
		"otel0.7-request.json": "opentelemetry0.7",
		"json-request.json":    "json",
	} {
		t.Run(format, func(t *testing.T) {
			sink := &recordingConsumer{}
			cfg := testConfig()
			cfg.Format = formatOf(format)
			url, _ := startReceiver(t, cfg, sink)
			s := loadSample(t, name)
			requireFirehoseAnswer(t, firehosetest.Post(t, url, s.Body, s.Headers, false), 200, s.Headers["X-Amz-Firehose-Request-Id"], "")
			require.Len(t, sink.Calls(), 1)
			assert.Equal(t, sampleSeries[name], series(sink.Calls()[0]))
		})
	}
}

func TestReplayDemoRecordIsAcceptedAndIgnored(t *testing.T) {
	sink := &recordingConsumer{}
	url, _ := startReceiver(t, testConfig(), sink)
	s := loadSample(t, "demo-data-request.json")
	requireFirehoseAnswer(t, firehosetest.Post(t, url, s.Body, s.Headers, false), 200, s.Headers["X-Amz-Firehose-Request-Id"], "")
	assert.Empty(t, sink.Calls(), "demo records never reach the pipeline")
}

func TestNamespaceFilterDropsOtherNamespaces(t *testing.T) {
	sink := &recordingConsumer{}
	cfg := testConfig()
	cfg.Namespaces = []string{"AWS/Lambda"}
	url, _ := startReceiver(t, cfg, sink)
	s := loadSample(t, "json-request.json")
	requireFirehoseAnswer(t, firehosetest.Post(t, url, s.Body, s.Headers, false), 200, s.Headers["X-Amz-Firehose-Request-Id"], "")
	require.Len(t, sink.Calls(), 1)
	for _, l := range series(sink.Calls()[0]) {
		assert.True(t, strings.HasPrefix(l, "aws_lambda_concurrentexecutions"), l)
	}
	assert.Len(t, series(sink.Calls()[0]), 4)
}

func TestOTelNaming(t *testing.T) {
	sink := &recordingConsumer{}
	cfg := testConfig()
	cfg.Naming = "otel"
	url, _ := startReceiver(t, cfg, sink)
	s := loadSample(t, "otel1.0-request.json")
	requireFirehoseAnswer(t, firehosetest.Post(t, url, s.Body, s.Headers, false), 200, s.Headers["X-Amz-Firehose-Request-Id"], "")
	require.Len(t, sink.Calls(), 1)
	got := series(sink.Calls()[0])
	require.Len(t, got, 2)
	assert.Contains(t, got[0], "amazonaws.com/AWS/EBS/VolumeWriteBytes{")
	assert.Contains(t, got[0], `VolumeId="vol-01bb3fd4d5ba82034"`)
	assert.Contains(t, got[0], `cloud.account.id="486140753397"`)
	assert.Contains(t, got[0], "count=1 sum=634880 q=[0:634880 1:634880] @1727699100000-1727699160000")
}

func formatOf(s string) metricstream.Format { return metricstream.Format(s) }

// The parser hands every record to the decoder in the same reused buffer; this guards the assumption that the decoder
// copies what it keeps: the buffer is scribbled over after each record and the series must not change.
func TestDecoderDoesNotRetainRecordBytes(t *testing.T) {
	for _, name := range []string{"otel1.0-request.json", "otel0.7-request.json", "json-request.json"} {
		s := loadSample(t, name)
		decoder, err := metricstream.NewDecoder(metricstream.Options{})
		require.NoError(t, err)
		batch := decoder.NewBatch(map[string]string{"P8S_LOGZIO_NAME": "example-env"})
		_, err = newRequestParser(0).parse(bytes.NewReader(s.Body), s.Headers["X-Amz-Firehose-Request-Id"], func(_ int, data []byte) error {
			if err := batch.AddRecord(data); err != nil {
				return err
			}
			for i := range data {
				data[i] = 0xff
			}
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, sampleSeries[name], series(batch.Metrics()), name)
	}
}
