// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metadata"
)

const testAccessKey = firehosetest.AccessKey

// testConfig is the default configuration on a free loopback port with the samples' access key.
func testConfig() *Config {
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	firehosetest.OnLoopback(&cfg.EndpointConfig)
	return cfg
}

// startReceiver starts the receiver through its factory on a real listener and returns its base URL.
func startReceiver(t *testing.T, cfg *Config, next consumer.Metrics) (string, *firehoseReceiver) {
	t.Helper()
	return startReceiverWithSettings(t, cfg, next, receivertest.NewNopSettings(metadata.Type))
}

// startReceiverWithTelemetry is startReceiver with the receiver's own metrics recorded in the returned telemetry.
func startReceiverWithTelemetry(t *testing.T, cfg *Config, next consumer.Metrics) (string, *componenttest.Telemetry) {
	t.Helper()
	settings, tel := firehosetest.TelemetrySettings(t, metadata.Type)
	url, _ := startReceiverWithSettings(t, cfg, next, settings)
	return url, tel
}

func startReceiverWithSettings(t *testing.T, cfg *Config, next consumer.Metrics, settings receiver.Settings) (string, *firehoseReceiver) {
	t.Helper()
	require.NoError(t, cfg.Validate())
	rcv, err := NewFactory().CreateMetrics(context.Background(), settings, cfg, next)
	require.NoError(t, err)
	firehosetest.Start(t, rcv)
	r := rcv.(*firehoseReceiver)
	return "http://" + r.address.String() + cfg.Path, r
}

// requireFirehoseAnswer is firehosetest.RequireAnswer with the answer also under 1 MiB.
func requireFirehoseAnswer(t *testing.T, a firehosetest.Answer, status int, requestID, errorContains string) {
	t.Helper()
	firehosetest.RequireAnswer(t, a, status, requestID, errorContains)
	require.Less(t, len(a.Raw), 1<<20)
}

// series renders metrics as sorted lines `name{label="value",...} value @ms`, resource attributes included, so tests
// compare the exact output.
func series(md pmetric.Metrics) []string {
	var out []string
	for i := 0; i < md.ResourceMetrics().Len(); i++ {
		rm := md.ResourceMetrics().At(i)
		for j := 0; j < rm.ScopeMetrics().Len(); j++ {
			ms := rm.ScopeMetrics().At(j).Metrics()
			for k := 0; k < ms.Len(); k++ {
				m := ms.At(k)
				switch m.Type() {
				case pmetric.MetricTypeGauge:
					dps := m.Gauge().DataPoints()
					for d := 0; d < dps.Len(); d++ {
						dp := dps.At(d)
						out = append(out, fmt.Sprintf("%s{%s} %s @%d", m.Name(), renderLabels(rm.Resource().Attributes(), dp.Attributes()),
							strconv.FormatFloat(dp.DoubleValue(), 'g', -1, 64), dp.Timestamp().AsTime().UnixMilli()))
					}
				case pmetric.MetricTypeSummary:
					dps := m.Summary().DataPoints()
					for d := 0; d < dps.Len(); d++ {
						dp := dps.At(d)
						var qs []string
						for q := 0; q < dp.QuantileValues().Len(); q++ {
							qv := dp.QuantileValues().At(q)
							qs = append(qs, fmt.Sprintf("%g:%g", qv.Quantile(), qv.Value()))
						}
						out = append(out, fmt.Sprintf("%s{%s} count=%d sum=%g q=[%s] @%d-%d", m.Name(), renderLabels(rm.Resource().Attributes(), dp.Attributes()),
							dp.Count(), dp.Sum(), strings.Join(qs, " "), dp.StartTimestamp().AsTime().UnixMilli(), dp.Timestamp().AsTime().UnixMilli()))
					}
				default:
					out = append(out, fmt.Sprintf("%s unexpected type %s", m.Name(), m.Type()))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// renderLabels merges resource and data point attributes the way the remote-write translator turns them into labels
// (resource_to_telemetry_conversion); a key present on both sides is rendered as a conflict so that tests catch it.
func renderLabels(resource, point pcommon.Map) string {
	labels := map[string]string{}
	for k, v := range resource.All() {
		labels[k] = v.AsString()
	}
	for k, v := range point.All() {
		if r, dup := labels[k]; dup {
			labels[k] = "CONFLICT resource=" + r + " point=" + v.AsString()
			continue
		}
		labels[k] = v.AsString()
	}
	parts := make([]string, 0, len(labels))
	for k, v := range labels {
		parts = append(parts, fmt.Sprintf("%s=%q", k, v))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// recordingConsumer records every ConsumeMetrics call and answers with err.
type recordingConsumer struct {
	mu    sync.Mutex
	calls []pmetric.Metrics
	err   error
}

func (c *recordingConsumer) Capabilities() consumer.Capabilities { return consumer.Capabilities{} }

func (c *recordingConsumer) ConsumeMetrics(_ context.Context, md pmetric.Metrics) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, md)
	return c.err
}

func (c *recordingConsumer) Calls() []pmetric.Metrics {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]pmetric.Metrics(nil), c.calls...)
}
