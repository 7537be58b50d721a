// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver/internal/metadata"
)

// NewFactory returns the factory of the firehoselogs receiver: the HTTP endpoint destination of an Amazon Data
// Firehose stream fed by CloudWatch Logs subscription filters.
func NewFactory() receiver.Factory {
	return receiver.NewFactory(
		metadata.Type,
		createDefaultConfig,
		receiver.WithLogs(createLogsReceiver, metadata.LogsStability),
	)
}

func createDefaultConfig() component.Config {
	return &Config{
		EndpointConfig:             firehosehttp.NewDefaultEndpointConfig(defaultEndpoint),
		Format:                     FormatAuto,
		MaxDecompressedRecordSize:  defaultMaxDecompressedRecordSize,
		MaxDecompressedRequestSize: defaultMaxDecompressedRequestSize,
		CloudTrail:                 defaultCloudTrailConfig(),
	}
}

func createLogsReceiver(_ context.Context, settings receiver.Settings, cfg component.Config, next consumer.Logs) (receiver.Logs, error) {
	return newLogsReceiver(cfg.(*Config), settings, next)
}
