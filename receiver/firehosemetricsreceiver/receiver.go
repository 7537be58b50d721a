// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver"

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metadata"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/resourcetags"
)

// firehoseReceiver serves the Firehose endpoint (internal/firehosehttp) with metric-stream batches and, when
// configured, runs the resource tag cache.
type firehoseReceiver struct {
	cfg       *Config
	settings  receiver.Settings
	next      consumer.Metrics
	logger    *zap.Logger
	telemetry *metadata.TelemetryBuilder
	obsrecv   *receiverhelper.ObsReport
	batches   *metricsBatches
	handler   *firehosehttp.Handler
	server    *firehosehttp.Server

	address    net.Addr // where the server listens, once started
	tags       *resourcetags.Cache
	stopTags   context.CancelFunc
	background sync.WaitGroup
}

func newFirehoseReceiver(cfg *Config, settings receiver.Settings, next consumer.Metrics) (*firehoseReceiver, error) {
	decoder, err := metricstream.NewDecoder(cfg.decoderOptions())
	if err != nil {
		return nil, err
	}
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
	batches := &metricsBatches{decoder: decoder, next: next, obsrecv: obsrecv, telemetry: telemetry}
	handler := firehosehttp.NewHandler(&cfg.EndpointConfig, firehosehttp.HandlerSettings{
		Logger: settings.Logger,
		Telemetry: firehosehttp.Telemetry{
			Requests:          telemetry.ReceiverFirehosemetricsRequests,
			RequestDuration:   telemetry.ReceiverFirehosemetricsRequestDuration,
			DuplicateRequests: telemetry.ReceiverFirehosemetricsDuplicateRequests,
			DecodeErrors:      telemetry.ReceiverFirehosemetricsDecodeErrors,
		},
		NewBatch: batches.newBatch,
	})
	return &firehoseReceiver{
		cfg:       cfg,
		settings:  settings,
		next:      next,
		logger:    settings.Logger,
		telemetry: telemetry,
		obsrecv:   obsrecv,
		batches:   batches,
		handler:   handler,
		server:    firehosehttp.NewServer(&cfg.EndpointConfig, handler, "metrics", settings.TelemetrySettings),
	}, nil
}

// Start builds the tag cache (when enabled), then listens and serves.
func (r *firehoseReceiver) Start(ctx context.Context, host component.Host) error {
	if r.cfg.ResourceTags.Enabled {
		if err := r.setUpTags(ctx); err != nil {
			return err
		}
	}
	if err := r.server.Start(ctx, host); err != nil {
		return err
	}
	r.address = r.server.Addr()

	if r.tags != nil {
		tagsCtx, cancel := context.WithCancel(context.Background())
		r.stopTags = cancel
		r.background.Add(1)
		go func() {
			defer r.background.Done()
			r.tags.Run(tagsCtx, r.cfg.ResourceTags.RefreshInterval, r.emitResourceInfo)
		}()
	}
	return nil
}

// setUpTags creates one Tagging API client per region and the cache; enrichment is switched on in the handler.
func (r *firehoseReceiver) setUpTags(ctx context.Context) error {
	tagsCfg := r.cfg.ResourceTags
	awsCfg, err := tagsCfg.AWS.Load(ctx, r.logger)
	if err != nil {
		return fmt.Errorf("resource_tags: %w", err)
	}
	regions := tagsCfg.Regions
	if len(regions) == 0 {
		if awsCfg.Region == "" {
			return errors.New("resource_tags: no region to list: set resource_tags.regions (or resource_tags.region, or AWS_REGION)")
		}
		regions = []string{awsCfg.Region}
	}
	clients := make(map[string]resourcetags.GetResourcesAPI, len(regions))
	for _, region := range regions {
		clients[region] = resourcegroupstaggingapi.NewFromConfig(awsCfg, func(o *resourcegroupstaggingapi.Options) {
			o.Region = region
		})
	}
	filters, err := resourcetags.ResourceTypeFilters(r.cfg.Namespaces)
	if err != nil {
		return fmt.Errorf("resource_tags: %w", err)
	}
	r.tags = resourcetags.NewCache(r.logger, r.telemetry, filters, clients)
	if tagsCfg.Enrich {
		r.batches.enrich = resourcetags.NewEnricher(r.tags, r.cfg.Naming).Enrich
	}
	return nil
}

// emitResourceInfo sends aws_resource_info for the refreshed snapshot (resource_tags.info_metric).
func (r *firehoseReceiver) emitResourceInfo(ctx context.Context, snap *resourcetags.Snapshot) {
	if !r.cfg.ResourceTags.InfoMetric {
		return
	}
	md, collisions := resourcetags.InfoMetrics(snap, r.cfg.Naming, r.settings.BuildInfo.Version, time.Now())
	if collisions > 0 {
		r.logger.Debug("Tags whose sanitised key equals another label of aws_resource_info were left out", zap.Int("tags", collisions))
	}
	points := md.DataPointCount()
	if points == 0 {
		return
	}
	opCtx := r.obsrecv.StartMetricsOp(ctx)
	err := r.next.ConsumeMetrics(opCtx, md)
	r.obsrecv.EndMetricsOp(opCtx, "tagging_api", points, err)
	if err != nil {
		r.logger.Warn("The pipeline refused aws_resource_info; it is sent again after the next refresh", zap.Error(err))
	}
}

// Shutdown stops the tag cache and the server; in-flight requests finish first (bounded by ctx).
func (r *firehoseReceiver) Shutdown(ctx context.Context) error {
	if r.stopTags != nil {
		r.stopTags()
	}
	err := r.server.Shutdown(ctx)
	r.background.Wait()
	r.telemetry.Shutdown()
	return err
}
