// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/metadata"
)

// cloudTrailReceiver wires the parts together: storage, S3 client, discovery, poller and workers.
type cloudTrailReceiver struct {
	cfg       *Config
	settings  receiver.Settings
	next      consumer.Logs
	obsrecv   *receiverhelper.ObsReport
	telemetry *metadata.TelemetryBuilder
	// selection is the compiled event_selection; nil when no rule is set.
	selection *cloudtrail.Selector

	// Seams for tests; production values are set by newReceiver.
	sdkRetry        sdkRetry
	consumerBackoff backoffSettings
	newClient       func(ctx context.Context) (s3API, error)
	now             func() time.Time
	// SQS mode.
	sqsRetry backoffSettings
	// sqsBacklogEvery is how often the queue's backlog is read with GetQueueAttributes.
	sqsBacklogEvery time.Duration
	newSQSClient    func(ctx context.Context) (sqsAPI, error)
	newS3Clients    func(ctx context.Context) (*regionalClients, error)
	hostname        func() (string, error)
	// Integrity: the CloudTrail client of a region (ListPublicKeys); nil builds the real one.
	newCloudTrailClient func(ctx context.Context, region string) (cloudTrailAPI, error)

	// decodeSlots holds one token per object being fetched and decoded (workers), shared by every object reader.
	decodeSlots chan struct{}

	// status reports the receiver's access to the bucket or queue to the collector's component status (status.go).
	status  *statusTracker
	storage storage.Client
	cancel  context.CancelFunc
	// lastDiscovery is the time (Unix ns) of the last successful discovery, 0 before the first.
	lastDiscovery atomic.Int64
	wg            sync.WaitGroup
}

func newReceiver(set receiver.Settings, cfg *Config, next consumer.Logs) (*cloudTrailReceiver, error) {
	obsrecv, err := receiverhelper.NewObsReport(receiverhelper.ObsReportSettings{
		ReceiverID:             set.ID,
		Transport:              "s3",
		LongLivedCtx:           true,
		ReceiverCreateSettings: set,
	})
	if err != nil {
		return nil, err
	}
	telemetry, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	selection, err := cloudtrail.NewSelector(cfg.EventSelection)
	if err != nil {
		return nil, err
	}
	r := &cloudTrailReceiver{
		selection:       selection,
		cfg:             cfg,
		settings:        set,
		next:            next,
		obsrecv:         obsrecv,
		telemetry:       telemetry,
		sdkRetry:        defaultSDKRetry,
		consumerBackoff: defaultConsumerBackoff,
		now:             time.Now,
		sqsRetry:        defaultSQSRetry,
		sqsBacklogEvery: defaultBacklogInterval,
		hostname:        os.Hostname,
		status:          newStatusTracker(),
		decodeSlots:     make(chan struct{}, cfg.Workers),
	}
	r.newClient = func(ctx context.Context) (s3API, error) {
		return newS3Client(ctx, r.cfg, r.sdkRetry, r.settings.Logger)
	}
	r.newS3Clients = func(ctx context.Context) (*regionalClients, error) {
		return newRegionalClients(ctx, r.cfg, r.sdkRetry, r.settings.Logger)
	}
	r.newSQSClient = func(ctx context.Context) (sqsAPI, error) {
		return newSQSClient(ctx, r.cfg, r.sdkRetry, r.settings.Logger)
	}
	return r, nil
}

