// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"
)

// hashOf decodes object with the decoder's Tap writing to the hook observe returns, as readObject does, and returns
// the SHA-256 the check would hand to the Tracker.
func hashOf(t *testing.T, opts cloudtrail.Options, object []byte) (string, cloudtrail.Stats) {
	t.Helper()
	key := trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA")
	c := newIntegrityChecker(createDefaultConfig().(*Config), integrity.NewKeySet(), nil, base, nil, zap.NewNop())
	hash, emit, _ := c.observe(nil, "b", key, func(plog.Logs) error { return nil })
	require.NotNil(t, hash)
	st, last, err := cloudtrail.NewDecoder(opts).DecodeHoldingLast(context.Background(), bytes.NewReader(object),
		cloudtrail.Object{Bucket: "b", Key: key}, base, &cloudtrail.Tap{Decompressed: hash}, emit)
	require.NoError(t, err)
	st.Records += int64(last.LogRecordCount())
	return hash.(*integrity.Hasher).Sum(), st
}

// TestIntegrityHashesTheDecompressedContent: the SHA-256 handed to the Tracker is the one digests list, of the
// decompressed content, whitespace after the JSON document included, however the object is compressed.
func TestIntegrityHashesTheDecompressedContent(t *testing.T) {
	content := append(cloudtrailtest.Body(7, 3, acctA, "us-east-1", base), " \n"...)
	sum := sha256.Sum256(content)
	twoMembers := append(gzipBytes(t, content[:10]), gzipBytes(t, content[10:])...)
	for name, body := range map[string][]byte{
		"gzip":            gzipBytes(t, content),
		"plain JSON":      content,
		"multi-member gz": twoMembers,
	} {
		t.Run(name, func(t *testing.T) {
			got, _ := hashOf(t, cloudtrail.Options{}, body)
			assert.Equal(t, hex.EncodeToString(sum[:]), got)
		})
	}
}

