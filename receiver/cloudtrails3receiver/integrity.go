// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/metadata"
)

// integrityChecker connects the receiver to the integrity package: one Tracker per account/region, fed with the
// hash of every trail log file read and with the digests the poller reads, and the reporting of every verdict
// (counter, WARN line for non-valid verdicts, and an outcome record with alert: record).
//
// Its state lives in memory only. After a restart, log files delivered before the restart are not judged (the
// trackers' Since is the start of this run), so nothing read by the previous run is reported unlisted or missing.
type integrityChecker struct {
	prefix       string
	pemKeys      *integrity.KeySet // from integrity.public_keys
	newAPI       func(ctx context.Context, region string) (cloudTrailAPI, error)
	since        time.Time
	missingAfter time.Duration
	records      bool // alert: record
	telemetry    *metadata.TelemetryBuilder
	logger       *zap.Logger

	mu       sync.Mutex
	trackers map[string]*integrity.Tracker // by subtree key prefix (trail subtrees only)
	// expected are the log files a digest whose signature verified lists and that were not read yet: their records
	// are held until the file is hashed so that each carries its verdict.
	expected map[integrity.ObjectRef]struct{}
	digests  map[string]*digestCursor // by subtree key prefix
	apiKeys  map[string]*publicKeyAPI // by region
}

func newIntegrityChecker(cfg *Config, pemKeys *integrity.KeySet, newAPI func(ctx context.Context, region string) (cloudTrailAPI, error), since time.Time, telemetry *metadata.TelemetryBuilder, logger *zap.Logger) *integrityChecker {
	return &integrityChecker{
		prefix:       cfg.keyPrefix(),
		pemKeys:      pemKeys,
		newAPI:       newAPI,
		apiKeys:      map[string]*publicKeyAPI{},
		since:        since,
		missingAfter: cfg.Integrity.MissingAfter,
		records:      cfg.Integrity.Alert == alertRecord,
		telemetry:    telemetry,
		logger:       logger,
		trackers:     map[string]*integrity.Tracker{},
		expected:     map[integrity.ObjectRef]struct{}{},
		digests:      map[string]*digestCursor{},
	}
}

// tracker returns the Tracker of a trail subtree, creating it on first use.
func (c *integrityChecker) tracker(s subtree) *integrity.Tracker {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.trackers[s.keyPrefix()]
	if !ok {
		t = integrity.NewTracker(integrity.TrackerSettings{Keys: c.keySource(s.Region), Since: c.since, MissingAfter: c.missingAfter})
		c.trackers[s.keyPrefix()] = t
	}
	return t
}

// keySource is where the keys of a region's digests come from: the PEM files, then ListPublicKeys in that region.
func (c *integrityChecker) keySource(region string) integrity.KeySource {
	return keyChain{c.pemKeys, regionKeys{c: c, region: region}}
}

// regionKeys builds the region's CloudTrail client on first use (a failure is returned and tried again next time).
type regionKeys struct {
	c      *integrityChecker
	region string
}

func (r regionKeys) Key(ctx context.Context, fingerprint string, at time.Time) (*rsa.PublicKey, error) {
	r.c.mu.Lock()
	api, ok := r.c.apiKeys[r.region]
	r.c.mu.Unlock()
	if !ok {
		client, err := r.c.newAPI(ctx, r.region)
		if err != nil {
			return nil, fmt.Errorf("setting up the CloudTrail client for ListPublicKeys in %s: %w", r.region, err)
		}
		api = newPublicKeyAPI(client, r.region)
		r.c.mu.Lock()
		if existing, ok := r.c.apiKeys[r.region]; ok {
			api = existing
		} else {
			r.c.apiKeys[r.region] = api
		}
		r.c.mu.Unlock()
	}
	return api.Key(ctx, fingerprint, at)
}

// keyUnavailable says whether the digest's key cannot be had right now for a reason other than an unknown key
// (ListPublicKeys failing): the digest is then read again later instead of being judged bad_signature.
func (c *integrityChecker) keyUnavailable(ctx context.Context, s subtree, d *integrity.Digest, signature string) error {
	if signature == "" {
		return nil // judged bad_signature without a key
	}
	_, err := c.keySource(s.Region).Key(ctx, d.DigestPublicKeyFingerprint, d.EndTime)
	if err == nil || errors.Is(err, integrity.ErrUnknownKey) {
		return nil
	}
	return err
}

