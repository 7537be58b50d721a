// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package integrity

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scenario is three hours of a trail: two log files per hour and a chain of three signed digests listing them.
type scenario struct {
	logs    [][]logObject // per hour
	digests []signedDigest
}

func newScenario(t *testing.T) scenario {
	var s scenario
	var prev *signedDigest
	for h := range 3 {
		start := genStart.Add(time.Duration(h)*time.Hour + 90*time.Second)
		logs := []logObject{makeLog(int64(10*h+1), start.Add(10*time.Minute)), makeLog(int64(10*h+2), start.Add(40*time.Minute))}
		d := makeDigest(t, "my-trail", start, logs, prev)
		s.logs = append(s.logs, logs)
		s.digests = append(s.digests, d)
		prev = &s.digests[len(s.digests)-1]
	}
	return s
}

// feed observes the given log files (hashing them like the receiver would) and then the digests, returning every
// outcome including those Advance reports once MissingAfter passed.
func feed(t *testing.T, tr *Tracker, logs []logObject, digests []signedDigest) []Outcome {
	now := genStart.Add(4 * time.Hour)
	var out []Outcome
	for _, l := range logs {
		out = append(out, tr.ObserveLogFile(l.ref, hashLog(t, l), l.at, now)...)
	}
	for _, sd := range digests {
		d, err := ParseDigest(sd.body)
		require.NoError(t, err)
		out = append(out, tr.ObserveDigest(context.Background(), d, sd.ref, sd.signature, SignatureAlgorithm, now)...)
	}
	return append(out, tr.Advance(now.Add(time.Hour))...)
}

func allLogs(s scenario) []logObject {
	var all []logObject
	for _, h := range s.logs {
		all = append(all, h...)
	}
	return all
}

func assertAllValid(t *testing.T, got map[string]Verdict, s scenario, except ...ObjectRef) {
	skip := map[ObjectRef]bool{}
	for _, e := range except {
		skip[e] = true
	}
	for _, l := range allLogs(s) {
		if !skip[l.ref] {
			assert.Equal(t, VerdictValid, got["log_file:"+l.ref.Key], l.ref.Key)
		}
	}
	for _, d := range s.digests {
		if !skip[d.ref] {
			assert.Equal(t, VerdictValid, got["digest:"+d.ref.Key], d.ref.Key)
		}
	}
}

func TestValidChain(t *testing.T) {
	s := newScenario(t)
	tr := NewTracker(TrackerSettings{Keys: testKeys(t)})
	out := feed(t, tr, allLogs(s), s.digests)
	assert.Len(t, out, 9, "3 digests and 6 log files, each judged once: %+v", out)
	assertAllValid(t, verdicts(out), s)
	for _, o := range out {
		assert.Empty(t, o.Reason)
	}
	read, listed := tr.Pending()
	assert.Zero(t, read+listed, "everything judged is forgotten")
}

func TestLogFilesReadAfterTheirDigest(t *testing.T) {
	s := newScenario(t)
	tr := NewTracker(TrackerSettings{Keys: testKeys(t)})
	now := genStart.Add(4 * time.Hour)
	var out []Outcome
	for _, sd := range s.digests {
		d, err := ParseDigest(sd.body)
		require.NoError(t, err)
		out = append(out, tr.ObserveDigest(context.Background(), d, sd.ref, sd.signature, SignatureAlgorithm, now)...)
	}
	for _, l := range allLogs(s) {
		out = append(out, tr.ObserveLogFile(l.ref, l.sha256, l.at, now)...)
	}
	out = append(out, tr.Advance(now.Add(2*time.Hour))...)
	assert.Len(t, out, 9)
	assertAllValid(t, verdicts(out), s)
}

