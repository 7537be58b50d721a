// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver

import (
	"io"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"
)

// The Firehose HTTP endpoint contract lives in internal/firehosehttp; these are the names this package's tests use
// for its parts (the tests predate the move and exercise the shared code through this receiver).

const (
	headerRequestID      = firehosehttp.HeaderRequestID
	headerSourceARN      = firehosehttp.HeaderSourceARN
	maxRequestIDLength   = firehosehttp.MaxRequestIDLength
	maxSourceARNLength   = firehosehttp.MaxSourceARNLength
	maxRecordsPerRequest = firehosehttp.MaxRecordsPerRequest
)

type (
	firehoseRequest = firehosehttp.Request
	recordError     = firehosehttp.RecordError
)

var errMalformedRequest = firehosehttp.ErrMalformedRequest

// requestParser is the shared request parser.
type requestParser struct{ parser *firehosehttp.RequestParser }

func newRequestParser(maxRecordSize int) requestParser {
	return requestParser{parser: firehosehttp.NewRequestParser(maxRecordSize)}
}

func (p requestParser) parse(r io.Reader, expectedID string, onRecord func(index int, data []byte) error) (firehoseRequest, error) {
	return p.parser.Parse(r, expectedID, onRecord)
}
