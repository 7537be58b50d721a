// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import "errors"

var (
	// ErrCorrupt is returned (wrapped, with details) when an object is not a readable CloudTrail log file:
	// bad gzip data, invalid or truncated JSON, or a JSON document without a "Records" array.
	// Retrying the same object will not help; skip it.
	ErrCorrupt = errors.New("corrupt CloudTrail object")

	// ErrTooLarge is returned (wrapped) when the decompressed size of an object exceeds Options.MaxObjectBytes.
	ErrTooLarge = errors.New("CloudTrail object exceeds the decompressed size limit")

	// ErrObjectRead is returned (wrapped, with the reader's error) when reading the object itself failed, such as a
	// connection broken mid-body: the object is not at fault, and reading it again may succeed.
	ErrObjectRead = errors.New("reading the object failed")

	// errTruncated is wrapped in ErrCorrupt when the stream ends inside the JSON document.
	errTruncated = errors.New("truncated JSON")
)
