// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

// DefaultMaxBatchRecords is used when Options.MaxBatchRecords <= 0.
const DefaultMaxBatchRecords = 1000

// Options configure a Decoder.
type Options struct {
	// MaxBatchRecords is the maximum number of records per emitted plog.Logs (DefaultMaxBatchRecords when <= 0).
	MaxBatchRecords int
	// MaxObjectBytes caps the decompressed size of one object; 0 means unlimited.
	MaxObjectBytes int64
	// MaxValueBytes caps every string value and member name of a record: a longer one is cut while it is scanned (at
	// a character boundary, ending with "...truncated"), so one huge string costs at most this much memory. 0 keeps
	// strings whole.
	MaxValueBytes int
	// SemanticAttributes adds the OpenTelemetry semantic-convention attributes of contrib's CloudTrail encoding
	// (docs/cloudtrail-in-s3.md#semantic-convention-attributes) to every log record.
	SemanticAttributes bool
	// IncludeObjectKey adds the attribute s3_object_key = "<bucket>/<key>" (the field Logz.io's s3-hook uses).
	IncludeObjectKey bool
	// Selection, when not nil, decides on each record before it is built: dropped records are only scanned, and
	// counted in Stats.DroppedRecords.
	Selection *Selector
	// PassThrough makes each record's body its JSON text as the file holds it (a string), instead of a map built from
	// it, in scopes marked with JSONBodyAttribute = JSONBodyFormat: nothing is parsed into pdata. A record whose
	// bytes the parser would change (see errUnclean) gets its map body as without the option. Timestamps, severity,
	// resource, attributes and event selection are the same either way.
	PassThrough bool
	// ScopeName and ScopeVersion name the instrumentation scope of the emitted logs.
	ScopeName, ScopeVersion string
}

// Object identifies the S3 object being decoded; it is copied into log attributes.
type Object struct {
	Bucket, Key string
}

// Stats describe one Decode call, also when it returns an error.
type Stats struct {
	// Records is the number of records handed to emit in batches that emit accepted.
	Records int64
	// SkippedRecords is the number of array elements dropped because they were not objects or had no valid
	// eventTime (RFC 3339, between 1970 and 2262).
	SkippedRecords int64
	// DroppedRecords is the number of records that event selection excluded.
	DroppedRecords int64
	// DecompressedBytes is the number of decompressed bytes read.
	DecompressedBytes int64
}
