// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/exporter/exportertest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosetest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
)

// TestEndToEndToPrometheus: a Firehose-shaped request → this receiver → the logzio exporter's metrics path (remote
// write) → a real Prometheus; the series are queried back with the Logz.io names and labels. The exporter runs without
// a sending queue, so the 200 answer means Prometheus accepted the data.
func TestEndToEndToPrometheus(t *testing.T) {
	prom := testpeers.Prometheus(t)

	factory := logzioexporter.NewFactory()
	expCfg := factory.CreateDefaultConfig().(*logzioexporter.Config)
	expCfg.Metrics.Endpoint = prom.WriteURL
	expCfg.Metrics.Token = "e2e-metrics-token"
	expCfg.QueueConfig = configoptional.None[exporterhelper.QueueBatchConfig]()
	exp, err := factory.CreateMetrics(context.Background(), exportertest.NewNopSettings(factory.Type()), expCfg)
	require.NoError(t, err)
	require.NoError(t, exp.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, exp.Shutdown(context.Background())) })

	url, _ := startReceiver(t, testConfig(), exp)

	// A JSON-format metric stream record with current timestamps (Prometheus refuses samples far in the past).
	run := fmt.Sprintf("e2e-%d", time.Now().UnixNano())
	start := time.Now().Add(-5 * time.Minute).Truncate(time.Minute)
	record := fmt.Sprintf(`{"metric_stream_name":"s","account_id":"123456789012","region":"eu-west-1","namespace":"AWS/EC2",`+
		`"metric_name":"CPUUtilization","dimensions":{"InstanceId":"i-0ABC123"},"timestamp":%d,`+
		`"value":{"count":5.0,"sum":42.5,"max":20.5,"min":1.5,"p99":20.25},"unit":"Percent"}`+"\n", start.UnixMilli())
	body := firehosetest.Body("e2e-1", []byte(record))
	headers := map[string]string{
		"X-Amz-Firehose-Request-Id":        "e2e-1",
		"X-Amz-Firehose-Access-Key":        testAccessKey,
		"X-Amz-Firehose-Common-Attributes": fmt.Sprintf(`{"commonAttributes":{"P8S_LOGZIO_NAME":%q}}`, run),
	}

	requireFirehoseAnswer(t, firehosetest.Post(t, url, body, headers, true), 200, "e2e-1", "")

	labels := map[string]string{
		"account": "123456789012", "region": "eu-west-1", "cloud_provider": "aws", "namespace": "aws/ec2",
		"metricname": "cpuutilization", "instanceid": "i-0abc123", "p8s_logzio_name": run,
	}
	end := start.Add(time.Minute)
	for _, tt := range []struct {
		name  string
		at    time.Time
		value float64
		extra map[string]string
	}{
		{name: "aws_ec2_cpuutilization_sum", at: end, value: 42.5},
		{name: "aws_ec2_cpuutilization_count", at: end, value: 5},
		{name: "aws_ec2_cpuutilization_min", at: start, value: 1.5},
		{name: "aws_ec2_cpuutilization_max", at: start, value: 20.5},
		{name: "aws_ec2_cpuutilization", at: end, value: 20.25, extra: map[string]string{"quantile": "0.99"}},
	} {
		samples := prom.Eventually(t, fmt.Sprintf(`%s{p8s_logzio_name=%q}`, tt.name, run), tt.at, 10*time.Second)
		require.Len(t, samples, 1, tt.name)
		want := map[string]string{"__name__": tt.name}
		for k, v := range labels {
			want[k] = v
		}
		for k, v := range tt.extra {
			want[k] = v
		}
		assert.Equal(t, want, samples[0].Labels, tt.name)
		assert.Equal(t, tt.value, samples[0].Value, tt.name)
		t.Logf("%s %v = %v", tt.name, samples[0].Labels, samples[0].Value)
	}
}
