// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/pipelineerr"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/metadata"
)

// Reasons attached to the objects_failed counter. Objects failing with a transient reason stay pending and are read
// again on the next poll; the others are skipped.
const (
	reasonCorrupt      = "corrupt"       // bad gzip or JSON: skipped
	reasonTooLarge     = "too_large"     // over max_object_bytes: skipped
	reasonMissing      = "missing"       // deleted between listing and reading: skipped
	reasonAccessDenied = "access_denied" // 403 on GetObject: transient (permissions may be fixed)
	reasonS3Error      = "s3_error"      // throttling, 5xx, connection errors after the SDK's retries: transient
	reasonGivenUp      = "given_up"      // failed on every poll while newer files were read for look_back: skipped
	reasonRefused      = "refused"       // the pipeline refused a batch permanently: the rest of the object was sent
)

// reasonExcluded is the reason of the records_dropped counter: records that event_selection did not let through.
const reasonExcluded = "excluded"

// folderOf returns the account and region of a trail log key's folder, or two empty strings for another key.
func folderOf(key string) (account, region string) {
	i := strings.Index(key, awsLogsFolder)
	if i < 0 {
		return "", ""
	}
	f, err := parseLogKey(key[:i], key)
	if err != nil {
		return "", ""
	}
	return f.Subtree.Account, f.Subtree.Region
}

// objectOutcome is what happened to one object.
type objectOutcome int

const (
	outcomeDone      objectOutcome = iota // every batch accepted (or permanently refused and counted)
	outcomeSkipped                        // cannot be read, retrying will not help: treat as done
	outcomeRetry                          // transient failure: read again on the next poll
	outcomeCancelled                      // shutdown: read again after restart
)

// backoffSettings drive the retry of batches the pipeline refused with a retryable error.
type backoffSettings struct {
	Initial time.Duration
	Max     time.Duration
}

var defaultConsumerBackoff = backoffSettings{Initial: 500 * time.Millisecond, Max: 30 * time.Second}

// delay is the wait before retry number attempt (0-based): exponential, capped, with full jitter.
func (b backoffSettings) delay(attempt int) time.Duration {
	d := b.Max
	if attempt < 30 {
		if e := b.Initial << attempt; e > 0 && e < b.Max {
			d = e
		}
	}
	return d/2 + rand.N(d/2+1)
}

// objectReader fetches one object, streams it through the decoder and hands the batches to the pipeline.
type objectReader struct {
	bucket    string
	client    s3API
	decoder   *cloudtrail.Decoder
	next      consumer.Logs
	obsrecv   *receiverhelper.ObsReport
	telemetry *metadata.TelemetryBuilder
	logger    *zap.Logger
	backoff   backoffSettings
	// integrity, when set (integrity.enabled, polling mode), hashes trail log files and judges them.
	integrity    *integrityChecker
	scopeVersion string
	// decodeSlots bounds the objects being fetched and decoded (workers); an object waiting for the pipeline to
	// accept its last batch has given its slot back.
	decodeSlots chan struct{}
}

// read processes one object of the polled bucket and says what the poller should do with its key.
func (o *objectReader) read(ctx context.Context, key string) objectOutcome {
	return o.readObject(ctx, o.client, o.bucket, key)
}

// readObject processes one object of any bucket with the given client (SQS mode reads objects of several buckets and
// regions) and says whether it is done, must be read again, or was cancelled.
//
// When the pipeline refuses a batch after taking its records (a queue that batches across objects moves them into a
// batch of its own, and on failure hands back that merged batch, which is not this object's), the object is read
// again from S3 after a backoff: the batches the pipeline already accepted are decoded again but not sent, so nothing
// is sent twice, and no copy of a batch is kept in memory for the case of a refusal. S3 is the queue.
func (o *objectReader) readObject(ctx context.Context, client s3API, bucket, key string) objectOutcome {
	var progress objectProgress
	for attempt := 0; ; attempt++ {
		outcome, again := o.readOnce(ctx, client, bucket, key, &progress)
		if again == nil {
			return outcome
		}
		o.logRefusal(key, again.records, attempt, again.configuration, again.err, "the object is read again after a backoff; the batches already accepted are not sent again")
		if !o.sleep(ctx, attempt) {
			return outcomeCancelled
		}
	}
}

// objectProgress is what the reads of one object did so far.
type objectProgress struct {
	// delivered is the number of the object's batches, in decoding order, that the pipeline accepted or refused for
	// good: a read after a refusal skips them.
	delivered int
	// refused counts the records the pipeline refused for good.
	refused int
}

// readAgainError says that the pipeline refused a batch it had taken the records of: the object must be read again.
type readAgainError struct {
	err           error
	records       int
	configuration bool
}

func (e *readAgainError) Error() string {
	return "the pipeline refused a batch; read the object again: " + e.err.Error()
}
func (e *readAgainError) Unwrap() error { return e.err }

