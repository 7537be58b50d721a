package firehosemetricsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver"

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Limits of the Firehose HTTP endpoint contract (firehose-http-endpoint.md §2.2).
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
		return nil, &recordError{Index: index, Err: fmt.Errorf("record larger than %d bytes once decoded", p.maxRecordSize)}
	}
	if err != nil {
		return nil, err
	}
	// One buffer for every record: the callback must not keep the bytes (the decoder copies what it keeps; guarded by
	// TestDecoderDoesNotRetainRecordBytes).
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
		return nil, &recordError{Index: index, Err: fmt.Errorf("record larger than %d bytes once decoded", p.maxRecordSize)}
	}
	return decoded[:n], nil
}

var errStringTooLong = errors.New("string too long")

// readKey reads the rest of an object key; the bytes are valid until the next read.
func (p *requestParser) readKey() ([]byte, error) {
	s, err := p.readString(p.scratch[:0], maxKeyLength)
	p.scratch = s[:0]
	if errors.Is(err, errStringTooLong) {
		return nil, malformed("field name longer than %d bytes", maxKeyLength)
	}
	return s, err
}

// readSmallString reads the rest of a JSON string (after its opening quote) of at most maxLen bytes.
func (p *requestParser) readSmallString(maxLen int) (string, error) {
	s, err := p.readString(p.scratch[:0], maxLen)
	p.scratch = s[:0]
	if errors.Is(err, errStringTooLong) {
		return "", malformed("string longer than %d bytes", maxLen)
	}
	if err != nil {
		return "", err
	}
	return string(s), nil
}

// readUnknownString reads the rest of a string of a field the contract does not define (bounded, then dropped).
func (p *requestParser) readUnknownString() (string, error) {
	s, err := p.readString(p.scratch[:0], maxUnknownStringLength)
	p.scratch = s[:0]
	if errors.Is(err, errStringTooLong) {
		return "", malformed("unknown field with a string longer than %d bytes", maxUnknownStringLength)
	}
	return "", err
}

// readString appends the unescaped content of a JSON string (after its opening quote) to dst. It reads the input in
// chunks up to the next quote and stops with errStringTooLong as soon as the raw text exceeds maxLen bytes.
func (p *requestParser) readString(dst []byte, maxLen int) ([]byte, error) {
	start := len(dst)
	for {
		chunk, err := p.br.ReadSlice('"')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return dst, eofIsUnexpected(err)
		}
		if len(dst)-start+len(chunk) > maxLen+1 { // +1: the closing quote
			return dst, errStringTooLong
		}
		dst = append(dst, chunk...)
		if err != nil { // buffer full: no quote yet
			continue
		}
		// The quote closes the string unless it is escaped by an odd number of backslashes.
		backslashes := 0
		for i := len(dst) - 2; i >= start && dst[i] == '\\'; i-- {
			backslashes++
		}
		if backslashes%2 == 1 {
			continue
		}
		dst = dst[:len(dst)-1]
		raw := dst[start:]
		for _, b := range raw {
			if b < 0x20 {
				return dst, malformed("control character in a string")
			}
		}
		if bytes.IndexByte(raw, '\\') >= 0 {
			unescaped, err := unescapeJSON(raw)
			if err != nil {
				return dst, err
			}
			dst = append(dst[:start], unescaped...)
		}
		if !utf8.Valid(dst[start:]) {
			return dst, malformed("string is not valid UTF-8")
		}
		return dst, nil
	}
}

// unescapeJSON resolves the escapes of a JSON string's content.
func unescapeJSON(raw []byte) ([]byte, error) {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		b := raw[i]
		if b != '\\' {
			out = append(out, b)
			continue
		}
		i++
		if i >= len(raw) {
			return nil, malformed("bad escape in a string")
		}
		switch raw[i] {
		case '"', '\\', '/':
			out = append(out, raw[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(raw, i+1)
			if !ok {
				return nil, malformed("bad \\u escape in a string")
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if r2, ok2 := hex4(raw, i+3); ok2 && i+2 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
						i += 6
					}
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, malformed("bad escape in a string")
		}
	}
	return out, nil
}

func hex4(b []byte, at int) (rune, bool) {
	if at+4 > len(b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[at:at+4]), 16, 32)
	return rune(v), err == nil
}

// readInteger reads a JSON number that must be an integer (the epoch-milliseconds timestamp).
func (p *requestParser) readInteger() (int64, error) {
	c, err := p.nextNonSpace()
	if err != nil {
		return 0, err
	}
	var digits [24]byte
	n := 0
	for {
		if c != '-' && (c < '0' || c > '9') {
			if err := p.br.UnreadByte(); err != nil {
				return 0, err
			}
			break
		}
		if n == len(digits) {
			return 0, malformed("timestamp is too long")
		}
		digits[n] = c
		n++
		if c, err = p.br.ReadByte(); err != nil {
			return 0, eofIsUnexpected(err)
		}
	}
	v, perr := strconv.ParseInt(string(digits[:n]), 10, 64)
	if perr != nil || !json.Valid(digits[:n]) {
		return 0, malformed("timestamp must be an integer of epoch milliseconds")
	}
	return v, nil
}

// skipValue reads past one JSON value of a field the contract does not define, without storing it.
func (p *requestParser) skipValue(depth int) error {
	if depth > maxSkipDepth {
		return malformed("unknown field nested too deeply")
	}
	c, err := p.nextNonSpace()
	if err != nil {
		return err
	}
	switch {
	case c == '"':
		_, err := p.readUnknownString()
		return err
	case c == '{' || c == '[':
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		first := true
		for {
			c, err := p.nextNonSpace()
			if err != nil {
				return err
			}
			if c == closing {
				return nil
			}
			if !first {
				if c != ',' {
					return malformed("bad separator in an unknown field")
				}
			} else if err = p.br.UnreadByte(); err != nil {
				return err
			}
			first = false
			if closing == '}' {
				if err = p.expect('"'); err != nil {
					return err
				}
				if _, err = p.readUnknownString(); err != nil {
					return err
				}
				if err = p.expect(':'); err != nil {
					return err
				}
			}
			if err = p.skipValue(depth + 1); err != nil {
				return err
			}
		}
	case c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n':
		// number or literal: read while the bytes can belong to one, then check it
		token := append(p.scratch[:0], c)
		for {
			b, err := p.br.ReadByte()
			if err != nil {
				return eofIsUnexpected(err)
			}
			if !isScalarByte(b) {
				p.scratch = token[:0]
				if !json.Valid(token) {
					return malformed("invalid value %q in an unknown field", token)
				}
				return p.br.UnreadByte()
			}
			if len(token) == maxKeyLength {
				return malformed("number in an unknown field is too long")
			}
			token = append(token, b)
		}
	default:
		return malformed("unexpected %q", c)
	}
}

func isScalarByte(b byte) bool {
	return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || b == '.' || b == '-' || b == '+' || b == 'E'
}

// expect reads the next non-space byte and checks it.
func (p *requestParser) expect(want byte) error {
	c, err := p.nextNonSpace()
	if err != nil {
		return err
	}
	if c != want {
		return malformed("expected %q, found %q", want, c)
	}
	return nil
}

// nextNonSpace returns the next byte that is not JSON whitespace. The end of the input is io.ErrUnexpectedEOF.
func (p *requestParser) nextNonSpace() (byte, error) {
	for {
		c, err := p.br.ReadByte()
		if err != nil {
			return 0, eofIsUnexpected(err)
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c, nil
	}
}

func eofIsUnexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errMalformedRequest, fmt.Sprintf(format, args...))
}
