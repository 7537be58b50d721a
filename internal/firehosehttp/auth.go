// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

import (
	"crypto/sha256"
	"crypto/subtle"

	"go.opentelemetry.io/collector/config/configopaque"
)

// constantTimeCompare is crypto/subtle's comparison; a variable only so that a test can observe that every configured key
// is compared on every request.
var constantTimeCompare = subtle.ConstantTimeCompare

// accessKeys checks the X-Amz-Firehose-Access-Key header against the configured keys.
//
// The keys are kept as SHA-256 digests: comparing fixed-length digests means neither the length of a configured key nor
// the position of the first differing byte shows in the response time, and the presented key is compared with EVERY
// configured key (no early exit), so the time does not tell which key of a rotation list matched either.
type accessKeys struct {
	digests [][sha256.Size]byte
}

func newAccessKeys(keys []configopaque.String) accessKeys {
	ak := accessKeys{digests: make([][sha256.Size]byte, 0, len(keys))}
	for _, k := range keys {
		ak.digests = append(ak.digests, sha256.Sum256([]byte(k)))
	}
	return ak
}

// required reports whether requests must carry an access key.
func (ak accessKeys) required() bool {
	return len(ak.digests) > 0
}

// authorize reports whether a request may pass: always when no key is configured; otherwise only when the header was
// present and its value equals one of the configured keys. A missing header is refused whenever keys are configured.
func (ak accessKeys) authorize(presented string, present bool) bool {
	if !ak.required() {
		return true
	}
	digest := sha256.Sum256([]byte(presented))
	matched := 0
	for i := range ak.digests {
		matched |= constantTimeCompare(digest[:], ak.digests[i][:])
	}
	return present && matched == 1
}