// readOnce reads the object once, skipping the batches progress says were delivered. It returns a readAgainError
// when the pipeline refused a batch whose records it had taken.
func (o *objectReader) readOnce(ctx context.Context, client s3API, bucket, key string, progress *objectProgress) (objectOutcome, *readAgainError) {
	releaseSlot := func() {}
	if o.decodeSlots != nil {
		select {
		case o.decodeSlots <- struct{}{}:
		case <-ctx.Done():
			return outcomeCancelled, nil
		}
		releaseSlot = sync.OnceFunc(func() { <-o.decodeSlots })
		defer releaseSlot()
	}
	out, err := client.GetObject(ctx, getObjectInput(bucket, key))
	if err != nil {
		return o.getFailed(ctx, bucket, key, err), nil
	}
	closeBody := sync.OnceFunc(func() { out.Body.Close() })
	defer closeBody()
	batches := 0
	emit := func(ld plog.Logs) error {
		batches++
		if batches <= progress.delivered {
			return nil // accepted before the pipeline refused a later batch: not again
		}
		n, err := o.deliver(ctx, key, ld)
		if err != nil {
			return err
		}
		progress.delivered++
		progress.refused += n
		return nil
	}
	// Integrity (when it checks this log file) hashes the decompressed bytes and may hold records until the verdict.
	hash, emit, finishIntegrity := o.integrity.observe(o, bucket, key, emit)
	tap := cloudtrail.Tap{Decompressed: hash}
	stats, last, err := o.decoder.DecodeHoldingLast(ctx, out.Body, cloudtrail.Object{Bucket: bucket, Key: key}, time.Now(), &tap, emit)
	// The last batch (a small file's only one) goes to the pipeline after the decoder's buffers and the connection
	// are released: waiting for the pipeline to accept it, the worker holds nothing but the batch.
	closeBody()
	releaseSlot()
	if last.LogRecordCount() > 0 {
		if emitErr := emit(last); emitErr != nil {
			err = emitErr
		}
	}
	o.telemetry.ReceiverCloudtrails3BytesRead.Add(ctx, tap.ObjectBytes)
	// After a readAgainError, finishIntegrity does nothing: the file is checked when it is read again.
	ferr := finishIntegrity(ctx, err)
	var again *readAgainError
	if errors.As(err, &again) || errors.As(ferr, &again) {
		return outcomeRetry, again
	}
	if ferr != nil {
		return outcomeCancelled, nil
	}
	return o.conclude(ctx, bucket, key, stats, progress.refused, err), nil
}

// conclude counts and logs how a read that went to its end (or stopped on the object's fault) ended, and says what
// becomes of the object.
func (o *objectReader) conclude(ctx context.Context, bucket, key string, stats cloudtrail.Stats, refused int, err error) objectOutcome {
	if stats.DroppedRecords > 0 {
		account, region := folderOf(key)
		o.telemetry.ReceiverCloudtrails3RecordsDropped.Add(ctx, stats.DroppedRecords, metric.WithAttributes(
			attribute.String("reason", reasonExcluded), attribute.String("cloud.account.id", account), attribute.String("cloud.region", region)))
	}
	if stats.SkippedRecords > 0 {
		o.telemetry.ReceiverCloudtrails3RecordsSkipped.Add(ctx, stats.SkippedRecords)
		o.logger.Warn("Skipped records without a valid eventTime, not JSON objects, or nested deeper than 1000 levels; the other records of the object were sent",
			zap.String("key", key), zap.Int64("skipped", stats.SkippedRecords))
	}
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return outcomeCancelled
	case errors.Is(err, cloudtrail.ErrObjectRead):
		// The connection broke while streaming: not the object's fault. Batches already sent will be sent again.
		o.failed(ctx, reasonS3Error)
		o.logger.Warn("Reading the object body failed; it will be read again (next poll, or when its SQS message is received again)",
			zap.String("key", key), zap.Error(err))
		return outcomeRetry
	case errors.Is(err, cloudtrail.ErrTooLarge):
		o.failed(ctx, reasonTooLarge)
		o.logger.Error("Skipped an object larger than max_object_bytes once decompressed; raise max_object_bytes to read it",
			zap.String("key", key), zap.Error(err))
		return outcomeSkipped
	case errors.Is(err, cloudtrail.ErrCorrupt):
		o.failed(ctx, reasonCorrupt)
		o.logger.Error("Skipped an object that is not a readable CloudTrail log file (bad gzip or JSON); records before the damage were sent. Check the object with `aws s3 cp s3://<bucket>/<key> - | gunzip | head`",
			zap.String("bucket", bucket), zap.String("key", key), zap.Error(err))
		return outcomeSkipped
	default:
		o.failed(ctx, reasonCorrupt)
		o.logger.Error("Skipped an object the decoder could not read", zap.String("key", key), zap.Error(err))
		return outcomeSkipped
	}
	if refused > 0 {
		o.failed(ctx, reasonRefused)
		o.logger.Error("The pipeline permanently refused records of this object; they are dropped and the object counts as read",
			zap.String("key", key), zap.Int("refused_records", refused))
	}
	o.telemetry.ReceiverCloudtrails3ObjectsProcessed.Add(ctx, 1)
	return outcomeDone
}

