// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package integrity

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readFile(t *testing.T, path string) []byte {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}

func TestParseSharedSamples(t *testing.T) {
	for _, name := range []string{"aws-docs-digest.json", "aws-docs-digest.json.gz", "aws-docs-digest-empty.json", "aws-docs-digest-empty.json.gz"} {
		t.Run(name, func(t *testing.T) {
			d, err := ParseDigest(readFile(t, filepath.Join("testdata", name)))
			require.NoError(t, err)
			assert.Equal(t, "111122223333", d.AWSAccountID)
			assert.Equal(t, "31e8b5433410dfb61a9dc45cc65b22ff", d.DigestPublicKeyFingerprint)
			assert.Equal(t, time.Hour, d.EndTime.Sub(d.StartTime))
			assert.Len(t, d.ContentSHA256, 64)
			prev, ok := d.PreviousRef()
			require.True(t, ok)
			assert.True(t, strings.HasSuffix(prev.Key, "0131Z.json.gz"))
			if strings.Contains(name, "empty") {
				assert.Empty(t, d.LogFiles)
				assert.Nil(t, d.NewestEventTime)
				assert.Nil(t, d.OldestEventTime)
			} else {
				require.Len(t, d.LogFiles, 1)
				assert.Equal(t, "9bb6196fc6b84d6f075a56548feca262bd99ba3c2de41b618e5b6e22c1fc71f6", d.LogFiles[0].HashValue)
				require.NotNil(t, d.NewestEventTime)
				assert.Equal(t, "2015-08-17T14:52:27Z", *d.NewestEventTime)
			}

			// The samples carry no real signature: verification must say bad_signature, not crash. With a key
			// registered under their fingerprint the signature itself is what fails.
			keys := NewKeySet()
			keys.Add(&signingKey(t).PublicKey, d.DigestPublicKeyFingerprint)
			tr := NewTracker(TrackerSettings{Keys: keys})
			out := tr.ObserveDigest(context.Background(), d, d.Ref(), d.PreviousSignature(), SignatureAlgorithm, d.EndTime)
			require.NotEmpty(t, out)
			assert.Equal(t, VerdictBadSignature, out[0].Verdict)
			assert.Contains(t, out[0].Reason, "does not verify")

			// Without the key: still bad_signature, saying which key is missing.
			out = NewTracker(TrackerSettings{Keys: NewKeySet()}).ObserveDigest(context.Background(), d, d.Ref(), "abcd", SignatureAlgorithm, d.EndTime)
			assert.Equal(t, VerdictBadSignature, out[0].Verdict)
			assert.Contains(t, out[0].Reason, d.DigestPublicKeyFingerprint)
		})
	}
}

func TestSigningStringMatchesCLI(t *testing.T) {
	d, err := ParseDigest(readFile(t, "testdata/aws-docs-digest.json"))
	require.NoError(t, err)
	got := SigningString(d, d.ContentSHA256, d.PreviousSignature())
	want := "2015-08-17T15:01:31Z\nS3-bucket-name/" + d.DigestS3Object + "\n" + d.ContentSHA256 + "\n" + *d.PreviousDigestSignature
	assert.Equal(t, want, got)

	d.PreviousDigestSignature = nil
	assert.True(t, strings.HasSuffix(SigningString(d, d.ContentSHA256, d.PreviousSignature()), "\nnull"),
		"a starting digest signs the text null, like the CLI")
}

// TestCLISignedDigest verifies a digest signed by testdata/gen_cli_fixture.py with the AWS CLI's own
// _create_string_to_sign and python-rsa (the script also checks the CLI's validator accepts it).
func TestCLISignedDigest(t *testing.T) {
	d, err := ParseDigest(readFile(t, "testdata/cli-signed.json.gz"))
	require.NoError(t, err)
	der, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(readFile(t, "testdata/cli-signed.publickey.b64"))))
	require.NoError(t, err)
	pub, err := ParsePublicKeyDER(der)
	require.NoError(t, err)
	sig := strings.TrimSpace(string(readFile(t, "testdata/cli-signed.signature.hex")))
	require.NoError(t, VerifySignature(pub, SigningString(d, d.ContentSHA256, d.PreviousSignature()), sig))

	// One changed byte anywhere breaks it.
	assert.ErrorIs(t, VerifySignature(pub, SigningString(d, d.ContentSHA256, "00"), sig), ErrBadSignature)
	tampered := []byte(sig)
	tampered[10] ^= 1
	assert.ErrorIs(t, VerifySignature(pub, SigningString(d, d.ContentSHA256, d.PreviousSignature()), string(tampered)), ErrBadSignature)
	assert.ErrorIs(t, VerifySignature(pub, "x", "not hex"), ErrBadSignature)
}

func TestParseDigestErrors(t *testing.T) {
	for name, body := range map[string]string{
		"not json":       "hello",
		"bad gzip":       "\x1f\x8b\x08\x00garbage",
		"missing field":  `{"digestStartTime":"2015-08-17T14:01:31Z"}`,
		"bad time":       `{"digestPublicKeyFingerprint":"a","digestS3Bucket":"b","digestS3Object":"k","previousDigestSignature":null,"digestEndTime":"yesterday","digestStartTime":"2015-08-17T14:01:31Z"}`,
		"wrong type":     `{"digestPublicKeyFingerprint":1,"digestS3Bucket":"b","digestS3Object":"k","previousDigestSignature":null,"digestEndTime":"2015-08-17T14:01:31Z","digestStartTime":"2015-08-17T14:01:31Z"}`,
		"json array":     `[]`,
		"empty":          ``,
		"truncated gzip": "\x1f\x8b",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseDigest([]byte(body))
			assert.ErrorIs(t, err, ErrInvalidDigest)
		})
	}
}

func TestChainID(t *testing.T) {
	base := "AWSLogs/1/CloudTrail-Digest/us-east-2/2015/08/17/1_CloudTrail-Digest_us-east-2_my_trail_us-east-2"
	assert.Equal(t, base, ChainID(base+"_20150817T150131Z.json.gz"))
	assert.Equal(t, ChainID(base+"_20150817T150131Z.json.gz"), ChainID(base+"_20150817T160131Z.json.gz"))
	assert.Equal(t, base+"#backfill", ChainID(base+"_20150817T150131Z_backfill.json.gz"))
}

func TestLogFileTime(t *testing.T) {
	at, ok := LogFileTime("AWSLogs/1/CloudTrail/us-east-2/2015/08/17/111122223333_CloudTrail_us-east-2_20150817T1445Z_9nYN7gp2eWAJHIfT.json.gz")
	require.True(t, ok)
	assert.Equal(t, time.Date(2015, 8, 17, 14, 45, 0, 0, time.UTC), at)
	_, ok = LogFileTime("whatever.json.gz")
	assert.False(t, ok)
}
