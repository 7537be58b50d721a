// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"errors"
	"fmt"
	"io"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// ctxCheckInterval is how many records are decoded between checks of ctx.
const ctxCheckInterval = 64

func (s *decodeState) decode(run *decodeRun) error {
	if err := run.ctx.Err(); err != nil {
		return err
	}
	s.input.tap = run.tap
	src, chunks, err := s.input.open(run.r)
	if err != nil {
		return err
	}
	s.reset(src, chunks, run.opts.MaxObjectBytes, s.input.classify)
	s.maxString = run.opts.MaxValueBytes
	s.batch.reset()
	err = s.decodeBody(run)
	if err != nil && (errors.Is(err, ErrCorrupt) || errors.Is(err, ErrTooLarge)) {
		// The object is permanently unreadable past this point: hand over what was complete before it.
		if holdErr := s.holdLast(run); holdErr != nil {
			return holdErr
		}
		return err
	}
	if err != nil {
		return err
	}
	return s.holdLast(run)
}

// holdLast keeps the pending batch, if any, in run.held for the caller of DecodeHoldingLast instead of emitting it.
func (s *decodeState) holdLast(run *decodeRun) error {
	if s.batch.records == 0 {
		return nil
	}
	if err := run.ctx.Err(); err != nil {
		return err
	}
	run.held, run.heldRecords = s.batch.logs, s.batch.records
	s.batch.reset()
	return nil
}

// decodeBody reads {"Records":[...], ...}: other top-level members are skipped, Records may be empty.
func (s *decodeState) decodeBody(run *decodeRun) error {
	c, err := s.peek()
	if err == io.EOF {
		return fmt.Errorf("%w: not a CloudTrail log file: the body is empty", ErrCorrupt)
	}
	if err != nil {
		return err
	}
	if c != '{' {
		return fmt.Errorf("%w: not a CloudTrail log file: the body is not a JSON object (starts with %s)", ErrCorrupt, quoteByte(c))
	}
	s.pos++
	foundRecords := false
	if c, err = s.next(); err != nil {
		return err
	}
	if c == '}' {
		s.pos++
	} else {
		for {
			if c != '"' {
				return s.syntaxError("expected a member name, found %s", quoteByte(c))
			}
			name, err := s.readStringBytes()
			if err != nil {
				return err
			}
			isRecords := string(name) == "Records"
			if err := s.expect(':', "':' after member name"); err != nil {
				return err
			}
			if isRecords {
				foundRecords = true
				if err := s.decodeRecords(run); err != nil {
					return err
				}
			} else if err := s.skipValue(1); err != nil {
				return err
			}
			if c, err = s.next(); err != nil {
				return err
			}
			s.pos++
			if c == '}' {
				break
			}
			if c != ',' {
				s.pos--
				return s.syntaxError("expected ',' or '}' in object, found %s", quoteByte(c))
			}
			if c, err = s.next(); err != nil {
				return err
			}
		}
	}
	if !foundRecords {
		return fmt.Errorf("%w: not a CloudTrail log file: the JSON body has no \"Records\" array (digest files and other JSON documents are not log files)", ErrCorrupt)
	}
	switch c, err := s.peek(); {
	case err == io.EOF:
		return nil
	case err != nil:
		return err
	default:
		return s.syntaxError("unexpected %s after the end of the JSON document", quoteByte(c))
	}
}

func (s *decodeState) decodeRecords(run *decodeRun) error {
	c, err := s.next()
	if err != nil {
		return err
	}
	if c != '[' {
		return fmt.Errorf("%w: not a CloudTrail log file: \"Records\" is not an array (starts with %s)", ErrCorrupt, quoteByte(c))
	}
	s.pos++
	if c, err = s.next(); err != nil {
		return err
	}
	if c == ']' {
		s.pos++
		return nil
	}
	for n := 1; ; n++ {
		if n%ctxCheckInterval == 0 {
			if err := run.ctx.Err(); err != nil {
				return err
			}
		}
		kept, raw, err := s.decodeElement(run)
		if err != nil {
			return err
		}
		if kept {
			if err := s.appendElement(run, raw); err != nil {
				return err
			}
		}
		if s.batch.records >= run.opts.MaxBatchRecords {
			if err := s.flush(run); err != nil {
				return err
			}
		}
		if c, err = s.next(); err != nil {
			return err
		}
		s.pos++
		if c == ']' {
			return nil
		}
		if c != ',' {
			s.pos--
			return s.syntaxError("expected ',' or ']' in the Records array, found %s", quoteByte(c))
		}
	}
}

// flush emits the pending batch, if any.
func (s *decodeState) flush(run *decodeRun) error {
	if s.batch.records == 0 {
		return nil
	}
	if err := run.ctx.Err(); err != nil {
		return err
	}
	logs, n := s.batch.logs, s.batch.records
	s.batch.reset()
	if err := run.emit(logs); err != nil {
		return err
	}
	run.stats.Records += int64(n)
	return nil
}

// appendRecord turns the record on the tape into a log record of the current batch, or counts it as skipped.
func (s *decodeState) appendRecord(run *decodeRun) {
	t := &s.tape
	if t.nodes[0].kind != kindObject {
		run.stats.SkippedRecords++
		return
	}
	f := &s.fields
	t.scanFields(f)
	ts, ok := parseEventTime(t.str(f.eventTime))
	if !ok {
		run.stats.SkippedRecords++
		return
	}
	extra := 0
	if run.opts.SemanticAttributes {
		s.attrs = t.semanticAttributes(f, s.attrs[:0])
		extra = len(s.attrs)
	}
	lr, attrs := s.newRecord(run, t.account(f, run.keyAccount), t.str(f.awsRegion), ts, t.str(f.errorCode) != "", extra)
	body := lr.Body().SetEmptyMap()
	t.buildMap(body, 0)
	if run.opts.SemanticAttributes {
		t.putAttrs(attrs, s.attrs, body)
	}
}

// newRecord appends a log record to the (account, region) resource of the current batch, with its timestamps, its
// severity (WARN for a failed call) and the object's attributes; attrs has room for extra more.
func (s *decodeState) newRecord(run *decodeRun, account, region string, ts pcommon.Timestamp, failed bool, extra int) (plog.LogRecord, pcommon.Map) {
	lr := s.batch.recordsFor(account, region, run.opts).AppendEmpty()
	s.batch.records++
	lr.SetTimestamp(ts)
	lr.SetObservedTimestamp(run.observed)
	if failed {
		lr.SetSeverityNumber(plog.SeverityNumberWarn)
		lr.SetSeverityText("WARN")
	} else {
		lr.SetSeverityNumber(plog.SeverityNumberInfo)
		lr.SetSeverityText("INFO")
	}
	attrs := lr.Attributes()
	n := extra
	if run.bucket != "" { // a log file's record; a message (MessageBatch) has no S3 object
		n += 2
	}
	if run.opts.IncludeObjectKey {
		n++
	}
	attrs.EnsureCapacity(n)
	if run.bucket != "" {
		attrs.PutStr("aws.s3.bucket", run.bucket)
		attrs.PutStr("aws.s3.key", run.key)
	}
	if run.opts.IncludeObjectKey {
		attrs.PutStr("s3_object_key", run.objectKey)
	}
	return lr, attrs
}