func (o *objectReader) getFailed(ctx context.Context, bucket, key string, err error) objectOutcome {
	switch {
	case ctx.Err() != nil:
		return outcomeCancelled
	case isNoSuchKey(err):
		o.failed(ctx, reasonMissing)
		o.logger.Warn("Skipped an object that was deleted after it was listed", zap.String("key", key), zap.Error(err))
		return outcomeSkipped
	case isAccessDenied(err):
		o.failed(ctx, reasonAccessDenied)
		o.logger.Error("Cannot read the object; it will be tried again (next poll, or when its SQS message is received again)", zap.Error(getError(bucket, key, err)))
		return outcomeRetry
	default:
		o.failed(ctx, reasonS3Error)
		o.logger.Warn("Reading the object failed after retries; it will be tried again (next poll, or when its SQS message is received again)", zap.Error(getError(bucket, key, err)))
		return outcomeRetry
	}
}

// deliver hands one batch of an object to the pipeline once. A permanent refusal that is about the data is counted
// and the batch dropped (retrying cannot succeed): deliver returns the number of records refused and nil, so the rest
// of the object still flows. A retryable refusal, or a configuration error (a wrong token or endpoint:
// internal/pipelineerr, permanent but curable), returns a readAgainError: the object is read again after a backoff,
// until the batch is accepted or the receiver shuts down, so that an object is never skipped because the pipeline was
// busy or misconfigured.
//
// Why read again rather than send the batch again: once ConsumeLogs returned, the batch is no longer the receiver's.
// A queue that batches across objects moves its records into a batch of its own, keeps using the batch's container
// for other objects' records, and hands back on failure (consumererror.Logs) its merged batch, which other objects'
// workers retry too. S3 still has the object: reading it again costs a GET and a decode, only on refusals, and no
// batch is copied in case of one.
func (o *objectReader) deliver(ctx context.Context, key string, ld plog.Logs) (int, error) {
	n := ld.LogRecordCount()
	refused, err := o.consume(ctx, key, ld)
	if err != nil {
		return 0, &readAgainError{err: err, records: n, configuration: pipelineerr.IsConfiguration(err)}
	}
	return refused, nil
}

// emit hands a batch that cannot be read again (an integrity verdict) to the pipeline. A retryable refusal or a
// configuration error is retried with backoff, from a copy taken before each attempt, until the batch is accepted. It
// returns the number of records refused for good, and an error only on shutdown.
func (o *objectReader) emit(ctx context.Context, key string, ld plog.Logs) (int, error) {
	for attempt := 0; ; attempt++ {
		kept := plog.NewLogs()
		ld.CopyTo(kept)
		refused, err := o.consume(ctx, key, ld)
		if err == nil {
			return refused, nil
		}
		ld = kept
		o.logRefusal(key, ld.LogRecordCount(), attempt, pipelineerr.IsConfiguration(err), err, "the batch is retried with backoff until it is accepted")
		if !o.sleep(ctx, attempt) {
			return 0, fmt.Errorf("shutting down while the pipeline refused a batch: %w", ctx.Err())
		}
	}
}

// consume calls the pipeline once. A refusal that retrying cannot cure (permanent, and not a configuration error) is
// logged and its records returned as refused; any other refusal is returned as the error.
func (o *objectReader) consume(ctx context.Context, key string, ld plog.Logs) (int, error) {
	n := ld.LogRecordCount()
	opCtx := o.obsrecv.StartLogsOp(ctx)
	err := o.next.ConsumeLogs(opCtx, ld)
	o.obsrecv.EndLogsOp(opCtx, "cloudtrail", n, err)
	switch {
	case err == nil:
		o.telemetry.ReceiverCloudtrails3RecordsEmitted.Add(ctx, int64(n))
		return 0, nil
	case consumererror.IsPermanent(err) && !pipelineerr.IsConfiguration(err):
		o.logger.Error("The pipeline refused a batch permanently; dropping it", zap.String("key", key), zap.Int("records", n), zap.Error(err))
		return n, nil
	default:
		return 0, err
	}
}

// logRefusal logs a retryable refusal or a configuration error on the first attempt and every tenth.
func (o *objectReader) logRefusal(key string, records, attempt int, configuration bool, err error, then string) {
	switch {
	case attempt != 0 && attempt%10 != 9:
	case configuration:
		o.logger.Error("The exporter cannot deliver anything until its configuration is fixed (see the error); nothing is dropped: this object stays unread, its account/region (or SQS message) waits, and "+then,
			zap.String("key", key), zap.Int("records", records), zap.Int("attempt", attempt+1), zap.Error(err))
	default:
		o.logger.Warn("The pipeline refused a batch; "+then, zap.String("key", key),
			zap.Int("records", records), zap.Int("attempt", attempt+1), zap.Error(err))
	}
}

// sleep waits the backoff of retry number attempt; false when the receiver shuts down meanwhile.
func (o *objectReader) sleep(ctx context.Context, attempt int) bool {
	return sleep(ctx, o.backoff.delay(attempt))
}

func (o *objectReader) failed(ctx context.Context, reason string) {
	o.telemetry.ReceiverCloudtrails3ObjectsFailed.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", reason)))
}
