// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrailtest

import (
	"bytes"
	"compress/gzip"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSignDigest(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	end := start.Add(time.Hour)
	spec := DigestSpec{Account: "111122223333", Bucket: "b", Key: "digest.json.gz", Start: start, End: end,
		Fingerprint: "fp", SigningKey: key,
		Logs:     []DigestLog{{Bucket: "b", Key: "log.json.gz", SHA256: "ab", NewestEventTime: start, OldestEventTime: start}},
		Previous: &PreviousDigest{Bucket: "b", Key: "prev.json.gz", SHA256: "cd", Signature: "ef"}}
	d, err := SignDigest(spec)
	require.NoError(t, err)

	zr, err := gzip.NewReader(bytes.NewReader(d.Gzip))
	require.NoError(t, err)
	raw, err := io.ReadAll(zr)
	require.NoError(t, err)
	sum := sha256.Sum256(raw)
	assert.Equal(t, hex.EncodeToString(sum[:]), d.SHA256)

	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc))
	assert.Equal(t, "digest.json.gz", doc["digestS3Object"])
	assert.Equal(t, end.Format(time.RFC3339), doc["digestEndTime"])
	assert.Equal(t, "prev.json.gz", doc["previousDigestS3Object"])
	assert.Equal(t, "cd", doc["previousDigestHashValue"])
	assert.Equal(t, "SHA-256", doc["previousDigestHashAlgorithm"])
	assert.Equal(t, "ef", doc["previousDigestSignature"])
	require.Len(t, doc["logFiles"], 1)
	assert.Equal(t, "log.json.gz", doc["logFiles"].([]any)[0].(map[string]any)["s3Object"])

	sig, err := hex.DecodeString(d.Signature)
	require.NoError(t, err)
	h := sha256.Sum256([]byte(end.Format(time.RFC3339) + "\nb/digest.json.gz\n" + d.SHA256 + "\nef"))
	require.NoError(t, rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, h[:], sig))

	// The first digest of a trail has null previousDigest* fields and signs "null" as the previous signature.
	spec.Previous = nil
	d, err = SignDigest(spec)
	require.NoError(t, err)
	sig, err = hex.DecodeString(d.Signature)
	require.NoError(t, err)
	h = sha256.Sum256([]byte(end.Format(time.RFC3339) + "\nb/digest.json.gz\n" + d.SHA256 + "\nnull"))
	require.NoError(t, rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, h[:], sig))
}
