// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

import "io"

// Names of the contract that the receivers built on this package, and their tests, refer to. The package itself uses
// the unexported names.
const (
	HeaderRequestID      = headerRequestID
	HeaderSourceARN      = headerSourceARN
	MaxRequestIDLength   = maxRequestIDLength
	MaxSourceARNLength   = maxSourceARNLength
	MaxRecordsPerRequest = maxRecordsPerRequest
)

// Request is what the parser keeps of a request body besides its records.
type Request = firehoseRequest

// RecordError is a record that could not be used; Index is its 0-based position in the request's records array.
type RecordError = recordError

// ErrMalformedRequest marks a request body that does not follow the Firehose contract (answered 400).
var ErrMalformedRequest = errMalformedRequest

// RequestParser stream-decodes request bodies as the Handler does, reusing its buffers from one body to the next (not
// concurrently). For tests and tools that decode recorded requests without a server.
type RequestParser struct{ parser *requestParser }

// NewRequestParser makes a parser with a cap of maxRecordSize decoded bytes per record (0: Firehose's maximum).
func NewRequestParser(maxRecordSize int) *RequestParser {
	return &RequestParser{parser: newRequestParser(maxRecordSize)}
}

// Parse reads one request body from r: onRecord receives every record's decoded bytes, in order, valid only during
// the call; expectedID is the X-Amz-Firehose-Request-Id header, which the body's requestId must equal.
func (p *RequestParser) Parse(r io.Reader, expectedID string, onRecord func(index int, data []byte) error) (Request, error) {
	return p.parser.parse(r, expectedID, onRecord)
}
