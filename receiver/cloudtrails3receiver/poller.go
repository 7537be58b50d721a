// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/metadata"
)

// maxDispatchPerSubtree bounds how many objects one subtree hands out in one poll, so that a long backfill of one
// account/region does not starve the others: a subtree that hits the bound is continued right after the poll.
const maxDispatchPerSubtree = 1000

// Reasons attached to the objects_skipped counter.
const (
	skipFolder      = "folder"        // key ends with '/'
	skipEmpty       = "empty"         // 0-byte object
	skipNotTrailLog = "not_trail_log" // name does not follow the CloudTrail layout
	skipFutureTime  = "future_time"   // file-name time later than now plus maxClockSkew
)

// maxClockSkew is how far in the future a file-name time may be and still be read. CloudTrail names a file by its
// delivery time, so a later name comes from a clock that is wrong (this host's or the writer's) or from a file that
// is not CloudTrail's. Such a file must not move the watermark: everything delivered before its name time would
// never be listed again.
const maxClockSkew = 15 * time.Minute

// maxFutureKeysRemembered bounds the set of future-named keys already reported (each is counted and logged once).
const maxFutureKeysRemembered = 10000

// workItem is one object handed to a worker.
type workItem struct {
	pos  *position
	key  string
	time time.Time
}

// poller keeps one position per account/region subtree, lists each subtree incrementally and feeds the workers.
type poller struct {
	bucket    string
	prefix    string
	start     time.Time // files delivered before this minute are never read
	lookBack  time.Duration
	maxBytes  int64
	shard     shard // the account/region folders this replica polls
	client    s3API
	reader    *objectReader
	store     *checkpointStore
	integrity *integrityChecker // nil unless integrity.enabled
	telemetry *metadata.TelemetryBuilder
	logger    *zap.Logger
	status    *statusTracker // every folder's listing is a source of the receiver's status

	mu        sync.Mutex
	positions map[string]*position // by subtree key prefix
	order     []*position          // sorted by key prefix
	listErrs  map[string]string    // last listing error per subtree, to log each problem once
	future    map[string]struct{}  // future-named keys already counted and logged

	work     chan workItem
	inFlight sync.WaitGroup
}

// setSubtrees adopts the subtrees found by discovery. A new subtree resumes from its stored position, or starts at
// the configured start.
func (p *poller) setSubtrees(ctx context.Context, subtrees []subtree) error {
	fresh, resumed := 0, 0
	for _, s := range subtrees {
		p.mu.Lock()
		_, known := p.positions[s.keyPrefix()]
		p.mu.Unlock()
		if known {
			continue
		}
		cp, found, err := p.store.loadSubtree(ctx, s)
		if err != nil {
			return err
		}
		if found && cp.inFuture(time.Now()) {
			// Written by a version that let a future-named file move the watermark: listing from there would never
			// return the files delivered since. Start over from the start time; files read before are read again.
			p.logger.Warn("The stored position of this account/region lies in the future (a file named with a future time moved it); reading again from the start time, so some files may be sent twice",
				zap.Stringer("subtree", s), zap.String("stored_after_key", cp.Watermark), zap.Time("start_time", p.start))
			cp, found = subtreeCheckpoint{}, false
		}
		if found {
			resumed++
			p.logger.Debug("Resuming account/region from the stored position", zap.Stringer("subtree", s), zap.String("after_key", cp.Watermark))
		} else {
			fresh++
			p.logger.Debug("Found a new account/region; reading its files delivered since the start time", zap.Stringer("subtree", s), zap.Time("start_time", p.start))
		}
		pos := newPosition(s, cp)
		p.mu.Lock()
		p.positions[s.keyPrefix()] = pos
		p.order = append(p.order, pos)
		p.mu.Unlock()
	}
	if fresh+resumed > 0 {
		accounts := map[string]struct{}{}
		for _, s := range subtrees {
			accounts[s.Account] = struct{}{}
		}
		// One line per discovery, not one per folder: an organization trail has hundreds.
		p.logger.Info("Discovered account/region folders",
			zap.Int("folders", len(subtrees)), zap.Int("accounts", len(accounts)),
			zap.Int("new_reading_from_start_time", fresh), zap.Int("resumed_from_stored_position", resumed),
			zap.Time("start_time", p.start))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	slices.SortFunc(p.order, func(a, b *position) int {
		return strings.Compare(a.subtree.keyPrefix(), b.subtree.keyPrefix())
	})
	return nil
}

func (p *poller) snapshot() []*position {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*position(nil), p.order...)
}

