// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"errors"
	"unsafe"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// The scope attribute that marks string bodies as JSON objects: the logzio exporter's document.JSONBodyAttribute and
// document.JSONBodyFormat (its README, "JSON bodies"), which write such a body as they write the map it stands for.
const (
	JSONBodyAttribute = "logzio.body_format"
	JSONBodyFormat    = "json"
)

// passRecord reads the next element of Records with Options.PassThrough. A record that rawScan accepts is returned
// as its bytes (raw; valid until the next record), after event selection; any other element is read as without
// pass-through (onto the tape, kept reports whether to build it), so that what ships, what is skipped and every
// error stay the same.
func (s *decodeState) passRecord(run *decodeRun) (raw []byte, kept bool, err error) {
	sel := run.opts.Selection
	c, err := s.next()
	if err != nil {
		return nil, false, err
	}
	if c != '{' {
		return nil, true, s.parseRecord() // appendRecord counts it as skipped
	}
	start := s.offset()
	b := s.buf[s.pos:s.end]
	n, err := scanRawRecord(b, &s.selected, &s.passed, s.maxString)
	switch {
	case err == nil:
		s.pos += n
		return s.selectRaw(sel, b[:n], &run.stats)
	case errors.Is(err, errIncomplete):
		// The record crosses the end of the buffer: captured whole (as event selection does), then checked again.
		b, err = s.captureRecord(start)
		if errors.Is(err, errTooDeep) {
			return nil, false, s.skipTooDeepCaptured(b, start)
		}
		if err != nil {
			return nil, false, err
		}
		if n, err := scanRawRecord(b, &s.selected, &s.passed, s.maxString); err == nil && n == len(b) {
			return s.selectRaw(sel, b, &run.stats)
		}
		kept, err = s.decideCaptured(sel, b, start, &run.stats)
		return nil, kept, err
	case sel != nil:
		// Nothing consumed: read from the stream as without pass-through.
		kept, err = s.selectRecord(sel, &run.stats)
		return nil, kept, err
	default:
		return nil, true, s.parseRecord()
	}
}

// selectRaw applies event selection to a record rawScan accepted.
func (s *decodeState) selectRaw(sel *Selector, raw []byte, stats *Stats) ([]byte, bool, error) {
	if sel != nil && !sel.keep(&s.selected) {
		stats.DroppedRecords++
		return nil, false, nil
	}
	return raw, true, nil
}

// decideCaptured reads a captured record that rawScan did not accept as selectRecord reads one: the field scan
// decides, and a kept record is parsed onto the tape.
func (s *decodeState) decideCaptured(sel *Selector, raw []byte, start int64, stats *Stats) (bool, error) {
	if sel != nil {
		if n, err := scanEventFields(raw, &s.selected); err != nil || n != len(raw) {
			return false, s.fieldScanError(start, err)
		}
		if !sel.keep(&s.selected) {
			stats.DroppedRecords++
			return false, nil
		}
	}
	return true, s.parseCaptured(raw, start)
}

// appendRawRecord turns a record rawScan accepted into a log record of the current batch whose body is the record's
// bytes, or counts it as skipped; everything else is what appendRecord gives the same record.
func (s *decodeState) appendRawRecord(run *decodeRun, raw []byte) error {
	p, f := &s.passed, &s.selected
	ts, ok := parseEventTime(bytesView(p.eventTime))
	if !ok {
		run.stats.SkippedRecords++
		return nil
	}
	account := bytesView(f.strs[selRecipient])
	if account == "" && p.hasIdentityAccount {
		account = bytesView(p.identityAccount)
	}
	if account == "" {
		account = run.keyAccount
	}
	failed := f.has[selErrorCode] && len(f.strs[selErrorCode]) > 0
	if !run.opts.SemanticAttributes {
		lr, _ := s.newRecord(run, account, bytesView(f.strs[selRegion]), ts, failed, 0)
		lr.Body().SetStr(s.passBody(raw))
		return nil
	}
	// The attributes come from the parsed record, as without pass-through; the body stays the bytes.
	if err := s.parseCaptured(raw, s.offset()-int64(len(raw))); err != nil {
		return err
	}
	t := &s.tape
	t.scanFields(&s.fields)
	s.attrs = t.semanticAttributes(&s.fields, s.attrs[:0])
	lr, attrs := s.newRecord(run, account, bytesView(f.strs[selRegion]), ts, failed, len(s.attrs))
	lr.Body().SetStr(s.passBody(raw))
	t.putAttrs(attrs, s.attrs, pcommon.NewMap())
	return nil
}

// passBody returns the body string of a pass-through record: its bytes where the scanner's read buffer holds them
// (see scanner.lend), else a copy in the bodies arena (a record captured across two reads, or a message's).
func (s *decodeState) passBody(raw []byte) string {
	if body, ok := s.lend(raw); ok {
		return body
	}
	return s.bodies.copy(raw)
}

// bytesView returns b as a string without copying, for use while b does not change.
func bytesView(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// Chunks of pass-through bodies start at minBodyChunk bytes per Decode and double up to maxBodyChunk, so that a small
// object does not hold a large chunk alive.
const (
	minBodyChunk = 16 << 10
	maxBodyChunk = 256 << 10
)

// stringArena copies the bodies of pass-through records into shared chunks, one allocation for many records. A
// chunk is only ever appended to, and a full one is left to the records pointing into it (the GC frees it with the
// last of them), so every string handed out stays unchanged.
type stringArena struct {
	chunk []byte
}

func (a *stringArena) copy(b []byte) string {
	if len(b) > cap(a.chunk)-len(a.chunk) {
		size := min(max(2*cap(a.chunk), minBodyChunk), maxBodyChunk)
		if len(b) > size/4 {
			return string(b)
		}
		a.chunk = make([]byte, 0, size)
	}
	start := len(a.chunk)
	a.chunk = append(a.chunk, b...)
	return unsafe.String(&a.chunk[start], len(b))
}
