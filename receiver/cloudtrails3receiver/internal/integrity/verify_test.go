// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package integrity

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadPEMKeys(t *testing.T) {
	pub := &signingKey(t).PublicKey
	spki, err := x509.MarshalPKIXPublicKey(pub)
	require.NoError(t, err)
	dir := t.TempDir()
	pkcs1Path := filepath.Join(dir, "pkcs1.pem")
	spkiPath := filepath.Join(dir, "spki.pem")
	require.NoError(t, os.WriteFile(pkcs1Path, pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(pub)}), 0o600))
	require.NoError(t, os.WriteFile(spkiPath, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spki}), 0o600))

	for _, p := range []string{pkcs1Path, spkiPath} {
		set, err := LoadPEMKeys(p)
		require.NoError(t, err)
		for _, fp := range []string{Fingerprint(pub), FingerprintSPKI(pub)} {
			got, err := set.Key(context.Background(), fp, time.Now())
			require.NoError(t, err)
			assert.True(t, pub.Equal(got))
		}
		_, err = set.Key(context.Background(), "31e8b5433410dfb61a9dc45cc65b22ff", time.Now())
		assert.ErrorIs(t, err, ErrUnknownKey)
	}
	assert.Len(t, Fingerprint(pub), 32, "CloudTrail fingerprints are 32 hex digits (MD5)")
	assert.NotEqual(t, Fingerprint(pub), FingerprintSPKI(pub))

	notPEM := filepath.Join(dir, "x.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("hello"), 0o600))
	_, err = LoadPEMKeys(notPEM)
	assert.ErrorContains(t, err, "no PEM block")
	badBlock := filepath.Join(dir, "bad.pem")
	require.NoError(t, os.WriteFile(badBlock, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte("junk")}), 0o600))
	_, err = LoadPEMKeys(badBlock)
	assert.Error(t, err)
	_, err = LoadPEMKeys(filepath.Join(dir, "absent.pem"))
	assert.ErrorContains(t, err, "reading public key file")
}

func TestVerifySignatureNilKey(t *testing.T) {
	assert.ErrorIs(t, VerifySignature(nil, "x", "00"), ErrBadSignature)
}
