// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package integrity // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// MaxDigestBytes bounds the decompressed size of a digest file (an hour of log files is a few MB at most); larger
// bodies are refused so a hostile object cannot exhaust memory.
const MaxDigestBytes = 64 << 20

// ErrInvalidDigest is returned (wrapped) for a digest body that cannot be used: bad gzip, bad JSON, missing fields.
var ErrInvalidDigest = errors.New("invalid CloudTrail digest file")

// Digest is one CloudTrail digest file (docs/cloudtrail-in-s3.md#digest-files). Fields that CloudTrail writes as null
// are pointers.
type Digest struct {
	AWSAccountID                string    `json:"awsAccountId"`
	DigestStartTime             string    `json:"digestStartTime"`
	DigestEndTime               string    `json:"digestEndTime"`
	DigestS3Bucket              string    `json:"digestS3Bucket"`
	DigestS3Object              string    `json:"digestS3Object"`
	DigestPublicKeyFingerprint  string    `json:"digestPublicKeyFingerprint"`
	DigestSignatureAlgorithm    string    `json:"digestSignatureAlgorithm"`
	NewestEventTime             *string   `json:"newestEventTime"`
	OldestEventTime             *string   `json:"oldestEventTime"`
	PreviousDigestS3Bucket      *string   `json:"previousDigestS3Bucket"`
	PreviousDigestS3Object      *string   `json:"previousDigestS3Object"`
	PreviousDigestHashValue     *string   `json:"previousDigestHashValue"`
	PreviousDigestHashAlgorithm *string   `json:"previousDigestHashAlgorithm"`
	PreviousDigestSignature     *string   `json:"previousDigestSignature"`
	LogFiles                    []LogFile `json:"logFiles"`

	// StartTime and EndTime are DigestStartTime and DigestEndTime parsed.
	StartTime time.Time `json:"-"`
	EndTime   time.Time `json:"-"`
	// ContentSHA256 is the hex SHA-256 of the uncompressed digest body, the value the next digest carries in
	// previousDigestHashValue and the third line of the signing string.
	ContentSHA256 string `json:"-"`
}

// LogFile is one entry of a digest's logFiles.
type LogFile struct {
	S3Bucket        string `json:"s3Bucket"`
	S3Object        string `json:"s3Object"`
	HashValue       string `json:"hashValue"`
	HashAlgorithm   string `json:"hashAlgorithm"`
	NewestEventTime string `json:"newestEventTime"`
	OldestEventTime string `json:"oldestEventTime"`
}

// Ref returns the log file's location.
func (l LogFile) Ref() ObjectRef { return ObjectRef{Bucket: l.S3Bucket, Key: l.S3Object} }

// ObjectRef names an S3 object.
type ObjectRef struct {
	Bucket string
	Key    string
}

func (r ObjectRef) String() string { return r.Bucket + "/" + r.Key }

// Ref returns where the digest says it was written.
func (d *Digest) Ref() ObjectRef { return ObjectRef{Bucket: d.DigestS3Bucket, Key: d.DigestS3Object} }

// PreviousRef returns the previous digest of the chain, or false for a starting digest.
func (d *Digest) PreviousRef() (ObjectRef, bool) {
	if d.PreviousDigestS3Bucket == nil || d.PreviousDigestS3Object == nil {
		return ObjectRef{}, false
	}
	return ObjectRef{Bucket: *d.PreviousDigestS3Bucket, Key: *d.PreviousDigestS3Object}, true
}

// ParseDigest reads a digest body, gzip (as CloudTrail writes it) or plain JSON, and hashes its uncompressed content.
// It checks the fields the AWS CLI requires (DigestTraverser.required_digest_keys) and parses the two window times.
func ParseDigest(body []byte) (*Digest, error) {
	content := body
	if len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("%w: bad gzip header: %v", ErrInvalidDigest, err)
		}
		content, err = io.ReadAll(io.LimitReader(zr, MaxDigestBytes+1))
		if err != nil {
			return nil, fmt.Errorf("%w: bad gzip data: %v", ErrInvalidDigest, err)
		}
	}
	if len(content) > MaxDigestBytes {
		return nil, fmt.Errorf("%w: larger than %d bytes once decompressed", ErrInvalidDigest, MaxDigestBytes)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(content, &raw); err != nil {
		return nil, fmt.Errorf("%w: not a JSON object: %v", ErrInvalidDigest, err)
	}
	// Same list as the CLI's DigestTraverser.required_digest_keys: previousDigestSignature must be present (null is
	// fine) because it is part of the signed string.
	for _, field := range []string{"digestPublicKeyFingerprint", "digestS3Bucket", "digestS3Object",
		"previousDigestSignature", "digestEndTime", "digestStartTime"} {
		if _, ok := raw[field]; !ok {
			return nil, fmt.Errorf("%w: field %q is missing", ErrInvalidDigest, field)
		}
	}
	d := &Digest{}
	if err := json.Unmarshal(content, d); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidDigest, err)
	}
	var err error
	if d.StartTime, err = time.Parse(time.RFC3339, d.DigestStartTime); err != nil {
		return nil, fmt.Errorf("%w: digestStartTime %q is not an ISO 8601 UTC time", ErrInvalidDigest, d.DigestStartTime)
	}
	if d.EndTime, err = time.Parse(time.RFC3339, d.DigestEndTime); err != nil {
		return nil, fmt.Errorf("%w: digestEndTime %q is not an ISO 8601 UTC time", ErrInvalidDigest, d.DigestEndTime)
	}
	sum := sha256.Sum256(content)
	d.ContentSHA256 = hex.EncodeToString(sum[:])
	return d, nil
}

// SigningString is the text CloudTrail signs for a digest, mirroring Sha256RSADigestValidator._create_string_to_sign:
// lines joined by "\n" — digestEndTime exactly as written in the body, "<digestS3Bucket>/<digestS3Object>", the hex
// SHA-256 of the uncompressed digest, and the previous digest's signature, or the text "null" for a starting digest
// (previousSignature "" means null).
func SigningString(d *Digest, contentSHA256Hex, previousSignature string) string {
	if previousSignature == "" {
		previousSignature = "null"
	}
	return strings.Join([]string{d.DigestEndTime, d.DigestS3Bucket + "/" + d.DigestS3Object, contentSHA256Hex,
		previousSignature}, "\n")
}

// PreviousSignature returns previousDigestSignature, "" when it is null.
func (d *Digest) PreviousSignature() string {
	if d.PreviousDigestSignature == nil {
		return ""
	}
	return *d.PreviousDigestSignature
}

// ChainID names the chain a digest key belongs to: its key without the trailing `_<YYYYMMDDTHHMMSSZ>.json.gz`
// (CloudTrail writes one chain per trail and region; the trail name is in the key). Backfill digests
// (`_backfill.json.gz`, see the CLI's is_backfill_digest_key) form their own chain.
func ChainID(digestKey string) string {
	const backfill = "_backfill.json.gz"
	suffix := ""
	k := digestKey
	if strings.HasSuffix(k, backfill) {
		k = strings.TrimSuffix(k, backfill)
		suffix = "#backfill"
	} else {
		k = strings.TrimSuffix(k, ".json.gz")
	}
	if i := strings.LastIndexByte(k, '_'); i >= 0 {
		k = k[:i]
	}
	return k + suffix
}