// runWorkers starts n workers reading objects until the work channel is closed.
func (p *poller) runWorkers(ctx context.Context, n int, wg *sync.WaitGroup) {
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for item := range p.work {
				p.process(ctx, item)
				p.inFlight.Done()
			}
		}()
	}
}

// pollOnce lists every subtree once, hands the new objects to the workers and waits until they are finished. It
// returns true when some subtree has more objects waiting than one poll hands out.
func (p *poller) pollOnce(ctx context.Context) bool {
	more := false
	for _, pos := range p.snapshot() {
		if ctx.Err() != nil {
			break
		}
		if p.pollSubtree(ctx, pos) {
			more = true
		}
	}
	p.inFlight.Wait()
	if p.integrity != nil {
		p.integrity.poll(ctx, p.reader, p.snapshot())
	}
	return more && ctx.Err() == nil
}

// pollSubtree lists one subtree from look_back before its watermark and dispatches the keys not done yet. It returns
// true when it stopped early because it dispatched maxDispatchPerSubtree objects.
func (p *poller) pollSubtree(ctx context.Context, pos *position) bool {
	s := pos.subtree
	startAfter := pos.beginListing(p.start, p.lookBack)
	// Once per poll, when files were done or forgotten (the listing can no longer return them) since the base set was
	// stored: store the current set as the new base.
	if pos.baseChanged() {
		pos.saveMu.Lock()
		p.save(ctx, pos, true)
		pos.saveMu.Unlock()
	}
	paginator := s3.NewListObjectsV2Paginator(p.client, &s3.ListObjectsV2Input{
		Bucket:     aws.String(p.bucket),
		Prefix:     aws.String(s.keyPrefix()),
		StartAfter: aws.String(startAfter),
	})
	dispatched, lastKey := 0, startAfter
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(ctx)
		if err != nil {
			if ctx.Err() == nil {
				p.listFailed(s, listError(p.bucket, s.keyPrefix(), err))
			}
			pos.endListing(lastKey, false)
			return false
		}
		for _, obj := range page.Contents {
			key := aws.ToString(obj.Key)
			lastKey = key
			if p.dispatch(ctx, pos, key, aws.ToInt64(obj.Size)) {
				dispatched++
			}
			if ctx.Err() != nil {
				pos.endListing(lastKey, false)
				return false
			}
			if dispatched >= maxDispatchPerSubtree {
				pos.endListing(lastKey, false)
				return true
			}
		}
	}
	p.listRecovered(s)
	pos.endListing(lastKey, true)
	return false
}

