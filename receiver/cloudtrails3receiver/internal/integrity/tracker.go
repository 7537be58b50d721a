// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package integrity // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
	"time"
)

// TrackerSettings tune one Tracker. Zero durations take the defaults below.
type TrackerSettings struct {
	// Keys finds the public key each digest names. Required.
	Keys KeySource
	// Since: log files delivered (file-name time) and digests ending before it are not judged — the receiver
	// never read them (its start time).
	Since time.Time
	// MissingAfter is how long after a digest is observed a log file it lists may still be read before it is
	// reported missing (polling look-back, SQS delays). Default 30m.
	MissingAfter time.Duration
	// UnlistedSlack is added to a log file's file-name time (minute precision) before asking whether the digest
	// period covering it has closed. Default 2m.
	UnlistedSlack time.Duration
	// ChainIdle: a chain (trail) with no digest for this long, relative to the newest digest, is considered stopped
	// and no longer holds back unlisted verdicts; it is forgotten after 8 times as long. Default 3h.
	ChainIdle time.Duration
	// PendingTTL: a log file that no digest chain can judge (integrity validation off on the trail) is forgotten
	// this long after it was read, counted by Forgotten. Default 6h.
	PendingTTL time.Duration
}

func (s *TrackerSettings) applyDefaults() {
	if s.MissingAfter <= 0 {
		s.MissingAfter = 30 * time.Minute
	}
	if s.UnlistedSlack <= 0 {
		s.UnlistedSlack = 2 * time.Minute
	}
	if s.ChainIdle <= 0 {
		s.ChainIdle = 3 * time.Hour
	}
	if s.PendingTTL <= 0 {
		s.PendingTTL = 6 * time.Hour
	}
}

// Tracker is the bookkeeping of one account/region: the log files read and not yet judged, the log files verified
// digests list and that were not read yet, and the last digest of each chain. Feed it log files (ObserveLogFile)
// and digests in key order (ObserveDigest), and call Advance periodically; each call returns the verdicts it
// reached. Every object is judged once and then forgotten, so the state is bounded by MissingAfter, PendingTTL and
// the number of trails. It is safe for concurrent use.
type Tracker struct {
	settings TrackerSettings

	mu        sync.Mutex
	seen      map[ObjectRef]seenFile
	listed    map[ObjectRef]listedFile
	chains    map[string]*chainState
	forgotten int64
}

type seenFile struct {
	sha256      string
	deliveredAt time.Time
	observedAt  time.Time
	// coveredAt is when the digest periods of every active chain first closed over deliveredAt; the file is
	// unlisted if no digest lists it within MissingAfter of that (digests of other trails in the same subtree may
	// still be read: keys sort by trail name before time within a day folder).
	coveredAt time.Time
}

type listedFile struct {
	sha256   string
	digest   ObjectRef
	deadline time.Time
}

// chainState is the last digest read in one chain (trail), what the next digest must link to.
type chainState struct {
	last      ObjectRef
	endTime   time.Time
	signature string
	sha256    string
	authentic bool
}

// NewTracker returns an empty Tracker.
func NewTracker(settings TrackerSettings) *Tracker {
	settings.applyDefaults()
	return &Tracker{
		settings: settings,
		seen:     map[ObjectRef]seenFile{},
		listed:   map[ObjectRef]listedFile{},
		chains:   map[string]*chainState{},
	}
}