// Start opens the storage, settles the start time and starts polling in the background; in SQS mode it starts
// receiving notifications instead. Nothing here waits for AWS.
func (r *cloudTrailReceiver) Start(ctx context.Context, host component.Host) error {
	if err := r.cfg.startError(); err != nil {
		return err
	}
	r.status.start(host)
	if r.cfg.sqsMode() {
		return r.startSQS()
	}
	logger := r.settings.Logger
	shard, err := r.cfg.Shard.resolve(r.hostname)
	if err != nil {
		return err
	}
	if shard.count > 0 {
		logger.Info("Polling one shard of the account/region folders", zap.Int("shard_index", shard.index), zap.Int("shard_count", shard.count))
	}
	client, err := storageClient(ctx, host, r.cfg.StorageID, r.settings.ID)
	if err != nil {
		return err
	}
	r.storage = client
	if r.cfg.StorageID == nil {
		logger.Warn("No storage extension configured (storage:): the position is kept in memory only. After a restart the receiver starts again from start_time, or from the restart time when start_time is not set, so files can be read twice or missed. Configure storage: file_storage to keep the position.")
	}
	store := &checkpointStore{client: client, bucket: r.cfg.Bucket, prefix: r.cfg.keyPrefix()}
	start, resumed, err := r.startTime(ctx, store)
	if err != nil {
		return err
	}
	checker, err := r.newIntegrityChecker(start, resumed)
	if err != nil {
		return err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	p := &poller{
		bucket:    r.cfg.Bucket,
		prefix:    r.cfg.keyPrefix(),
		start:     start,
		lookBack:  r.cfg.LookBack,
		maxBytes:  r.cfg.MaxObjectBytes,
		store:     store,
		integrity: checker,
		telemetry: r.telemetry,
		logger:    logger,
		shard:     shard,
		positions: map[string]*position{},
		listErrs:  map[string]string{},
		status:    r.status,
		work:      make(chan workItem),
	}
	if err := r.telemetry.RegisterReceiverCloudtrails3LastSuccessfulPollCallback(p.observeLastPoll); err != nil {
		return err
	}
	if err := r.telemetry.RegisterReceiverCloudtrails3LastDiscoveryCallback(func(_ context.Context, o metric.Float64Observer) error {
		o.Observe(float64(r.lastDiscovery.Load()) / 1e9) // 0 before the first discovery
		return nil
	}); err != nil {
		return err
	}
	if err := r.telemetry.RegisterReceiverCloudtrails3DeliveryLagCallback(p.observeLag); err != nil {
		cancel()
		return err
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		r.run(runCtx, p)
	}()
	return nil
}

// startSQS starts the notification consumer in the background.
func (r *cloudTrailReceiver) startSQS() error {
	runCtx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		c, ok := r.connectSQS(runCtx)
		if !ok {
			return
		}
		c.run(runCtx)
	}()
	return nil
}

// connectSQS builds the SQS and S3 clients, retrying with backoff.
func (r *cloudTrailReceiver) connectSQS(ctx context.Context) (*sqsConsumer, bool) {
	for attempt := 0; ; attempt++ {
		c, err := r.newSQSConsumer(ctx)
		if err == nil {
			r.status.succeeded(sourceConnect)
			return c, true
		}
		if ctx.Err() != nil {
			return nil, false
		}
		r.status.failed(sourceConnect, fmt.Errorf("setting up the SQS and S3 clients: %w", err))
		r.settings.Logger.Error("Cannot set up the SQS and S3 clients; retrying", zap.Error(err))
		if !sleep(ctx, backoffSettings{Initial: time.Second, Max: time.Minute}.delay(attempt)) {
			return nil, false
		}
	}
}

// startTime is start_time when configured, else the persisted first start (recorded now on the very first start).
// resumed says whether a previous run stored its position (files it read are not read again).
func (r *cloudTrailReceiver) startTime(ctx context.Context, store *checkpointStore) (start time.Time, resumed bool, err error) {
	first, found, err := store.loadFirstStart(ctx)
	if err != nil {
		return time.Time{}, false, err
	}
	if !found {
		first = r.now().UTC().Truncate(time.Minute)
		if err := store.saveFirstStart(ctx, first); err != nil {
			return time.Time{}, false, err
		}
		if r.cfg.StorageID != nil {
			// Either the very first start, or the storage lost its file (deleted, or recreated after corruption):
			// said loudly, because in the second case files delivered while the position was lost are not read.
			r.settings.Logger.Warn("No stored position for this bucket and prefix: starting afresh. On a first start this is expected; otherwise the storage extension's file was lost or recreated, and files delivered before now are read only if start_time reaches back to them",
				zap.String("bucket", r.cfg.Bucket), zap.String("prefix", r.cfg.keyPrefix()), zap.Stringer("storage", r.cfg.StorageID))
		}
	}
	start = first
	if !r.cfg.StartTime.IsZero() {
		start = r.cfg.StartTime.UTC()
	}
	r.settings.Logger.Info("Reading CloudTrail files delivered since the start time",
		zap.String("bucket", r.cfg.Bucket), zap.String("prefix", r.cfg.keyPrefix()), zap.Time("start_time", start),
		zap.Bool("from_start_time_option", !r.cfg.StartTime.IsZero()))
	return start, found, nil
}