// logFile says whether key is a trail log file that digests cover (Insights files are not), and its subtree and
// delivery time.
func (c *integrityChecker) logFile(key string) (logFile, bool) {
	lf, err := parseLogKey(c.prefix, key)
	if err != nil || lf.Subtree.Insights || lf.Time.Before(c.since) {
		return logFile{}, false
	}
	return lf, true
}

// isExpected says whether a verified digest already listed the object, so its verdict is known once it is hashed.
func (c *integrityChecker) isExpected(ref integrity.ObjectRef) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.expected[ref]
	return ok
}

// observeLogFile hands a completely read log file to its Tracker and returns the verdicts reached.
func (c *integrityChecker) observeLogFile(lf logFile, ref integrity.ObjectRef, sha256Hex string) []integrity.Outcome {
	outs := c.tracker(lf.Subtree).ObserveLogFile(ref, sha256Hex, lf.Time, time.Now())
	c.forget(outs)
	return outs
}

// observeDigest hands a digest to its Tracker and remembers the log files it lists when its signature verified.
func (c *integrityChecker) observeDigest(ctx context.Context, s subtree, d *integrity.Digest, where integrity.ObjectRef, signature, algorithm string) []integrity.Outcome {
	outs := c.tracker(s).ObserveDigest(ctx, d, where, signature, algorithm, time.Now())
	trusted := false
	for _, o := range outs {
		if o.Kind == integrity.KindDigest && o.Object == where && o.Verdict != integrity.VerdictBadSignature {
			trusted = true
		}
	}
	judged := map[integrity.ObjectRef]bool{}
	for _, o := range outs {
		if o.Kind == integrity.KindLogFile {
			judged[o.Object] = true
		}
	}
	if trusted {
		c.mu.Lock()
		for _, lf := range d.LogFiles {
			if ref := lf.Ref(); !judged[ref] {
				if at, ok := integrity.LogFileTime(ref.Key); !ok || !at.Before(c.since) {
					c.expected[ref] = struct{}{}
				}
			}
		}
		c.mu.Unlock()
	}
	return outs
}

// advance collects the verdicts that time decides (missing and unlisted log files) from every Tracker.
func (c *integrityChecker) advance() []integrity.Outcome {
	c.mu.Lock()
	trackers := make([]*integrity.Tracker, 0, len(c.trackers))
	for _, t := range c.trackers {
		trackers = append(trackers, t)
	}
	c.mu.Unlock()
	var outs []integrity.Outcome
	now := time.Now()
	for _, t := range trackers {
		outs = append(outs, t.Advance(now)...)
	}
	c.forget(outs)
	return outs
}

// forget drops judged log files from the expected set.
func (c *integrityChecker) forget(outs []integrity.Outcome) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, o := range outs {
		if o.Kind == integrity.KindLogFile {
			delete(c.expected, o.Object)
		}
	}
}

// count records a verdict in the counter and logs a non-valid one at WARN with the object and the reason.
func (c *integrityChecker) count(ctx context.Context, o integrity.Outcome) {
	c.telemetry.ReceiverCloudtrails3IntegrityOutcomes.Add(ctx, 1, metric.WithAttributes(
		attribute.String("kind", string(o.Kind)), attribute.String("verdict", string(o.Verdict))))
	if o.Verdict == integrity.VerdictValid {
		c.logger.Debug("CloudTrail integrity verified", zap.String("kind", string(o.Kind)), zap.String("key", o.Object.Key))
		return
	}
	fields := []zap.Field{zap.String("kind", string(o.Kind)), zap.String("verdict", string(o.Verdict)),
		zap.String("bucket", o.Object.Bucket), zap.String("key", o.Object.Key), zap.String("reason", o.Reason)}
	if o.Digest.Key != "" {
		fields = append(fields, zap.String("digest", o.Digest.String()))
	}
	c.logger.Warn("CloudTrail integrity check failed", fields...)
}
