package firehosemetricsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"

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
	server := confighttp.NewDefaultServerConfig()
	server.NetAddr.Endpoint = defaultEndpoint
	server.MaxRequestBodySize = defaultMaxRequestBodySize
	server.ReadHeaderTimeout = defaultReadHeaderTimeout
	server.ReadTimeout = defaultReadTimeout
	server.WriteTimeout = defaultWriteTimeout
	server.Keepalive = configoptional.Some(confighttp.KeepaliveServerConfig{IdleTimeout: defaultIdleTimeout})
	return &Config{
		ServerConfig:          server,
		MaxConcurrentRequests: defaultMaxConcurrentRequests,
		MaxRequestHeaderSize:  defaultMaxRequestHeaderSize,
		Path:                  "/",
		Format:                metricstream.FormatAuto,
		Naming:                metricstream.NamingLogzio,
		Namespaces:            []string{metricstream.AllNamespaces},
		MaxRecordSize:         defaultMaxRecordSize,
		ConsumeTimeout:        defaultConsumeTimeout,
		DedupWindow:           defaultDedupWindow,
		ResourceTags: ResourceTagsConfig{
			RefreshInterval: defaultRefreshInterval,
			InfoMetric:      true,
		},
	}
}

func createMetricsReceiver(_ context.Context, settings receiver.Settings, cfg component.Config, next consumer.Metrics) (receiver.Metrics, error) {
	return newFirehoseReceiver(cfg.(*Config), settings, next)
}