// dispatch classifies one listed key and hands it to a worker when it must be read. It returns true when it did.
func (p *poller) dispatch(ctx context.Context, pos *position, key string, size int64) bool {
	s := pos.subtree
	var reason string
	lf, err := parseLogKey(s.Prefix, key)
	switch {
	case strings.HasSuffix(key, "/"):
		reason = skipFolder
	case err != nil || lf.Subtree != s:
		reason = skipNotTrailLog
	case size == 0:
		reason = skipEmpty
	}
	if reason != "" {
		if pos.claim(key, time.Time{}, p.lookBack) == claimRead {
			p.telemetry.ReceiverCloudtrails3ObjectsSkipped.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", reason)))
			p.logger.Debug("Skipped a key that is not a CloudTrail log file", zap.String("key", key), zap.String("reason", reason))
			p.finish(ctx, pos, key, time.Time{})
		}
		return false
	}
	if lf.Time.Before(p.start.Truncate(time.Minute)) {
		return false // only possible for keys with odd names between the start key and the start minute
	}
	// The real clock: tests move the position clock to decide give-ups, which is not skew.
	if lf.Time.After(time.Now().Add(maxClockSkew)) {
		p.skipFuture(ctx, key, lf.Time)
		return false
	}
	switch pos.claim(key, lf.Time, p.lookBack) {
	case claimDone, claimBusy:
		return false
	case claimGiveUp:
		p.reader.failed(ctx, reasonGivenUp)
		p.logger.Error("Gave up on an object that failed on every poll while newer files of its account/region were read; its records are not sent. Fix the cause and copy the object again to read it.",
			zap.String("key", key), zap.Duration("look_back", p.lookBack))
		p.finish(ctx, pos, key, lf.Time)
		return false
	}
	if size > p.maxBytes {
		p.reader.failed(ctx, reasonTooLarge)
		p.logger.Error("Skipped an object larger than max_object_bytes; raise max_object_bytes to read it",
			zap.String("key", key), zap.Int64("size", size), zap.Int64("max_object_bytes", p.maxBytes))
		p.finish(ctx, pos, key, lf.Time)
		return false
	}
	p.inFlight.Add(1)
	select {
	case p.work <- workItem{pos: pos, key: key, time: lf.Time}:
		return true
	case <-ctx.Done():
		p.inFlight.Done()
		pos.release(key)
		return false
	}
}

// process reads one object and records the outcome in its subtree's position.
func (p *poller) process(ctx context.Context, item workItem) {
	p.telemetry.ReceiverCloudtrails3ObjectsInFlight.Add(ctx, 1)
	outcome := p.reader.read(ctx, item.key)
	p.telemetry.ReceiverCloudtrails3ObjectsInFlight.Add(context.WithoutCancel(ctx), -1)
	switch outcome {
	case outcomeDone, outcomeSkipped:
		p.finish(ctx, item.pos, item.key, item.time)
	case outcomeRetry:
		item.pos.markFailed(item.key)
	case outcomeCancelled:
		item.pos.release(item.key)
	}
}

// finish marks a key done and persists the subtree's position. A key that is not a trail file (t is zero) is only
// marked: it costs nothing to skip again after a restart, and the position moves with the next trail file.
func (p *poller) finish(ctx context.Context, pos *position, key string, t time.Time) {
	pos.markDone(key, t)
	if !t.IsZero() {
		p.saveCoalesced(ctx, pos)
	}
}

// saveCoalesced writes the subtree's position, one write for every object finished while another write of it was
// under way (group commit): a worker that finds a write in progress leaves its object to that writer, which writes
// once more, with a newer snapshot, when it is done. Under load one write covers many objects; nothing waits longer
// than one write, so a crash can make no more objects read twice than were finished during it.
func (p *poller) saveCoalesced(ctx context.Context, pos *position) {
	pos.commitMu.Lock()
	if pos.writing {
		pos.dirty = true
		pos.commitMu.Unlock()
		return
	}
	pos.writing = true
	for {
		pos.dirty = false
		pos.commitMu.Unlock()
		pos.saveMu.Lock()
		p.save(ctx, pos, false)
		pos.saveMu.Unlock()
		pos.commitMu.Lock()
		if !pos.dirty {
			pos.writing = false
			pos.commitMu.Unlock()
			return
		}
	}
}

// save persists the subtree's position; with forceBase, or when a write failed before, the whole done set too.
// Called with pos.saveMu held.
func (p *poller) save(ctx context.Context, pos *position, forceBase bool) {
	cp, base, withBase := pos.checkpointParts(forceBase || pos.baseStale)
	if err := p.store.saveSubtree(context.WithoutCancel(ctx), pos.subtree, cp, base, withBase); err != nil {
		pos.baseStale = true
		p.telemetry.ReceiverCloudtrails3CheckpointFailed.Add(ctx, 1)
		p.logger.Warn("Could not store the position; it is kept in memory and stored again with the next object. After a restart some files may be read twice.",
			zap.Stringer("subtree", pos.subtree), zap.Error(err))
		return
	}
	pos.baseStale = false
}

