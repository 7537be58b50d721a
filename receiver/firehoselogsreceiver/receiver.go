// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver"

import (
	"context"
	"net"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receiverhelper"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver/internal/metadata"
)

// logsReceiver serves the Firehose endpoint (internal/firehosehttp) with CloudWatch Logs batches.
type logsReceiver struct {
	telemetry *metadata.TelemetryBuilder
	handler   *firehosehttp.Handler
	server    *firehosehttp.Server
	address   net.Addr // where the server listens, once started
}

func newLogsReceiver(cfg *Config, settings receiver.Settings, next consumer.Logs) (*logsReceiver, error) {
	telemetry, err := metadata.NewTelemetryBuilder(settings.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	obsrecv, err := receiverhelper.NewObsReport(receiverhelper.ObsReportSettings{
		ReceiverID:             settings.ID,
		Transport:              "http",
		ReceiverCreateSettings: settings,
	})
	if err != nil {
		return nil, err
	}
	var decoder messageDecoder = plainDecoder{}
	if cfg.CloudTrail.Enabled {
		if decoder, err = newCloudTrailDecoder(&cfg.CloudTrail, metadata.ScopeName, settings.BuildInfo.Version); err != nil {
			return nil, err
		}
	}
	batches := &logsBatches{
		cfg:       cfg,
		decoder:   decoder,
		next:      next,
		obsrecv:   obsrecv,
		telemetry: telemetry,
		version:   settings.BuildInfo.Version,
		now:       time.Now,
	}
	handler := firehosehttp.NewHandler(&cfg.EndpointConfig, firehosehttp.HandlerSettings{
		Logger: settings.Logger,
		Telemetry: firehosehttp.Telemetry{
			Requests:          telemetry.ReceiverFirehoselogsRequests,
			RequestDuration:   telemetry.ReceiverFirehoselogsRequestDuration,
			DuplicateRequests: telemetry.ReceiverFirehoselogsDuplicateRequests,
			DecodeErrors:      telemetry.ReceiverFirehoselogsDecodeErrors,
		},
		NewBatch: batches.newBatch,
	})
	return &logsReceiver{
		telemetry: telemetry,
		handler:   handler,
		server:    firehosehttp.NewServer(&cfg.EndpointConfig, handler, "logs", settings.TelemetrySettings),
	}, nil
}

// Start listens and serves.
func (r *logsReceiver) Start(ctx context.Context, host component.Host) error {
	if err := r.server.Start(ctx, host); err != nil {
		return err
	}
	r.address = r.server.Addr()
	return nil
}

// Shutdown stops the server; in-flight requests finish first (bounded by ctx).
func (r *logsReceiver) Shutdown(ctx context.Context) error {
	err := r.server.Shutdown(ctx)
	r.telemetry.Shutdown()
	return err
}