// TestIntegrityObservesOnlyTheFilesDigestsCover: without a checker, and for a file delivered before the checker's
// start, observe adds nothing to the read path.
func TestIntegrityObservesOnlyTheFilesDigestsCover(t *testing.T) {
	emitted := 0
	emit := func(plog.Logs) error { emitted++; return nil }
	var off *integrityChecker
	hash, held, finish := off.observe(nil, "b", trailKey("", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA"), emit)
	assert.Nil(t, hash)
	require.NoError(t, held(plog.NewLogs()))
	assert.Equal(t, 1, emitted, "emit is not wrapped")
	require.NoError(t, finish(context.Background(), nil))

	c := newIntegrityChecker(createDefaultConfig().(*Config), integrity.NewKeySet(), nil, base, nil, zap.NewNop())
	hash, _, _ = c.observe(nil, "b", trailKey("", "", acctA, "us-east-1", base.Add(-time.Hour), "AAAAAAAAAAAAAAAA"), emit)
	assert.Nil(t, hash, "delivered before the checker's start")
	hash, _, _ = c.observe(nil, "b", "AWSLogs/"+acctA+"/elsewhere.json.gz", emit)
	assert.Nil(t, hash, "not a trail log file")
}

func TestDigestKeyTimes(t *testing.T) {
	prefix := "AWSLogs/111111111111/CloudTrail-Digest/us-east-1/"
	day, end, ok := digestKeyTimes(prefix, prefix+"2026/03/01/111111111111_CloudTrail-Digest_us-east-1_main_us-east-1_20260301T110512Z.json.gz")
	require.True(t, ok)
	assert.Equal(t, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), day)
	assert.Equal(t, time.Date(2026, 3, 1, 11, 5, 12, 0, time.UTC), end)
	_, _, ok = digestKeyTimes(prefix, prefix+"2026/03/01/111111111111_CloudTrail-Digest_us-east-1_main_us-east-1_backfill.json.gz")
	assert.False(t, ok)
	_, _, ok = digestKeyTimes(prefix, prefix+"README")
	assert.False(t, ok)
}

// TestIntegrityKeepsErrorHandlingAndJudgesUnsignedDigests: with integrity on, corrupt and oversized objects are
// still classified as without it (the decoder decompresses and classifies; integrity only watches), and a digest without
// signature metadata is bad_signature, logged and counted; with alert: log no outcome record enters the pipeline.
func TestIntegrityKeepsErrorHandlingAndJudgesUnsignedDigests(t *testing.T) {
	fake := newMemS3()
	const bucket = "integrity-bucket"
	want := putTrailFile(t, fake, bucket, "", "", acctA, "us-east-1", base, "AAAAAAAAAAAAAAAA", 2)
	putBadObjects(t, fake, bucket) // classified by the counters below
	plain := trailKey("", "", acctA, "us-east-1", base.Add(4*time.Minute), "EEEEEEEEEEEEEEEE")
	fake.put(bucket, plain, []byte(`{"Records":[{"eventID":"plain-0","eventTime":"2026-03-01T10:03:00Z","awsRegion":"us-east-1"}]}`))
	want = append(want, "plain-0")
	digestKey := "AWSLogs/" + acctA + "/CloudTrail-Digest/us-east-1/2026/03/01/" + acctA + "_CloudTrail-Digest_us-east-1_main_us-east-1_20260301T110000Z.json.gz"
	fake.put(bucket, digestKey, gzipBytes(t, []byte(`{"awsAccountId":"`+acctA+`","digestStartTime":"2026-03-01T10:00:00Z",`+
		`"digestEndTime":"2026-03-01T11:00:00Z","digestS3Bucket":"`+bucket+`","digestS3Object":"`+digestKey+`",`+
		`"digestPublicKeyFingerprint":"00","digestSignatureAlgorithm":"SHA256withRSA","previousDigestSignature":null,"logFiles":[]}`)))

	cfg := testConfig(bucket)
	cfg.StartTime = base
	cfg.MaxObjectBytes = 4096
	cfg.Integrity = IntegrityConfig{Enabled: true, PublicKeys: []string{"testdata/cloudtrail-public-key.pem"}, Alert: alertLog, MissingAfter: time.Hour}
	require.NoError(t, validateFastPolling(cfg))
	sink := new(consumertest.LogsSink)
	tel := newTestTelemetry(t)
	r := testReceiver(t, cfg, sink, tel, fake)
	startReceiver(t, r, nil)
	waitForIDs(t, sink, len(want))
	require.Eventually(t, func() bool {
		return counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonCorrupt) == 2 &&
			counterValue(t, tel, "otelcol_receiver_cloudtrails3_objects_failed", "reason", reasonTooLarge) == 1 &&
			counterValue(t, tel, "otelcol_receiver_cloudtrails3_integrity_outcomes", "verdict", "bad_signature") == 1
	}, 10*time.Second, 10*time.Millisecond)
	settle()
	stopReceiver(t, r)
	assert.Equal(t, 1, fake.getCount(digestKey), "a judged digest is not read again")
	assert.Equal(t, int64(1), counterValue(t, tel, "otelcol_receiver_cloudtrails3_integrity_outcomes"))
	got := eventIDs(sink)
	for _, id := range want {
		assert.Contains(t, got, id)
	}
	for _, ld := range sink.AllLogs() {
		lr := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0)
		_, isOutcome := lr.Attributes().Get(attrLogzioType)
		assert.False(t, isOutcome, "alert: log sends no outcome records")
	}
}

// TestEventSelectionStillHashesTheWholeFile: records dropped by event_selection pass through the decoder's Tap like
// the others, so the file's digest hash is the same with and without selection.
func TestEventSelectionStillHashesTheWholeFile(t *testing.T) {
	content := cloudtrailtest.Body(8, 200, acctA, "us-east-1", base)
	sum := sha256.Sum256(content)
	sel, err := cloudtrail.NewSelector(cloudtrail.SelectionConfig{Exclude: []cloudtrail.EventRule{{EventName: []string{"*"}, ReadOnly: new(bool)}, {ReadOnly: boolPtr(true)}}})
	require.NoError(t, err)
	got, st := hashOf(t, cloudtrail.Options{Selection: sel}, gzipBytes(t, content))
	assert.Positive(t, st.DroppedRecords)
	assert.Equal(t, hex.EncodeToString(sum[:]), got, "dropped records are hashed too")
}

func boolPtr(b bool) *bool { return &b }
