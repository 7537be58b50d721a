// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
)

// Limits of the Firehose HTTP endpoint contract (docs/firehose-http-endpoint.md#body).
const (
	// maxRecordsPerRequest is the most records Firehose puts in one request.
	maxRecordsPerRequest = 10_000
	// defaultMaxRecordSize is the largest decoded record Firehose sends (1,024,000 bytes).
	defaultMaxRecordSize = 1_024_000
	// maxRequestIDLength bounds the request id (a GUID in practice) so that echoing it keeps the answer small.
	maxRequestIDLength = 1024
	// maxKeyLength bounds JSON object keys; the contract only has short ones.
	maxKeyLength = 64
	// maxSkipDepth bounds the nesting of unknown fields that are skipped.
	maxSkipDepth = 32
	// maxUnknownStringLength bounds a string inside an unknown field.
	maxUnknownStringLength = 64 * 1024
)

// errMalformedRequest marks a request body that does not follow the Firehose contract (answered 400).
var errMalformedRequest = errors.New("malformed Firehose request")

// recordError is a record that could not be used; Index is its 0-based position in the request's records array.
type recordError struct {
	Index int
	Err   error
}

func (e *recordError) Error() string { return fmt.Sprintf("record %d: %v", e.Index, e.Err) }
func (e *recordError) Unwrap() error { return e.Err }

// firehoseRequest is what the parser keeps of a request body besides the records, which it hands out one by one.
type firehoseRequest struct {
	RequestID    string
	Timestamp    int64
	HasTimestamp bool
	Records      int
}

// requestParser stream-decodes one Firehose request body:
//
//	{"requestId": "<id>", "timestamp": <ms>, "records": [{"data": "<base64>"}, ...]}
//
// It never holds more than one record: each record's base64 text is collected up to the size that decodes to at most
// maxRecordSize bytes (reading stops as soon as a record is over), decoded, and handed to the callback. Unknown fields
// are skipped without being stored. The reader given to parse must itself be bounded (the body cap).
type requestParser struct {
	maxRecordSize int
	maxBase64Len  int

	br      *bufio.Reader
	text    []byte // base64 text of the current record (reused)
	decoded []byte // decoded bytes of the current record (reused)
	scratch []byte // small strings: keys, request id (reused)
}

func newRequestParser(maxRecordSize int) *requestParser {
	if maxRecordSize <= 0 {
		maxRecordSize = defaultMaxRecordSize
	}
	return &requestParser{
		maxRecordSize: maxRecordSize,
		maxBase64Len:  base64.StdEncoding.EncodedLen(maxRecordSize),
		br:            bufio.NewReaderSize(nil, 64*1024),
	}
}

// parse reads the body from r. onRecord receives every record's decoded bytes, in order; the slice is only valid during
// the call. expectedID is the X-Amz-Firehose-Request-Id header: the body's requestId must equal it.
//
// Errors: errors from r are returned as they are (so the caller can tell a size cap from a broken stream); a body that
// breaks the contract wraps errMalformedRequest; an error from onRecord or a bad record is a *recordError.
func (p *requestParser) parse(r io.Reader, expectedID string, onRecord func(index int, data []byte) error) (firehoseRequest, error) {
	p.br.Reset(r)
	defer p.br.Reset(nil)

	var req firehoseRequest
	var seenID, seenTimestamp, seenRecords bool

	if err := p.expect('{'); err != nil {
		return req, err
	}
	first := true
	for {
		c, err := p.nextNonSpace()
		if err != nil {
			return req, err
		}
		if c == '}' {
			break
		}
		if !first {
			if c != ',' {
				return req, malformed("expected ',' or '}' after a field, found %q", c)
			}
			if c, err = p.nextNonSpace(); err != nil {
				return req, err
			}
		}
		first = false
		if c != '"' {
			return req, malformed("expected a field name, found %q", c)
		}
		key, err := p.readSmallString(maxKeyLength)
		if err != nil {
			return req, err
		}
		if err = p.expect(':'); err != nil {
			return req, err
		}
		switch key {
		case "requestId":
			if seenID {
				return req, malformed("duplicate field requestId")
			}
			seenID = true
			if err = p.expect('"'); err != nil {
				return req, malformed("requestId must be a string")
			}
			id, err := p.readSmallString(maxRequestIDLength)
			if err != nil {
				return req, err
			}
			if id != expectedID {
				return req, malformed("body requestId does not match the X-Amz-Firehose-Request-Id header")
			}
			req.RequestID = id
		case "timestamp":
			if seenTimestamp {
				return req, malformed("duplicate field timestamp")
			}
			seenTimestamp = true
			if req.Timestamp, err = p.readInteger(); err != nil {
				return req, err
			}
			req.HasTimestamp = true
		case "records":
			if seenRecords {
				return req, malformed("duplicate field records")
			}
			seenRecords = true
			if req.Records, err = p.readRecords(onRecord); err != nil {
				return req, err
			}
		default:
			if err = p.skipValue(0); err != nil {
				return req, err
			}
		}
	}
	if _, err := p.nextNonSpace(); err == nil {
		return req, malformed("unexpected data after the JSON object")
	} else if !errors.Is(err, io.ErrUnexpectedEOF) {
		return req, err
	}
	if !seenID {
		return req, malformed("missing requestId")
	}
	if !seenRecords {
		return req, malformed("missing records")
	}
	return req, nil
}