// ObserveLogFile records a log file the receiver read completely, with the hex SHA-256 of its decompressed content
// (Hasher.Sum) and its delivery time (the time in its file name). If a verified digest already listed it, the
// verdict is returned at once.
func (t *Tracker) ObserveLogFile(ref ObjectRef, sha256Hex string, deliveredAt, now time.Time) []Outcome {
	if deliveredAt.Before(t.settings.Since) {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if l, ok := t.listed[ref]; ok {
		delete(t.listed, ref)
		return []Outcome{compareHash(ref, l.digest, l.sha256, sha256Hex)}
	}
	t.seen[ref] = seenFile{sha256: strings.ToLower(sha256Hex), deliveredAt: deliveredAt, observedAt: now}
	return nil
}

// ObserveDigest judges one digest read from `where`, with its S3 metadata signature (x-amz-meta-signature, hex) and
// algorithm (x-amz-meta-signature-algorithm), then the log files it lists that were already read. Digests of one
// chain must be observed in key (time) order. Mirrors DigestTraverser._load_and_validate_digest (location, key and
// signature checks) and _traverse_digest_chain (the links), walking forward instead of backward.
func (t *Tracker) ObserveDigest(ctx context.Context, d *Digest, where ObjectRef, signatureHex, signatureAlgorithm string, now time.Time) []Outcome {
	if !d.EndTime.After(t.settings.Since) {
		return nil
	}
	self := Outcome{Kind: KindDigest, Object: where, Verdict: VerdictValid}
	if reason := t.checkSignature(ctx, d, where, signatureHex, signatureAlgorithm); reason != "" {
		self.Verdict, self.Reason = VerdictBadSignature, reason
	}
	authentic := self.Verdict == VerdictValid

	t.mu.Lock()
	defer t.mu.Unlock()
	id := ChainID(where.Key)
	chain := t.chains[id]
	var gaps []Outcome
	if chain != nil {
		var reason string
		reason, gaps = linkTo(chain, d, where)
		if reason != "" && authentic {
			self.Verdict, self.Reason = VerdictChainBroken, reason
		}
	}
	if chain == nil || d.EndTime.After(chain.endTime) {
		t.chains[id] = &chainState{last: where, endTime: d.EndTime, signature: strings.ToLower(strings.TrimSpace(signatureHex)),
			sha256: d.ContentSHA256, authentic: authentic}
	}

	out := append([]Outcome{self}, gaps...)
	// Log files are trusted only from a digest whose signature verifies (the CLI skips the log files of invalid
	// digests); a broken link does not make the listed hashes less authentic.
	if self.Verdict != VerdictBadSignature {
		out = append(out, t.matchListed(d, where, now)...)
	}
	t.markCovered(now)
	t.pruneChains()
	return out
}

// checkSignature returns why the digest's own signature cannot be trusted, or "" when it verifies.
func (t *Tracker) checkSignature(ctx context.Context, d *Digest, where ObjectRef, signatureHex, signatureAlgorithm string) string {
	// DigestTraverser._load_and_validate_digest: the digest must be where it says it was written.
	if d.Ref() != where {
		return fmt.Sprintf("the digest says it was written to s3://%s but was read from s3://%s: it has been moved or copied", d.Ref(), where)
	}
	// DigestProvider.fetch_digest: both metadata entries are required.
	if signatureHex == "" || signatureAlgorithm == "" {
		return "the digest object has no x-amz-meta-signature or x-amz-meta-signature-algorithm metadata"
	}
	if !strings.EqualFold(signatureAlgorithm, SignatureAlgorithm) {
		return fmt.Sprintf("unsupported signature algorithm %q; CloudTrail signs with %s", signatureAlgorithm, SignatureAlgorithm)
	}
	pub, err := t.settings.Keys.Key(ctx, d.DigestPublicKeyFingerprint, d.EndTime)
	if err != nil {
		return "public key not found: " + err.Error()
	}
	if err := VerifySignature(pub, SigningString(d, d.ContentSHA256, d.PreviousSignature()), signatureHex); err != nil {
		return err.Error()
	}
	return ""
}

// linkTo checks d against the last digest read in its chain. It returns why the link is broken ("" when it holds)
// and the missing-digest outcomes of a gap.
func linkTo(chain *chainState, d *Digest, where ObjectRef) (string, []Outcome) {
	prev, ok := d.PreviousRef()
	if !ok {
		// A starting digest after a stop of logging: the CLI reports this as an informational gap, not an error.
		return "", nil
	}
	if prev != chain.last {
		if chain.endTime.Equal(d.StartTime) {
			return fmt.Sprintf("names s3://%s as previous digest but the digest before it is s3://%s", prev, chain.last), nil
		}
		return "", []Outcome{{Kind: KindDigest, Object: prev, Verdict: VerdictMissing,
			Reason: fmt.Sprintf("named as previous digest by s3://%s but never found (last digest read: s3://%s, ending %s)",
				where, chain.last, chain.endTime.Format(time.RFC3339))}}
	}
	var gaps []Outcome
	if !chain.endTime.Equal(d.StartTime) {
		gaps = append(gaps, Outcome{Kind: KindDigest, Object: where, Verdict: VerdictMissing,
			Reason: fmt.Sprintf("gap in the digest chain: the previous digest ends at %s but this one starts at %s",
				chain.endTime.Format(time.RFC3339), d.StartTime.Format(time.RFC3339))})
	}
	if !chain.authentic {
		return "", gaps // nothing trustworthy to compare with
	}
	if !strings.EqualFold(d.PreviousSignature(), chain.signature) {
		return fmt.Sprintf("previousDigestSignature differs from the signature of s3://%s", prev), gaps
	}
	if d.PreviousDigestHashAlgorithm != nil && !strings.EqualFold(*d.PreviousDigestHashAlgorithm, "SHA-256") {
		return fmt.Sprintf("unsupported previousDigestHashAlgorithm %q", *d.PreviousDigestHashAlgorithm), gaps
	}
	if d.PreviousDigestHashValue == nil || !strings.EqualFold(*d.PreviousDigestHashValue, chain.sha256) {
		return fmt.Sprintf("previousDigestHashValue differs from the SHA-256 of s3://%s", prev), gaps
	}
	return "", gaps
}

// matchListed judges the listed log files already read and remembers the others until MissingAfter.
func (t *Tracker) matchListed(d *Digest, where ObjectRef, now time.Time) []Outcome {
	var out []Outcome
	for _, lf := range d.LogFiles {
		ref := lf.Ref()
		if at, ok := LogFileTime(ref.Key); ok && at.Before(t.settings.Since) {
			continue
		}
		if lf.HashAlgorithm != "" && !strings.EqualFold(lf.HashAlgorithm, "SHA-256") {
			out = append(out, Outcome{Kind: KindLogFile, Object: ref, Verdict: VerdictModified, Digest: where,
				Reason: fmt.Sprintf("unsupported hashAlgorithm %q; CloudTrail uses SHA-256", lf.HashAlgorithm)})
			delete(t.seen, ref)
			continue
		}
		if s, ok := t.seen[ref]; ok {
			delete(t.seen, ref)
			out = append(out, compareHash(ref, where, lf.HashValue, s.sha256))
			continue
		}
		t.listed[ref] = listedFile{sha256: strings.ToLower(lf.HashValue), digest: where, deadline: now.Add(t.settings.MissingAfter)}
	}
	return out
}

func compareHash(ref, digest ObjectRef, expected, actual string) Outcome {
	o := Outcome{Kind: KindLogFile, Object: ref, Verdict: VerdictValid, Digest: digest,
		ExpectedSHA256: strings.ToLower(expected), ActualSHA256: strings.ToLower(actual)}
	if o.ExpectedSHA256 != o.ActualSHA256 {
		o.Verdict = VerdictModified
		o.Reason = fmt.Sprintf("SHA-256 of the decompressed content is %s but digest s3://%s lists %s", o.ActualSHA256, digest, o.ExpectedSHA256)
	}
	return o
}

// Advance reports listed log files not read within MissingAfter as missing, read log files still not listed
// MissingAfter after their digest period closed as unlisted, and forgets read log files no chain can judge after PendingTTL.
func (t *Tracker) Advance(now time.Time) []Outcome {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Outcome
	for ref, l := range t.listed {
		if !now.Before(l.deadline) {
			delete(t.listed, ref)
			out = append(out, Outcome{Kind: KindLogFile, Object: ref, Verdict: VerdictMissing, Digest: l.digest,
				ExpectedSHA256: l.sha256,
				Reason:         fmt.Sprintf("listed by digest s3://%s but not read within %s: it was deleted, or could not be read", l.digest, t.settings.MissingAfter)})
		}
	}
	sortOutcomes(out)
	t.markCovered(now)
	out = append(out, t.unlisted(now)...)
	for ref, s := range t.seen {
		if !now.Before(s.observedAt.Add(t.settings.PendingTTL)) {
			delete(t.seen, ref)
			t.forgotten++
		}
	}
	return out
}

// markCovered notes, for read log files not listed yet, when every active chain's digests closed over their
// delivery time.
func (t *Tracker) markCovered(now time.Time) {
	covered, ok := t.coveredUntil()
	if !ok {
		return
	}
	for ref, s := range t.seen {
		if s.coveredAt.IsZero() && !s.deliveredAt.Add(t.settings.UnlistedSlack).After(covered) {
			s.coveredAt = now
			t.seen[ref] = s
		}
	}
}

// unlisted reports read log files still not listed MissingAfter after their digest period closed.
func (t *Tracker) unlisted(now time.Time) []Outcome {
	var out []Outcome
	for ref, s := range t.seen {
		if !s.coveredAt.IsZero() && !now.Before(s.coveredAt.Add(t.settings.MissingAfter)) {
			delete(t.seen, ref)
			out = append(out, Outcome{Kind: KindLogFile, Object: ref, Verdict: VerdictUnlisted, ActualSHA256: s.sha256,
				Reason: fmt.Sprintf("delivered at %s but no verified digest lists it, although the digests covering that time were read",
					s.deliveredAt.Format(time.RFC3339))})
		}
	}
	sortOutcomes(out)
	return out
}

// coveredUntil is the end of the digest period every active chain has closed.
func (t *Tracker) coveredUntil() (time.Time, bool) {
	var newest time.Time
	for _, c := range t.chains {
		if c.endTime.After(newest) {
			newest = c.endTime
		}
	}
	var covered time.Time
	found := false
	for _, c := range t.chains {
		if c.endTime.Before(newest.Add(-t.settings.ChainIdle)) {
			continue // stopped trail
		}
		if !found || c.endTime.Before(covered) {
			covered, found = c.endTime, true
		}
	}
	return covered, found
}

func (t *Tracker) pruneChains() {
	covered, ok := t.coveredUntil()
	if !ok {
		return
	}
	for id, c := range t.chains {
		if c.endTime.Before(covered.Add(-8 * t.settings.ChainIdle)) {
			delete(t.chains, id)
		}
	}
}

// Pending returns how many read log files wait for a digest and how many listed log files wait to be read.
func (t *Tracker) Pending() (read, listed int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.seen), len(t.listed)
}

// Forgotten is the number of read log files dropped after PendingTTL because no digest chain could judge them.
func (t *Tracker) Forgotten() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.forgotten
}

func sortOutcomes(out []Outcome) {
	sort.Slice(out, func(i, j int) bool { return out[i].Object.String() < out[j].Object.String() })
}

// LogFileTime extracts the delivery time from a CloudTrail log file name
// (<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz).
func LogFileTime(key string) (time.Time, bool) {
	for _, part := range strings.Split(path.Base(key), "_") {
		if len(part) == len("20060102T1504Z") && part[8] == 'T' && part[13] == 'Z' {
			if at, err := time.Parse("20060102T1504Z", part); err == nil {
				return at, true
			}
		}
	}
	return time.Time{}, false
}