func TestModifiedLogFile(t *testing.T) {
	s := newScenario(t)
	victim := s.logs[1][0]
	logs := allLogs(s)
	logs[2].gz = makeLog(99, victim.at).gz // same key, other content
	tr := NewTracker(TrackerSettings{Keys: testKeys(t)})
	out := feed(t, tr, logs, s.digests)
	got := verdicts(out)
	assert.Equal(t, VerdictModified, got["log_file:"+victim.ref.Key])
	for _, o := range out {
		if o.Object == victim.ref {
			assert.Equal(t, victim.sha256, o.ExpectedSHA256)
			assert.NotEqual(t, o.ExpectedSHA256, o.ActualSHA256)
			assert.Equal(t, s.digests[1].ref, o.Digest)
			assert.Contains(t, o.Reason, "SHA-256")
		}
	}
	assertAllValid(t, got, s, victim.ref)
}

func TestDeletedLogFile(t *testing.T) {
	s := newScenario(t)
	victim := s.logs[0][1]
	logs := allLogs(s)
	logs = append(logs[:1], logs[2:]...)
	tr := NewTracker(TrackerSettings{Keys: testKeys(t), MissingAfter: 20 * time.Minute})

	// Not missing before MissingAfter: the receiver may still read it.
	now := genStart.Add(4 * time.Hour)
	for _, sd := range s.digests {
		d, err := ParseDigest(sd.body)
		require.NoError(t, err)
		tr.ObserveDigest(context.Background(), d, sd.ref, sd.signature, SignatureAlgorithm, now)
	}
	assert.Empty(t, tr.Advance(now.Add(10*time.Minute)))

	out := feed(t, tr, logs, nil)
	got := verdicts(out)
	assert.Equal(t, VerdictMissing, got["log_file:"+victim.ref.Key])
	assert.Len(t, out, 6, "5 valid, 1 missing")
	for _, l := range logs {
		assert.Equal(t, VerdictValid, got["log_file:"+l.ref.Key])
	}
}

func TestUnlistedLogFile(t *testing.T) {
	s := newScenario(t)
	extra := makeLog(77, s.logs[1][0].at.Add(5*time.Minute)) // delivered during hour 2, listed by no digest
	late := makeLog(78, genStart.Add(3*time.Hour+30*time.Minute))
	tr := NewTracker(TrackerSettings{Keys: testKeys(t)})
	out := feed(t, tr, append(allLogs(s), extra, late), s.digests)
	got := verdicts(out)
	assert.Equal(t, VerdictUnlisted, got["log_file:"+extra.ref.Key])
	_, judged := got["log_file:"+late.ref.Key]
	assert.False(t, judged, "a file whose digest period has not closed is not unlisted yet")
	assertAllValid(t, got, s)

	// Its period closes with the next digest.
	next := makeDigest(t, "my-trail", s.digests[2].endTime(t), nil, &s.digests[2])
	out = feed(t, tr, nil, []signedDigest{next})
	assert.Equal(t, VerdictUnlisted, verdicts(out)["log_file:"+late.ref.Key])
}

func TestForgedDigestSignature(t *testing.T) {
	s := newScenario(t)
	forged := s.digests[1]
	sig := []byte(forged.signature)
	sig[0] ^= 1
	s.digests[1].signature = string(sig)
	tr := NewTracker(TrackerSettings{Keys: testKeys(t)})
	out := feed(t, tr, allLogs(s), s.digests)
	got := verdicts(out)
	assert.Equal(t, VerdictBadSignature, got["digest:"+forged.ref.Key])
	// The log files it lists are not trusted from it: no verified digest lists them.
	for _, l := range s.logs[1] {
		assert.Equal(t, VerdictUnlisted, got["log_file:"+l.ref.Key])
	}
	// Its neighbours still verify, and nothing else is flagged.
	assert.Equal(t, VerdictValid, got["digest:"+s.digests[0].ref.Key])
	assert.Equal(t, VerdictValid, got["digest:"+s.digests[2].ref.Key])
	for _, h := range []int{0, 2} {
		for _, l := range s.logs[h] {
			assert.Equal(t, VerdictValid, got["log_file:"+l.ref.Key])
		}
	}
}