// run connects to S3, then discovers and polls until shutdown.
func (r *cloudTrailReceiver) run(ctx context.Context, p *poller) {
	client, ok := r.connect(ctx)
	if !ok {
		return
	}
	p.client = client
	p.reader = r.newObjectReader(r.cfg.Bucket, client)
	p.reader.integrity = p.integrity
	var workers sync.WaitGroup
	p.runWorkers(ctx, r.cfg.objectsInFlight(), &workers)
	defer func() {
		close(p.work)
		workers.Wait()
	}()

	d := &discoverer{
		client:          client,
		bucket:          r.cfg.Bucket,
		prefix:          r.cfg.keyPrefix(),
		accounts:        r.cfg.Accounts,
		regions:         r.cfg.Regions,
		includeInsights: r.cfg.IncludeInsights,
	}
	var discovered time.Time
	var lastDiscoveryErr string
	for {
		if discovered.IsZero() || time.Since(discovered) >= r.cfg.DiscoveryInterval {
			err := r.discover(ctx, d, p)
			switch {
			case err == nil:
				discovered = time.Now()
				r.lastDiscovery.Store(discovered.UnixNano())
				lastDiscoveryErr = ""
				r.status.succeeded(sourceDiscovery)
			case ctx.Err() != nil:
				return
			default:
				r.telemetry.ReceiverCloudtrails3ListFailed.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", listFailureReason(err))))
				r.status.failed(sourceDiscovery, err)
				if err.Error() != lastDiscoveryErr {
					lastDiscoveryErr = err.Error()
					r.settings.Logger.Error("Discovering accounts and regions failed; trying again on the next poll", zap.Error(err))
				}
			}
		}
		if more := p.pollOnce(ctx); more {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(r.cfg.PollInterval):
		}
	}
}

// newObjectReader is the reader shared by both modes: same decoder options, batching and retries.
func (r *cloudTrailReceiver) newObjectReader(bucket string, client s3API) *objectReader {
	return &objectReader{
		bucket: bucket,
		client: client,
		decoder: cloudtrail.NewDecoder(cloudtrail.Options{
			MaxBatchRecords:    r.cfg.MaxBatchRecords,
			MaxObjectBytes:     r.cfg.MaxObjectBytes,
			MaxValueBytes:      r.cfg.MaxValueBytes,
			SemanticAttributes: r.cfg.SemanticAttributes,
			IncludeObjectKey:   r.cfg.IncludeObjectKey,
			PassThrough:        r.cfg.PassThrough,
			Selection:          r.selection,
			ScopeName:          metadata.ScopeName,
			ScopeVersion:       r.settings.BuildInfo.Version,
		}),
		next:         r.next,
		obsrecv:      r.obsrecv,
		telemetry:    r.telemetry,
		logger:       r.settings.Logger,
		backoff:      r.consumerBackoff,
		scopeVersion: r.settings.BuildInfo.Version,
		decodeSlots:  r.decodeSlots,
	}
}

func (r *cloudTrailReceiver) discover(ctx context.Context, d *discoverer, p *poller) error {
	subtrees, err := d.discover(ctx)
	if err != nil {
		return err
	}
	all := len(subtrees)
	subtrees = p.shard.filter(subtrees)
	if all > 0 && len(subtrees) == 0 {
		r.settings.Logger.Debug("No account/region folder falls in this replica's shard yet", zap.Int("folders", all), zap.Int("shard_index", p.shard.index))
	}
	if all == 0 {
		r.settings.Logger.Warn("No CloudTrail account/region folders found yet; looking again at the next discovery",
			zap.String("bucket", r.cfg.Bucket), zap.String("under", r.cfg.keyPrefix()+awsLogsFolder))
	}
	return p.setSubtrees(ctx, subtrees)
}

// connect builds the S3 client, retrying with backoff (e.g. while the bucket's region cannot be found yet).
func (r *cloudTrailReceiver) connect(ctx context.Context) (s3API, bool) {
	for attempt := 0; ; attempt++ {
		client, err := r.newClient(ctx)
		if err == nil {
			r.status.succeeded(sourceConnect)
			return client, true
		}
		if ctx.Err() != nil {
			return nil, false
		}
		r.status.failed(sourceConnect, fmt.Errorf("setting up the S3 client: %w", err))
		r.settings.Logger.Error("Cannot set up the S3 client; retrying", zap.Error(err))
		select {
		case <-ctx.Done():
			return nil, false
		case <-time.After(backoffSettings{Initial: time.Second, Max: time.Minute}.delay(attempt)):
		}
	}
}

// Shutdown stops polling, waits for the objects being read (their position is stored as they finish) and closes the
// storage client.
func (r *cloudTrailReceiver) Shutdown(ctx context.Context) error {
	r.status.stop()
	if r.cancel != nil {
		r.cancel()
	}
	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	r.telemetry.Shutdown()
	if r.storage != nil {
		err = errors.Join(err, r.storage.Close(ctx))
	}
	return err
}
