// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang/snappy"
	prw "github.com/open-telemetry/opentelemetry-collector-contrib/pkg/translator/prometheusremotewrite"
	"github.com/prometheus/prometheus/prompb"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter/internal/metadata"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/pmetricutil"
)

// maxMetricsRequestBytes bounds the uncompressed protobuf of one remote-write request (the figure Logz.io's
// metric-stream Lambda uses).
const maxMetricsRequestBytes = 3_000_000

// metricsExporter sends metrics to the Logz.io Prometheus remote-write listener.
type metricsExporter struct {
	cfg       *Config
	set       exporter.Settings
	telemetry *metadata.TelemetryBuilder
	endpoint  string
	token     string
	userAgent string
	translate prw.Settings
	client    *http.Client
	redirects redirectReport
	refusal   refusal
}

func newMetricsExporter(cfg *Config, set exporter.Settings, telemetry *metadata.TelemetryBuilder) *metricsExporter {
	return &metricsExporter{
		cfg:       cfg,
		set:       set,
		telemetry: telemetry,
		endpoint:  cfg.metricsEndpoint(),
		token:     string(cfg.Metrics.Token),
		userAgent: userAgent(set.BuildInfo),
		refusal:   refusal{sourceWaits: sourceWaits(cfg)},
		translate: prw.Settings{
			ExternalLabels: cfg.Metrics.ExternalLabels,
			// Names pass through unchanged: the firehose receiver already produces Logz.io names such as
			// aws_ec2_cpuutilization_max, so no unit or _total suffix is added.
			AddMetricSuffixes:   false,
			TranslationStrategy: "UnderscoreEscapingWithoutSuffixes",
			// Resource attributes become labels on every series instead of a target_info series.
			DisableTargetInfo: true,
			DisableScopeInfo:  true,
		},
	}
}

func (e *metricsExporter) start(ctx context.Context, host component.Host) error {
	client, err := newHTTPClient(ctx, e.cfg, host, e.set.TelemetrySettings)
	if err != nil {
		return fmt.Errorf("cannot build the HTTP client for the Logz.io metrics listener: %w", err)
	}
	e.client = client
	e.refusal.start(host)
	return nil
}

// shutdown closes the idle connections of the HTTP client; requests in flight have ended when it is called.
func (e *metricsExporter) shutdown() {
	if e.client != nil {
		e.client.CloseIdleConnections()
	}
}

func (e *metricsExporter) pushMetrics(ctx context.Context, md pmetric.Metrics) error {
	series, translateErr := prw.FromMetrics(withResourceLabels(md), e.translate)
	if translateErr != nil {
		if len(series) == 0 {
			return consumererror.NewPermanent(fmt.Errorf("no metric could be converted to Prometheus series: %w", translateErr))
		}
		e.set.Logger.Warn("Some metrics could not be converted to Prometheus series and were dropped", zap.Error(translateErr))
	}
	if len(series) == 0 {
		return nil
	}
	for _, request := range splitWriteRequests(sortedSeries(series), maxMetricsRequestBytes) {
		if err := e.send(ctx, request); err != nil {
			return e.refusal.classify(err)
		}
	}
	return nil
}