func TestTamperedDigestBody(t *testing.T) {
	s := newScenario(t)
	// Rewrite digest 2 with a different hash for one file but keep the original signature: the body no longer
	// matches what was signed.
	logs := append([]logObject(nil), s.logs[1]...)
	logs[0].sha256 = makeLog(99, logs[0].at).sha256
	tampered := makeDigest(t, "my-trail", genStart.Add(time.Hour+90*time.Second), logs, &s.digests[0])
	tampered.signature = s.digests[1].signature
	s.digests[1] = tampered
	tr := NewTracker(TrackerSettings{Keys: testKeys(t)})
	got := verdicts(feed(t, tr, allLogs(s), s.digests))
	assert.Equal(t, VerdictBadSignature, got["digest:"+tampered.ref.Key])
	// Digest 3 still links to digest 2's real signature, which we cannot trust from a bad digest: not flagged.
	assert.Equal(t, VerdictValid, got["digest:"+s.digests[2].ref.Key])
}

func TestBrokenChainMissingMiddleDigest(t *testing.T) {
	s := newScenario(t)
	tr := NewTracker(TrackerSettings{Keys: testKeys(t)})
	out := feed(t, tr, allLogs(s), []signedDigest{s.digests[0], s.digests[2]})
	got := verdicts(out)
	assert.Equal(t, VerdictMissing, got["digest:"+s.digests[1].ref.Key], "the absent digest is reported by its key")
	assert.Equal(t, VerdictValid, got["digest:"+s.digests[0].ref.Key])
	assert.Equal(t, VerdictValid, got["digest:"+s.digests[2].ref.Key])
	for _, l := range s.logs[1] {
		assert.Equal(t, VerdictUnlisted, got["log_file:"+l.ref.Key], "no digest covers the gap")
	}
	for _, h := range []int{0, 2} {
		for _, l := range s.logs[h] {
			assert.Equal(t, VerdictValid, got["log_file:"+l.ref.Key])
		}
	}
}

func TestChainLinkMismatch(t *testing.T) {
	s := newScenario(t)
	// Digest 3 is validly signed but names a previous signature that is not digest 2's.
	wrongPrev := s.digests[1]
	wrongPrev.signature = s.digests[0].signature
	s.digests[2] = makeDigest(t, "my-trail", genStart.Add(2*time.Hour+90*time.Second), s.logs[2], &wrongPrev)
	tr := NewTracker(TrackerSettings{Keys: testKeys(t)})
	out := feed(t, tr, allLogs(s), s.digests)
	got := verdicts(out)
	assert.Equal(t, VerdictChainBroken, got["digest:"+s.digests[2].ref.Key])
	for _, l := range s.logs[2] {
		assert.Equal(t, VerdictValid, got["log_file:"+l.ref.Key], "a broken link does not make the listed hashes wrong")
	}
}

func TestTimeGapInChain(t *testing.T) {
	s := newScenario(t)
	// Digest 3 links to digest 2 but starts 10 minutes after digest 2 ended.
	s.digests[2] = makeDigest(t, "my-trail", genStart.Add(2*time.Hour+11*time.Minute+30*time.Second), s.logs[2], &s.digests[1])
	tr := NewTracker(TrackerSettings{Keys: testKeys(t)})
	out := feed(t, tr, allLogs(s), s.digests)
	var gaps []Outcome
	for _, o := range out {
		if o.Kind == KindDigest && o.Verdict == VerdictMissing {
			gaps = append(gaps, o)
		}
	}
	require.Len(t, gaps, 1)
	assert.Contains(t, gaps[0].Reason, "gap")
}

