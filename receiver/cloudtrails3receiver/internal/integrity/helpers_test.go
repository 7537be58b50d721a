// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package integrity

import (
	"bytes"
	"compress/gzip"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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

// makeDigest writes and signs a digest exactly as CloudTrail does, with the signing string spelled out here
// independently of SigningString (the CLI's _create_string_to_sign: end time, bucket/key, hex SHA-256 of the
// uncompressed body, previous signature or "null", joined by "\n").
func makeDigest(t testing.TB, trail string, start time.Time, logs []logObject, prev *signedDigest) signedDigest {
	end := start.Add(time.Hour)
	key := fmt.Sprintf("AWSLogs/%s/CloudTrail-Digest/%s/%s/%s_CloudTrail-Digest_%s_%s_%s_%s.json.gz", testAccount, testRegion,
		end.Format("2006/01/02"), testAccount, testRegion, trail, testRegion, end.Format("20060102T150405Z"))
	files := []map[string]any{}
	for _, l := range logs {
		files = append(files, map[string]any{"s3Bucket": l.ref.Bucket, "s3Object": l.ref.Key, "hashValue": l.sha256,
			"hashAlgorithm": "SHA-256", "newestEventTime": l.at.Format(time.RFC3339), "oldestEventTime": l.at.Format(time.RFC3339)})
	}
	d := map[string]any{
		"awsAccountId": testAccount, "digestStartTime": start.Format(time.RFC3339), "digestEndTime": end.Format(time.RFC3339),
		"digestS3Bucket": testBucket, "digestS3Object": key, "digestPublicKeyFingerprint": Fingerprint(&signingKey(t).PublicKey),
		"digestSignatureAlgorithm": "SHA256withRSA", "newestEventTime": nil, "oldestEventTime": nil,
		"previousDigestS3Bucket": nil, "previousDigestS3Object": nil, "previousDigestHashValue": nil,
		"previousDigestHashAlgorithm": nil, "previousDigestSignature": nil, "logFiles": files,
	}
	prevSig := "null"
	if prev != nil {
		d["previousDigestS3Bucket"], d["previousDigestS3Object"] = prev.ref.Bucket, prev.ref.Key
		d["previousDigestHashValue"], d["previousDigestHashAlgorithm"] = prev.sha256, "SHA-256"
		d["previousDigestSignature"] = prev.signature
		prevSig = prev.signature
	}
	raw, err := json.Marshal(d)
	require.NoError(t, err)
	sum := sha256.Sum256(raw)
	toSign := end.Format(time.RFC3339) + "\n" + testBucket + "/" + key + "\n" + hex.EncodeToString(sum[:]) + "\n" + prevSig
	h := sha256.Sum256([]byte(toSign))
	sig, err := rsa.SignPKCS1v15(rand.Reader, signingKey(t), crypto.SHA256, h[:])
	require.NoError(t, err)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err = zw.Write(raw)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return signedDigest{ref: ObjectRef{Bucket: testBucket, Key: key}, body: gz.Bytes(), signature: hex.EncodeToString(sig),
		sha256: hex.EncodeToString(sum[:])}
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