// send posts one remote-write 1.0 request.
func (e *metricsExporter) send(ctx context.Context, request *prompb.WriteRequest) error {
	raw, err := request.Marshal()
	if err != nil {
		return consumererror.NewPermanent(fmt.Errorf("cannot encode the remote-write request: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.endpoint, bytes.NewReader(snappy.Encode(nil, raw)))
	if err != nil {
		return consumererror.NewPermanent(fmt.Errorf("cannot build a request for metrics.endpoint: %w", redactError(err, e.token)))
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Content-Type", "application/x-protobuf")
	req.Header.Set("Content-Encoding", "snappy")
	req.Header.Set("X-Prometheus-Remote-Write-Version", "0.1.0")
	req.Header.Set("User-Agent", e.userAgent)

	resp, err := sendRequest(e.client, req, "metrics", e.telemetry, e.token)
	if err != nil {
		return fmt.Errorf("cannot reach the Logz.io metrics listener: %w", err)
	}
	a := readMetricsAnswer(resp.status, resp.header, resp.body, time.Now())
	switch a.outcome {
	case outcomeDone:
		e.refusal.delivered()
		return nil
	case outcomeRedirect:
		e.redirects.log(e.set.Logger, a.err)
	}
	return a.err
}

// sortedSeries returns the translator's series, each with its labels sorted by name and its samples in time order,
// as remote write requires. The translator already writes them so: they are only checked, and sorted when not. The
// order of the series themselves does not matter to remote write, so it is left as the translator's map gives it.
func sortedSeries(byID map[string]*prompb.TimeSeries) []prompb.TimeSeries {
	series := make([]prompb.TimeSeries, 0, len(byID))
	for _, ts := range byID {
		if !slices.IsSortedFunc(ts.Labels, compareLabelNames) {
			slices.SortFunc(ts.Labels, compareLabelNames)
		}
		if !slices.IsSortedFunc(ts.Samples, compareSampleTimes) {
			slices.SortStableFunc(ts.Samples, compareSampleTimes)
		}
		series = append(series, *ts)
	}
	return series
}

func compareLabelNames(a, b prompb.Label) int { return strings.Compare(a.Name, b.Name) }

func compareSampleTimes(a, b prompb.Sample) int { return compareInt64(a.Timestamp, b.Timestamp) }

func compareInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// splitWriteRequests groups series into requests whose encoded size stays under maxBytes (a single larger
// series gets a request of its own).
func splitWriteRequests(series []prompb.TimeSeries, maxBytes int) []*prompb.WriteRequest {
	var requests []*prompb.WriteRequest
	current := &prompb.WriteRequest{}
	size := 0
	for _, ts := range series {
		// Field tag and length prefix of the repeated timeseries field: at most 1 + 10 bytes.
		tsSize := ts.Size() + 11
		if size+tsSize > maxBytes && len(current.Timeseries) > 0 {
			requests = append(requests, current)
			current = &prompb.WriteRequest{}
			size = 0
		}
		current.Timeseries = append(current.Timeseries, ts)
		size += tsSize
	}
	if len(current.Timeseries) > 0 {
		requests = append(requests, current)
	}
	return requests
}

// withResourceLabels copies every resource attribute onto the data points of its metrics (the data point's own
// attribute wins), like resource_to_telemetry_conversion does, and returns md. The metrics exporter declares
// MutatesData, so the pipeline hands it data of its own and the attributes are added in place: no copy of the batch.
// Adding them is idempotent, so a retry of the same batch sends the same series. Read-only data (shared with other
// consumers) is copied first.
func withResourceLabels(md pmetric.Metrics) pmetric.Metrics {
	hasResourceAttributes := false
	for _, rm := range md.ResourceMetrics().All() {
		if rm.Resource().Attributes().Len() > 0 {
			hasResourceAttributes = true
			break
		}
	}
	if !hasResourceAttributes {
		return md
	}
	if md.IsReadOnly() {
		out := pmetric.NewMetrics()
		md.CopyTo(out)
		md = out
	}
	for _, rm := range md.ResourceMetrics().All() {
		resourceAttrs := rm.Resource().Attributes()
		if resourceAttrs.Len() == 0 {
			continue
		}
		for _, sm := range rm.ScopeMetrics().All() {
			for _, m := range sm.Metrics().All() {
				pmetricutil.ForEachDataPointAttributes(m, func(attrs pcommon.Map) {
					for key, value := range resourceAttrs.All() {
						if _, exists := attrs.Get(key); !exists {
							value.CopyTo(attrs.PutEmpty(key))
						}
					}
				})
			}
		}
	}
	return md
}