func TestDigestChecksBeforeSignature(t *testing.T) {
	s := newScenario(t)
	d, err := ParseDigest(s.digests[0].body)
	require.NoError(t, err)
	ctx := context.Background()
	now := genStart.Add(4 * time.Hour)
	for name, tc := range map[string]struct {
		where     ObjectRef
		sig, algo string
		keys      KeySource
		reason    string
	}{
		"moved":       {ObjectRef{Bucket: "other", Key: d.DigestS3Object}, s.digests[0].signature, SignatureAlgorithm, testKeys(t), "moved"},
		"no metadata": {d.Ref(), "", "", testKeys(t), "x-amz-meta-signature"},
		"other algo":  {d.Ref(), s.digests[0].signature, "SHA1withRSA", testKeys(t), "unsupported"},
		"unknown key": {d.Ref(), s.digests[0].signature, SignatureAlgorithm, NewKeySet(), "public key not found"},
		"garbage sig": {d.Ref(), "zz", SignatureAlgorithm, testKeys(t), "not hex"},
	} {
		t.Run(name, func(t *testing.T) {
			out := NewTracker(TrackerSettings{Keys: tc.keys}).ObserveDigest(ctx, d, tc.where, tc.sig, tc.algo, now)
			require.NotEmpty(t, out)
			assert.Equal(t, VerdictBadSignature, out[0].Verdict)
			assert.Contains(t, out[0].Reason, tc.reason)
		})
	}
}

func TestSinceAndBoundedState(t *testing.T) {
	s := newScenario(t)
	// Started after hour 1: its digest and files are not judged, the chain starts at digest 2 without complaint.
	tr := NewTracker(TrackerSettings{Keys: testKeys(t), Since: genStart.Add(time.Hour + 2*time.Minute)})
	out := feed(t, tr, allLogs(s), s.digests)
	got := verdicts(out)
	assert.Len(t, out, 6)
	for _, l := range s.logs[0] {
		_, judged := got["log_file:"+l.ref.Key]
		assert.False(t, judged)
	}
	assert.Equal(t, VerdictValid, got["digest:"+s.digests[1].ref.Key])

	// A trail without digests: read files are forgotten after PendingTTL, never flagged.
	tr = NewTracker(TrackerSettings{Keys: testKeys(t), PendingTTL: time.Hour})
	now := genStart.Add(4 * time.Hour)
	for _, l := range allLogs(s) {
		tr.ObserveLogFile(l.ref, l.sha256, l.at, now)
	}
	assert.Empty(t, tr.Advance(now.Add(30*time.Minute)))
	read, _ := tr.Pending()
	assert.Equal(t, 6, read)
	assert.Empty(t, tr.Advance(now.Add(time.Hour)))
	read, _ = tr.Pending()
	assert.Zero(t, read)
	assert.Equal(t, int64(6), tr.Forgotten())
}

func TestTwoTrailsInOneSubtree(t *testing.T) {
	s := newScenario(t)
	// A second trail writes into the same subtree; its log file is listed by its own digest only, which sorts after
	// all of my-trail's digests of the day.
	other := makeLog(55, s.logs[0][0].at.Add(time.Minute))
	otherDigest := makeDigest(t, "other-trail", genStart.Add(90*time.Second), []logObject{other}, nil)
	tr := NewTracker(TrackerSettings{Keys: testKeys(t)})
	now := genStart.Add(4 * time.Hour)
	for _, l := range append(allLogs(s), other) {
		tr.ObserveLogFile(l.ref, l.sha256, l.at, now)
	}
	var out []Outcome
	for _, sd := range append(s.digests, otherDigest) {
		d, err := ParseDigest(sd.body)
		require.NoError(t, err)
		out = append(out, tr.ObserveDigest(context.Background(), d, sd.ref, sd.signature, SignatureAlgorithm, now.Add(time.Minute))...)
	}
	out = append(out, tr.Advance(now.Add(2*time.Hour))...)
	got := verdicts(out)
	assert.Equal(t, VerdictValid, got["log_file:"+other.ref.Key])
	assert.Equal(t, VerdictValid, got["digest:"+otherDigest.ref.Key])
	assertAllValid(t, got, s)
	assert.Len(t, out, 11)
}

func (sd signedDigest) endTime(t *testing.T) time.Time {
	d, err := ParseDigest(sd.body)
	require.NoError(t, err)
	return d.EndTime
}
