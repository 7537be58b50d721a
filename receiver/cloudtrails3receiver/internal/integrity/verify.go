// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package integrity // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"

import (
	"context"
	"crypto"
	"crypto/md5" //nolint:gosec // CloudTrail's key fingerprint is an MD5; it identifies a key, it does not protect anything.
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// SignatureAlgorithm is the only algorithm CloudTrail uses (digestSignatureAlgorithm and the
// x-amz-meta-signature-algorithm metadata).
const SignatureAlgorithm = "SHA256withRSA"

var (
	// ErrBadSignature is returned (wrapped) when a digest signature does not verify.
	ErrBadSignature = errors.New("digest signature does not verify")
	// ErrUnknownKey is returned (wrapped) by a KeySource that has no key with the requested fingerprint.
	ErrUnknownKey = errors.New("no public key with this fingerprint")
)

// VerifySignature checks an RSA PKCS#1 v1.5 signature over SHA-256 of signingString, the signature given in hex as in
// the x-amz-meta-signature metadata. Mirrors Sha256RSADigestValidator.validate (rsa.verify of python-rsa, which
// detects the SHA-256 DigestInfo in the PKCS#1 v1.5 padding).
func VerifySignature(pub *rsa.PublicKey, signingString, signatureHex string) error {
	if pub == nil {
		return fmt.Errorf("%w: no public key", ErrBadSignature)
	}
	sig, err := hex.DecodeString(strings.TrimSpace(signatureHex))
	if err != nil {
		return fmt.Errorf("%w: the signature is not hex: %v", ErrBadSignature, err)
	}
	sum := sha256.Sum256([]byte(signingString))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		return ErrBadSignature
	}
	return nil
}

// Fingerprint is the hex MD5 of the key's PKCS#1 DER encoding (RSAPublicKey), the form in which CloudTrail's
// ListPublicKeys returns keys (the CLI loads Value with rsa.PublicKey.load_pkcs1(format='DER')). The CLI itself never
// computes a fingerprint — it trusts ListPublicKeys' Fingerprint field — so KeySet also indexes each key under
// FingerprintSPKI to match either convention; keys from ListPublicKeys should be added under the fingerprint the API
// returns (KeySet.Add).
func Fingerprint(pub *rsa.PublicKey) string {
	sum := md5.Sum(x509.MarshalPKCS1PublicKey(pub)) //nolint:gosec // identifier only
	return hex.EncodeToString(sum[:])
}

// FingerprintSPKI is the hex MD5 of the key's SubjectPublicKeyInfo DER encoding (a "PUBLIC KEY" PEM block).
func FingerprintSPKI(pub *rsa.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return ""
	}
	sum := md5.Sum(der) //nolint:gosec // identifier only
	return hex.EncodeToString(sum[:])
}

// KeySource finds the public key a digest names in digestPublicKeyFingerprint; at is the digest's end time (keys
// rotate; ListPublicKeys takes a time range). It returns an error wrapping ErrUnknownKey when it has no such key.
type KeySource interface {
	Key(ctx context.Context, fingerprint string, at time.Time) (*rsa.PublicKey, error)
}

// KeySet is a fixed set of public keys indexed by fingerprint. It is safe for concurrent reads once built.
type KeySet struct {
	keys map[string]*rsa.PublicKey
}

// NewKeySet returns an empty set.
func NewKeySet() *KeySet { return &KeySet{keys: map[string]*rsa.PublicKey{}} }

// Add indexes pub under the given fingerprints, or under Fingerprint and FingerprintSPKI when none is given.
func (s *KeySet) Add(pub *rsa.PublicKey, fingerprints ...string) {
	if len(fingerprints) == 0 {
		fingerprints = []string{Fingerprint(pub), FingerprintSPKI(pub)}
	}
	for _, fp := range fingerprints {
		s.keys[strings.ToLower(fp)] = pub
	}
}

// Len is the number of fingerprints indexed.
func (s *KeySet) Len() int { return len(s.keys) }

// Key implements KeySource.
func (s *KeySet) Key(_ context.Context, fingerprint string, _ time.Time) (*rsa.PublicKey, error) {
	if pub, ok := s.keys[strings.ToLower(fingerprint)]; ok {
		return pub, nil
	}
	return nil, fmt.Errorf("%w %s: add the CloudTrail public key of this region to integrity.public_keys "+
		"(aws cloudtrail list-public-keys --region <region>) or let the receiver call ListPublicKeys", ErrUnknownKey, fingerprint)
}

// LoadPEMKeys reads RSA public keys from PEM files: "RSA PUBLIC KEY" (PKCS#1, the DER ListPublicKeys returns) or
// "PUBLIC KEY" (SubjectPublicKeyInfo) blocks, any number per file.
func LoadPEMKeys(paths ...string) (*KeySet, error) {
	set := NewKeySet()
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading public key file: %w", err)
		}
		found := 0
		for {
			var block *pem.Block
			block, data = pem.Decode(data)
			if block == nil {
				break
			}
			pub, err := ParsePublicKeyDER(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("public key file %s, block %q: %w", path, block.Type, err)
			}
			set.Add(pub)
			found++
		}
		if found == 0 {
			return nil, fmt.Errorf("public key file %s has no PEM block; expected -----BEGIN RSA PUBLIC KEY----- or -----BEGIN PUBLIC KEY-----", path)
		}
	}
	return set, nil
}

// ParsePublicKeyDER parses an RSA public key in PKCS#1 DER (ListPublicKeys' Value) or SubjectPublicKeyInfo DER.
func ParsePublicKeyDER(der []byte) (*rsa.PublicKey, error) {
	if pub, err := x509.ParsePKCS1PublicKey(der); err == nil {
		return pub, nil
	}
	key, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("not an RSA public key in PKCS#1 or SubjectPublicKeyInfo DER: %w", err)
	}
	pub, ok := key.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("the key is a %T, CloudTrail signs with RSA", key)
	}
	return pub, nil
}