func (p *requestParser) readRecords(onRecord func(int, []byte) error) (int, error) {
	if err := p.expect('['); err != nil {
		return 0, malformed("records must be an array")
	}
	count := 0
	for {
		c, err := p.nextNonSpace()
		if err != nil {
			return count, err
		}
		if c == ']' {
			if count == 0 {
				return 0, malformed("records is empty")
			}
			return count, nil
		}
		if count > 0 {
			if c != ',' {
				return count, malformed("expected ',' or ']' in records, found %q", c)
			}
			if c, err = p.nextNonSpace(); err != nil {
				return count, err
			}
		}
		if count == maxRecordsPerRequest {
			return count, malformed("more than %d records", maxRecordsPerRequest)
		}
		if c != '{' {
			return count, malformed("record %d is not an object", count)
		}
		data, err := p.readRecordObject(count)
		if err != nil {
			return count, err
		}
		if err = onRecord(count, data); err != nil {
			return count, &recordError{Index: count, Err: err}
		}
		count++
	}
}

// readRecordObject reads {"data": "<base64>"} (after its '{') and returns the decoded bytes.
func (p *requestParser) readRecordObject(index int) ([]byte, error) {
	var data []byte
	seenData := false
	first := true
	for {
		c, err := p.nextNonSpace()
		if err != nil {
			return nil, err
		}
		if c == '}' {
			break
		}
		if !first {
			if c != ',' {
				return nil, malformed("record %d: expected ',' or '}', found %q", index, c)
			}
			if c, err = p.nextNonSpace(); err != nil {
				return nil, err
			}
		}
		first = false
		if c != '"' {
			return nil, malformed("record %d: expected a field name, found %q", index, c)
		}
		key, err := p.readKey()
		if err != nil {
			return nil, err
		}
		isData := string(key) == "data" // compared without allocating
		if err = p.expect(':'); err != nil {
			return nil, err
		}
		if !isData {
			if err = p.skipValue(0); err != nil {
				return nil, err
			}
			continue
		}
		if seenData {
			return nil, malformed("record %d: duplicate field data", index)
		}
		seenData = true
		if err = p.expect('"'); err != nil {
			return nil, malformed("record %d: data must be a string", index)
		}
		if data, err = p.readRecordData(index); err != nil {
			return nil, err
		}
	}
	if !seenData {
		return nil, malformed("record %d: missing data", index)
	}
	return data, nil
}

// readRecordData reads the rest of a base64 string and decodes it. It stops reading as soon as the text is longer than
// what maxRecordSize bytes encode to.
func (p *requestParser) readRecordData(index int) ([]byte, error) {
	text, err := p.readString(p.text[:0], p.maxBase64Len)
	p.text = text[:0]
	if errors.Is(err, errStringTooLong) {
		return nil, &recordError{Index: index, Err: fmt.Errorf("record larger than %d bytes once decoded (max_record_size)", p.maxRecordSize)}
	}
	if err != nil {
		return nil, err
	}
	// One buffer for every record: the callback must not keep the bytes (each receiver's Batch copies what it keeps;
	// guarded by firehosemetricsreceiver's TestDecoderDoesNotRetainRecordBytes and firehoselogsreceiver's
	// TestRecordBytesAreNotRetained).
	need := base64.StdEncoding.DecodedLen(len(text))
	if cap(p.decoded) < need {
		p.decoded = make([]byte, need)
	}
	decoded := p.decoded[:need]
	n, err := base64.StdEncoding.Decode(decoded, text)
	if err != nil {
		return nil, &recordError{Index: index, Err: fmt.Errorf("data is not valid base64: %w", err)}
	}
	if n > p.maxRecordSize {
		return nil, &recordError{Index: index, Err: fmt.Errorf("record larger than %d bytes once decoded (max_record_size)", p.maxRecordSize)}
	}
	return decoded[:n], nil
}