// skipFuture counts and logs, once per key, a file whose name time is in the future. It is not read and not marked
// done, so it holds nothing back; once its name time has come it is read like any other file.
func (p *poller) skipFuture(ctx context.Context, key string, t time.Time) {
	p.mu.Lock()
	_, reported := p.future[key]
	if !reported {
		if p.future == nil || len(p.future) >= maxFutureKeysRemembered {
			p.future = map[string]struct{}{}
		}
		p.future[key] = struct{}{}
	}
	p.mu.Unlock()
	if reported {
		return
	}
	p.telemetry.ReceiverCloudtrails3ObjectsSkipped.Add(ctx, 1, metric.WithAttributes(attribute.String("reason", skipFutureTime)))
	p.logger.Warn("Skipped a file whose name time is in the future; the account/region keeps flowing. CloudTrail names files by delivery time: check this host's clock, and who wrote the object",
		zap.String("key", key), zap.Time("name_time", t), zap.Duration("max_clock_skew", maxClockSkew))
}

func (p *poller) listFailed(s subtree, err error) {
	p.telemetry.ReceiverCloudtrails3ListFailed.Add(context.Background(), 1, metric.WithAttributes(attribute.String("reason", listFailureReason(err))))
	p.status.failed(s.keyPrefix(), err)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.listErrs[s.keyPrefix()] == err.Error() {
		p.logger.Debug("Listing still fails", zap.Stringer("subtree", s), zap.Error(err))
		return
	}
	p.listErrs[s.keyPrefix()] = err.Error()
	p.logger.Error("Listing an account/region failed; it is tried again on every poll", zap.Stringer("subtree", s), zap.Error(err))
}

func (p *poller) listRecovered(s subtree) {
	p.status.succeeded(s.keyPrefix())
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, failed := p.listErrs[s.keyPrefix()]; failed {
		delete(p.listErrs, s.keyPrefix())
		p.logger.Info("Listing an account/region works again", zap.Stringer("subtree", s))
	}
}

// observeLastPoll reports, per account and region, the time of the last complete listing (Unix seconds, 0 before
// the first). With several folders for one account and region (an organization trail beside the account's own,
// Insights), the oldest one is reported, so an alert on it sees the folder that is stuck.
func (p *poller) observeLastPoll(_ context.Context, o metric.Float64Observer) error {
	type accountRegion struct{ account, region string }
	oldest := map[accountRegion]time.Time{}
	for _, pos := range p.snapshot() {
		k := accountRegion{pos.subtree.Account, pos.subtree.Region}
		t := pos.lastListing()
		if cur, ok := oldest[k]; !ok || t.Before(cur) {
			oldest[k] = t
		}
	}
	for k, t := range oldest {
		v := 0.0
		if !t.IsZero() {
			v = float64(t.UnixNano()) / 1e9
		}
		o.Observe(v, metric.WithAttributes(attribute.String("cloud.account.id", k.account), attribute.String("cloud.region", k.region)))
	}
	return nil
}

// observeLag reports, per account and region, now minus the file-name time of the newest trail file read. When
// several trails deliver into the same account and region (e.g. an organization trail and the account's own), the
// largest lag is reported. Insights files are left out: CloudTrail delivers them up to 30 minutes late by design.
func (p *poller) observeLag(_ context.Context, o metric.Float64Observer) error {
	type accountRegion struct{ account, region string }
	newest := map[accountRegion]time.Time{}
	for _, pos := range p.snapshot() {
		if pos.subtree.Insights {
			continue
		}
		t := pos.newest()
		if t.IsZero() {
			continue
		}
		k := accountRegion{pos.subtree.Account, pos.subtree.Region}
		if cur, ok := newest[k]; !ok || t.Before(cur) {
			newest[k] = t
		}
	}
	now := time.Now()
	for k, t := range newest {
		o.Observe(now.Sub(t).Seconds(), metric.WithAttributes(
			attribute.String("cloud.account.id", k.account),
			attribute.String("cloud.region", k.region)))
	}
	return nil
}
