// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package integrity

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

const (
	testBucket  = "trail-bucket"
	testAccount = "111122223333"
	testRegion  = "us-east-2"
)

var (
	testKeyOnce sync.Once
	testKey     *rsa.PrivateKey
)

// signingKey is one RSA key for the whole test binary (generating one takes a while on a busy machine).
func signingKey(t testing.TB) *rsa.PrivateKey {
	testKeyOnce.Do(func() {
		var err error
		testKey, err = rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
	})
	return testKey
}

// logObject is one generated CloudTrail log file: its gzip body as stored in S3 and the SHA-256 of its content.
type logObject struct {
	ref    ObjectRef
	at     time.Time
	gz     []byte
	sha256 string
}

func makeLog(seed int64, at time.Time) logObject {
	key := fmt.Sprintf("AWSLogs/%s/CloudTrail/%s/%s/%s_CloudTrail_%s_%s_u%04d.json.gz", testAccount, testRegion,
		at.Format("2006/01/02"), testAccount, testRegion, at.Format("20060102T1504Z"), seed)
	sum := sha256.Sum256(cloudtrailtest.Body(seed, 5, testAccount, testRegion, at))
	return logObject{ref: ObjectRef{Bucket: testBucket, Key: key}, at: at, gz: cloudtrailtest.File(seed, 5, testAccount, testRegion, at),
		sha256: hex.EncodeToString(sum[:])}
}

// signedDigest is a digest object as CloudTrail writes it: gzip body plus the signature metadata.
type signedDigest struct {
	ref       ObjectRef
	body      []byte // gzip
	signature string // x-amz-meta-signature
	sha256    string // of the uncompressed body
}

// makeDigest writes and signs a digest exactly as CloudTrail does (cloudtrailtest.SignDigest, whose signing string is
// spelled out independently of SigningString), named as CloudTrail names the digests of trail.
func makeDigest(t testing.TB, trail string, start time.Time, logs []logObject, prev *signedDigest) signedDigest {
	end := start.Add(time.Hour)
	key := fmt.Sprintf("AWSLogs/%s/CloudTrail-Digest/%s/%s/%s_CloudTrail-Digest_%s_%s_%s_%s.json.gz", testAccount, testRegion,
		end.Format("2006/01/02"), testAccount, testRegion, trail, testRegion, end.Format("20060102T150405Z"))
	spec := cloudtrailtest.DigestSpec{Account: testAccount, Bucket: testBucket, Key: key, Start: start, End: end,
		Fingerprint: Fingerprint(&signingKey(t).PublicKey), SigningKey: signingKey(t)}
	for _, l := range logs {
		spec.Logs = append(spec.Logs, cloudtrailtest.DigestLog{Bucket: l.ref.Bucket, Key: l.ref.Key, SHA256: l.sha256,
			NewestEventTime: l.at, OldestEventTime: l.at})
	}
	if prev != nil {
		spec.Previous = &cloudtrailtest.PreviousDigest{Bucket: prev.ref.Bucket, Key: prev.ref.Key, SHA256: prev.sha256,
			Signature: prev.signature}
	}
	d, err := cloudtrailtest.SignDigest(spec)
	require.NoError(t, err)
	return signedDigest{ref: ObjectRef{Bucket: testBucket, Key: key}, body: d.Gzip, signature: d.Signature, sha256: d.SHA256}
}

func testKeys(t testing.TB) *KeySet {
	keys := NewKeySet()
	keys.Add(&signingKey(t).PublicKey)
	return keys
}

// hashLog decompresses a log object through a Hasher the way the receiver's decode path would.
func hashLog(t testing.TB, l logObject) string {
	zr, err := gzip.NewReader(bytes.NewReader(l.gz))
	require.NoError(t, err)
	h := NewHasher()
	_, err = io.ReadAll(h.Reader(zr))
	require.NoError(t, err)
	return h.Sum()
}

// verdicts indexes outcomes by object key for assertions.
func verdicts(outs []Outcome) map[string]Verdict {
	m := map[string]Verdict{}
	for _, o := range outs {
		m[string(o.Kind)+":"+o.Object.Key] = o.Verdict
	}
	return m
}
