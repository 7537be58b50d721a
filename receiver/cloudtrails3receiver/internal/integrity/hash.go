// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package integrity // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
)

// Hasher computes the SHA-256 of a log file's decompressed content while the decoder reads it, the value a digest
// lists in hashValue (the CLI's CloudTrailValidateLogs._download_log hashes the gzip-inflated bytes the same way).
// Plug it into the decompressed stream with Reader (an io.TeeReader) or as the io.Writer of one; no second GET.
// A Hasher is not safe for concurrent use; Reset it to reuse it for the next object.
type Hasher struct {
	h hash.Hash
	n int64
}

// NewHasher returns a Hasher ready for one object.
func NewHasher() *Hasher { return &Hasher{h: sha256.New()} }

// Write adds decompressed bytes; it never fails.
func (h *Hasher) Write(p []byte) (int, error) {
	h.n += int64(len(p))
	return h.h.Write(p)
}

// Reader returns r with everything read from it also hashed.
func (h *Hasher) Reader(r io.Reader) io.Reader { return io.TeeReader(r, h) }

// Sum returns the lowercase hex SHA-256 of the bytes written so far, comparable with a digest's hashValue.
func (h *Hasher) Sum() string { return hex.EncodeToString(h.h.Sum(nil)) }

// Len is the number of bytes hashed.
func (h *Hasher) Len() int64 { return h.n }

// Reset prepares the Hasher for another object.
func (h *Hasher) Reset() {
	h.h.Reset()
	h.n = 0
}
