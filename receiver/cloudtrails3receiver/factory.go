// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/metadata"
)

// NewFactory returns the factory of the cloudtrails3 receiver, which polls an S3 bucket for CloudTrail log files.
func NewFactory() receiver.Factory {
	return receiver.NewFactory(
		metadata.Type,
		createDefaultConfig,
		receiver.WithLogs(createLogsReceiver, metadata.LogsStability),
	)
}

func createDefaultConfig() component.Config {
	return &Config{
		PollInterval:      defaultPollInterval,
		DiscoveryInterval: defaultDiscoveryInterval,
		LookBack:          defaultLookBack,
		Workers:           defaultWorkers,
		MaxBatchRecords:   defaultMaxBatchRecords,
		MaxObjectBytes:    defaultMaxObjectBytes,
		MaxValueBytes:     defaultMaxValueBytes,
		SQS: SQSConfig{
			WaitTime:               defaultSQSWaitTime,
			MaxMessages:            defaultSQSMaxMessages,
			VisibilityTimeout:      defaultSQSVisibilityTimeout,
			MaxVisibilityExtension: defaultSQSMaxVisibilityExtension,
		},
		Integrity: IntegrityConfig{
			Alert:        alertLog,
			MissingAfter: defaultIntegrityMissingAfter,
		},
	}
}

func createLogsReceiver(_ context.Context, set receiver.Settings, cfg component.Config, next consumer.Logs) (receiver.Logs, error) {
	return newReceiver(set, cfg.(*Config), next)
}
