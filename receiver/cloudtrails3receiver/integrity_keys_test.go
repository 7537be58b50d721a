// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"
)

// fakeCloudTrail answers ListPublicKeys from a fixed list, counting calls; err, when set, is returned instead.
type fakeCloudTrail struct {
	mu    sync.Mutex
	keys  []types.PublicKey
	calls int
	err   error
}

func (f *fakeCloudTrail) ListPublicKeys(_ context.Context, in *cloudtrail.ListPublicKeysInput, _ ...func(*cloudtrail.Options)) (*cloudtrail.ListPublicKeysOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	if in.StartTime == nil || in.EndTime == nil || in.StartTime.After(*in.EndTime) || in.EndTime.After(time.Now()) {
		return nil, errors.New("InvalidTimeRangeException")
	}
	// Two pages: one key each, to follow NextToken.
	if in.NextToken == nil && len(f.keys) > 1 {
		return &cloudtrail.ListPublicKeysOutput{PublicKeyList: f.keys[:1], NextToken: aws.String("page2")}, nil
	}
	if in.NextToken != nil {
		return &cloudtrail.ListPublicKeysOutput{PublicKeyList: f.keys[1:]}, nil
	}
	return &cloudtrail.ListPublicKeysOutput{PublicKeyList: f.keys}, nil
}

func (f *fakeCloudTrail) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func TestPublicKeyAPICachesKeysAndUnknownFingerprints(t *testing.T) {
	a, b := newTrailSigner(t), newTrailSigner(t)
	fake := &fakeCloudTrail{keys: []types.PublicKey{
		{Fingerprint: aws.String(a.fingerprint), Value: x509.MarshalPKCS1PublicKey(&a.key.PublicKey)},
		{Fingerprint: aws.String(b.fingerprint), Value: x509.MarshalPKCS1PublicKey(&b.key.PublicKey)},
	}}
	src := newPublicKeyAPI(fake, "us-east-1")
	ctx := context.Background()
	future := time.Now().Add(3 * time.Hour) // digests of the test pipeline end in the future: clamped to now

	pub, err := src.Key(ctx, b.fingerprint, future)
	require.NoError(t, err)
	assert.True(t, pub.Equal(&b.key.PublicKey), "keys of the second page are found")
	pub, err = src.Key(ctx, a.fingerprint, time.Now())
	require.NoError(t, err)
	assert.True(t, pub.Equal(&a.key.PublicKey))
	assert.Equal(t, 2, fake.callCount(), "one call of two pages, then the cache")

	_, err = src.Key(ctx, "0123456789abcdef0123456789abcdef", time.Now())
	require.ErrorIs(t, err, integrity.ErrUnknownKey)
	_, err = src.Key(ctx, "0123456789abcdef0123456789abcdef", time.Now())
	require.ErrorIs(t, err, integrity.ErrUnknownKey)
	assert.Equal(t, 4, fake.callCount(), "an unknown fingerprint is not asked for again at once")

	failingAPI := &fakeCloudTrail{err: errors.New("AccessDeniedException")}
	failing := newPublicKeyAPI(failingAPI, "eu-west-1")
	_, err = failing.Key(ctx, a.fingerprint, time.Now())
	require.Error(t, err)
	assert.NotErrorIs(t, err, integrity.ErrUnknownKey, "a failing call must not make the digest bad_signature")
	assert.ErrorContains(t, err, "cloudtrail:ListPublicKeys")

	chain := keyChain{integrity.NewKeySet(), failing}
	_, err = chain.Key(ctx, a.fingerprint, time.Now())
	assert.NotErrorIs(t, err, integrity.ErrUnknownKey, "a failure wins over an unknown key")
	chain = keyChain{integrity.NewKeySet(), src}
	_, err = chain.Key(ctx, "ffffffffffffffffffffffffffffffff", time.Now())
	assert.ErrorIs(t, err, integrity.ErrUnknownKey)

	pemKeys, err := integrity.LoadPEMKeys(a.writePEM(t))
	require.NoError(t, err)
	calls := failingAPI.callCount()
	pub, err = keyChain{pemKeys, failing}.Key(ctx, a.fingerprint, time.Now())
	require.NoError(t, err)
	assert.True(t, pub.Equal(&a.key.PublicKey))
	assert.Equal(t, calls, failingAPI.callCount(), "keys of public_keys never reach ListPublicKeys")
}

// TestCloudTrailClientSpeaksListPublicKeys runs the real SDK client against an in-process CloudTrail endpoint
// (integrity.endpoint) to check the request the receiver sends and that the answer's DER key is used.
func TestCloudTrailClientSpeaksListPublicKeys(t *testing.T) {
	signer := newTrailSigner(t)
	var target, region string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target = r.Header.Get("X-Amz-Target")
		region = r.Header.Get("Authorization")
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_ = json.NewEncoder(w).Encode(map[string]any{"PublicKeyList": []map[string]any{{
			"Fingerprint":       signer.fingerprint,
			"Value":             base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PublicKey(&signer.key.PublicKey)),
			"ValidityStartTime": float64(time.Now().Add(-time.Hour).Unix()),
			"ValidityEndTime":   float64(time.Now().Add(time.Hour).Unix()),
		}}})
	}))
	defer srv.Close()

	cfg := createDefaultConfig().(*Config)
	cfg.Endpoint = "http://s3.invalid" // the bucket's endpoint must not be used for CloudTrail
	cfg.AccessKeyID = "AKIDEXAMPLE"
	cfg.SecretAccessKey = "secret"
	cfg.Integrity.Endpoint = srv.URL
	client, err := newCloudTrailClient(context.Background(), cfg, "ap-south-1", sdkRetry{MaxAttempts: 1, MaxBackoff: time.Millisecond}, zap.NewNop())
	require.NoError(t, err)
	pub, err := newPublicKeyAPI(client, "ap-south-1").Key(context.Background(), signer.fingerprint, time.Now())
	require.NoError(t, err)
	assert.True(t, pub.Equal(&signer.key.PublicKey))
	assert.Equal(t, "CloudTrail_20131101.ListPublicKeys", target[len(target)-len("CloudTrail_20131101.ListPublicKeys"):])
	assert.Contains(t, region, "/ap-south-1/cloudtrail/aws4_request", "signed for the digest's region")
}
