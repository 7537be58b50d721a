// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver"

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/klauspost/compress/gzip"
)

// recordDecoder reads the Firehose records of one request into its logsBuilder. Each record is, as Firehose delivers
// CloudWatch Logs subscriptions:
//
//   - gzip (as CloudWatch Logs sends it) of a subscription document: decompressed up to max_decompressed_record_size;
//   - a subscription document Firehose decompressed (decompression on, message extraction off);
//   - the messages alone, one per line (decompression and message extraction on).
type recordDecoder struct {
	format    Format
	maxRecord int64 // max_decompressed_record_size
	maxTotal  int64 // max_decompressed_request_size
	remaining int64 // what the request's records may still decompress to
	decoder   messageDecoder
	out       *logsBuilder

	detected        Format // format of the first record that told it
	records         int
	controlMessages int
}

func newRecordDecoder(cfg *Config, decoder messageDecoder, out *logsBuilder) *recordDecoder {
	return &recordDecoder{
		format:    cfg.Format,
		maxRecord: int64(cfg.MaxDecompressedRecordSize),
		maxTotal:  cfg.MaxDecompressedRequestSize,
		remaining: cfg.MaxDecompressedRequestSize,
		decoder:   decoder,
		out:       out,
	}
}

var (
	errTooLarge = errors.New("over the cap")
	newline     = []byte{'\n'}
)

// add decodes one record. data is only valid during the call: whatever is kept is copied.
func (d *recordDecoder) add(data []byte) error {
	d.records++
	if isGzip(data) {
		if d.format == FormatMessages {
			return errors.New("the record is gzip-compressed, as CloudWatch Logs sends subscription records, but format is messages: set format: auto or subscription (or turn on the stream's decompression and message extraction)")
		}
		s := getScratch()
		defer putScratch(s)
		plain, err := d.gunzip(s, data)
		if err != nil {
			return err
		}
		return d.addSubscription(s, plain, true)
	}
	if err := d.charge(int64(len(data))); err != nil {
		return err
	}
	switch {
	case d.format == FormatMessages:
		return d.addMessages(data)
	case d.format == FormatSubscription:
		s := getScratch()
		defer putScratch(s)
		return d.addSubscription(s, data, true)
	case mayBeSubscription(data):
		s := getScratch()
		defer putScratch(s)
		if err := d.addSubscription(s, data, false); !errors.Is(err, errNotSubscription) {
			return err
		}
	}
	return d.addMessages(data)
}

// addMessages adds one log event per non-empty line: the record of a stream with message extraction.
func (d *recordDecoder) addMessages(data []byte) error {
	d.detect(FormatMessages)
	var origin eventOrigin
	for i := 0; len(data) > 0; {
		var line []byte
		line, data, _ = bytes.Cut(data, newline)
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if len(line) == 0 {
			continue
		}
		event := logEvent{Message: toString(line)}
		if err := d.decoder.decodeEvent(&origin, &event, d.out); err != nil {
			return fmt.Errorf("message %d: %w", i, err)
		}
		i++
	}
	return nil
}

// gunzip decompresses a record into the scratch buffer, up to max_decompressed_record_size and what is left of
// max_decompressed_request_size: a gzip bomb stops there.
func (d *recordDecoder) gunzip(s *scratch, data []byte) ([]byte, error) {
	limit := min(d.maxRecord, d.remaining)
	s.src.Reset(data)
	var err error
	if s.zr == nil {
		s.zr, err = gzip.NewReader(&s.src)
	} else {
		err = s.zr.Reset(&s.src)
	}
	if err != nil {
		return nil, fmt.Errorf("the record starts like gzip but is not valid gzip: %v", err)
	}
	plain, err := readCapped(s.zr, s.buf[:0], limit)
	s.buf = plain[:0]
	switch {
	case errors.Is(err, errTooLarge) && limit == d.maxRecord:
		return nil, fmt.Errorf("the record decompresses to more than max_decompressed_record_size (%d bytes); raise it if the stream's records are that large", d.maxRecord)
	case errors.Is(err, errTooLarge):
		return nil, d.overTotal()
	case err != nil:
		return nil, fmt.Errorf("the record is not valid gzip: %v", err)
	}
	d.remaining -= int64(len(plain))
	return plain, nil
}

// charge counts an uncompressed record against max_decompressed_request_size.
func (d *recordDecoder) charge(n int64) error {
	if n > d.remaining {
		return d.overTotal()
	}
	d.remaining -= n
	return nil
}

func (d *recordDecoder) overTotal() error {
	return fmt.Errorf("the request's records decompress to more than max_decompressed_request_size (%d bytes): lower the stream's buffer size or raise max_decompressed_request_size", d.maxTotal)
}

func (d *recordDecoder) detect(f Format) {
	if d.detected == "" {
		d.detected = f
	}
}

// isGzip reports whether data starts with the gzip magic number.
func isGzip(data []byte) bool {
	return len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b
}

// readCapped appends what r yields to buf until EOF; more than limit bytes is errTooLarge. The buffer never grows
// beyond limit+1 bytes on its own account.
func readCapped(r io.Reader, buf []byte, limit int64) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			room := min(max(int64(cap(buf)), 64<<10), limit+1-int64(len(buf)))
			if room <= 0 {
				return buf, errTooLarge
			}
			buf = slices.Grow(buf, int(room))
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return buf, errTooLarge
		}
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// toString copies a message out of the request's buffer; invalid UTF-8 becomes U+FFFD, as encoding/json does for
// the messages of subscription documents.
func toString(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// scratch is what decoding a record needs besides the builder, reused across records and requests.
type scratch struct {
	src bytes.Reader
	zr  *gzip.Reader
	buf []byte
	doc subscriptionDocument
}

// maxPooledBuffer: a larger decompression buffer (a rare huge record) is left to the garbage collector.
const maxPooledBuffer = 4 << 20

var scratches = sync.Pool{New: func() any { return new(scratch) }}

func getScratch() *scratch { return scratches.Get().(*scratch) }

func putScratch(s *scratch) {
	s.src.Reset(nil)
	if cap(s.buf) > maxPooledBuffer {
		s.buf = nil
	}
	scratches.Put(s)
}
