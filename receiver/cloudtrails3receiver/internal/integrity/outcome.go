// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package integrity // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"

// Kind says what an Outcome is about.
type Kind string

const (
	KindLogFile Kind = "log_file"
	KindDigest  Kind = "digest"
)

// Verdict is the result of one check; the values are the ones issue 7 names and the receiver emits as
// aws.cloudtrail.integrity.
type Verdict string

const (
	// VerdictValid: a log file whose hash matches its digest, or a digest whose signature (and chain link) verifies.
	VerdictValid Verdict = "valid"
	// VerdictModified: a log file whose decompressed SHA-256 differs from the digest's hashValue.
	VerdictModified Verdict = "modified"
	// VerdictMissing: a log file a verified digest lists that was never read, or a digest absent from the chain.
	VerdictMissing Verdict = "missing"
	// VerdictUnlisted: a log file that no verified digest lists although the digest period covering it closed.
	VerdictUnlisted Verdict = "unlisted"
	// VerdictBadSignature: a digest whose signature does not verify (or cannot be checked: unknown key, no
	// signature metadata, moved from the location it names).
	VerdictBadSignature Verdict = "bad_signature"
	// VerdictChainBroken: a digest whose signature verifies but whose link to the previous digest does not
	// (previousDigestSignature or previousDigestHashValue differ from the previous digest actually read).
	VerdictChainBroken Verdict = "chain_broken"
)

// Outcome is one verdict on one object.
type Outcome struct {
	Kind    Kind
	Object  ObjectRef
	Verdict Verdict
	// Reason explains a verdict other than valid in words an operator can act on.
	Reason string
	// Digest is, for a log file, the digest that listed it (zero for unlisted).
	Digest ObjectRef
	// ExpectedSHA256 (from the digest) and ActualSHA256 (of the bytes read) are set for log files when known.
	ExpectedSHA256 string
	ActualSHA256   string
}
