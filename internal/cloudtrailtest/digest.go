// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrailtest // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"

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
	"time"
)

// DigestLog is one entry of a digest's logFiles list: a delivered log file and the SHA-256 of its uncompressed
// content.
type DigestLog struct {
	Bucket, Key     string
	SHA256          string // hex
	NewestEventTime time.Time
	OldestEventTime time.Time
}

// PreviousDigest is the digest a new digest is chained to.
type PreviousDigest struct {
	Bucket, Key string
	SHA256      string // hex, of the previous digest's uncompressed content
	Signature   string // hex, the previous digest's x-amz-meta-signature
}

// DigestSpec describes a digest file of the period [Start, End) stored at Bucket/Key.
type DigestSpec struct {
	Account     string
	Bucket, Key string
	Start, End  time.Time
	// Fingerprint is the digestPublicKeyFingerprint the digest claims; it need not match SigningKey (a forger names
	// the real key).
	Fingerprint string
	Logs        []DigestLog
	// Previous chains the digest to the one before it; nil for the first digest of a trail (previousDigest* null).
	Previous   *PreviousDigest
	SigningKey *rsa.PrivateKey
}

// SignedDigest is a digest object as CloudTrail writes it.
type SignedDigest struct {
	Gzip      []byte // the object body
	Signature string // hex, stored as x-amz-meta-signature
	SHA256    string // hex, of the uncompressed JSON
}

// SignDigest builds the digest JSON document of spec, signs it and gzips it, the way CloudTrail does.
//
// The signature is RSA PKCS#1 v1.5 over the SHA-256 of the signing string, which is spelled out here from the AWS
// documentation and the AWS CLI's _create_string_to_sign, independently of the production SigningString in
// receiver/cloudtrails3receiver/internal/integrity (so tests of that code do not check it against itself):
//
//	digestEndTime (RFC 3339) + "\n" +
//	digestS3Bucket + "/" + digestS3Object + "\n" +
//	hex SHA-256 of the uncompressed digest + "\n" +
//	previousDigestSignature, or "null" for the first digest
func SignDigest(spec DigestSpec) (SignedDigest, error) {
	files := []map[string]any{}
	for _, l := range spec.Logs {
		files = append(files, map[string]any{"s3Bucket": l.Bucket, "s3Object": l.Key, "hashValue": l.SHA256,
			"hashAlgorithm": "SHA-256", "newestEventTime": l.NewestEventTime.Format(time.RFC3339),
			"oldestEventTime": l.OldestEventTime.Format(time.RFC3339)})
	}
	doc := map[string]any{
		"awsAccountId": spec.Account, "digestStartTime": spec.Start.Format(time.RFC3339),
		"digestEndTime": spec.End.Format(time.RFC3339), "digestS3Bucket": spec.Bucket, "digestS3Object": spec.Key,
		"digestPublicKeyFingerprint": spec.Fingerprint, "digestSignatureAlgorithm": "SHA256withRSA",
		"newestEventTime": nil, "oldestEventTime": nil,
		"previousDigestS3Bucket": nil, "previousDigestS3Object": nil, "previousDigestHashValue": nil,
		"previousDigestHashAlgorithm": nil, "previousDigestSignature": nil, "logFiles": files,
	}
	prevSignature := "null"
	if p := spec.Previous; p != nil {
		doc["previousDigestS3Bucket"], doc["previousDigestS3Object"] = p.Bucket, p.Key
		doc["previousDigestHashValue"], doc["previousDigestHashAlgorithm"] = p.SHA256, "SHA-256"
		doc["previousDigestSignature"] = p.Signature
		prevSignature = p.Signature
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return SignedDigest{}, fmt.Errorf("marshal digest: %w", err)
	}
	contentSum := sha256.Sum256(raw)
	contentHex := hex.EncodeToString(contentSum[:])
	toSign := spec.End.Format(time.RFC3339) + "\n" + spec.Bucket + "/" + spec.Key + "\n" + contentHex + "\n" + prevSignature
	h := sha256.Sum256([]byte(toSign))
	sig, err := rsa.SignPKCS1v15(rand.Reader, spec.SigningKey, crypto.SHA256, h[:])
	if err != nil {
		return SignedDigest{}, fmt.Errorf("sign digest: %w", err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(raw); err != nil {
		return SignedDigest{}, fmt.Errorf("gzip digest: %w", err)
	}
	if err := zw.Close(); err != nil {
		return SignedDigest{}, fmt.Errorf("gzip digest: %w", err)
	}
	return SignedDigest{Gzip: gz.Bytes(), Signature: hex.EncodeToString(sig), SHA256: contentHex}, nil
}
