// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metadata"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream"
)

// NewFactory returns the factory of the firehosemetrics receiver: the HTTP endpoint destination of an Amazon Data
// Firehose stream fed by a CloudWatch Metric Stream.
func NewFactory() receiver.Factory {
	return receiver.NewFactory(
		metadata.Type,
		createDefaultConfig,
		receiver.WithMetrics(createMetricsReceiver, metadata.MetricsStability),
	)
}

func createDefaultConfig() component.Config {
	return &Config{
		EndpointConfig: firehosehttp.NewDefaultEndpointConfig(defaultEndpoint),
		Format:         metricstream.FormatAuto,
		Naming:         metricstream.NamingLogzio,
		Namespaces:     []string{metricstream.AllNamespaces},
		ResourceTags: ResourceTagsConfig{
			RefreshInterval: defaultRefreshInterval,
			InfoMetric:      true,
		},
	}
}

func createMetricsReceiver(_ context.Context, settings receiver.Settings, cfg component.Config, next consumer.Metrics) (receiver.Metrics, error) {
	return newFirehoseReceiver(cfg.(*Config), settings, next)
}
