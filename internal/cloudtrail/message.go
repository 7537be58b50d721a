// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"context"
	"io"
	"sync"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// MessageDecoder decodes CloudTrail records one at a time, each given as its own JSON text: the messages of a
// CloudWatch Logs group a trail delivers to. A record becomes the log record Decoder makes of the same record in a
// log file (same body, map or pass-through string; timestamp, severity, semantic attributes, resource per account
// and region, scope, event selection, MaxValueBytes), through the same code: the element loop of a log file runs on
// the message's bytes. Only the attributes of the S3 object (aws.s3.bucket, aws.s3.key, s3_object_key) are left out:
// the caller adds where the message came from. It is safe for concurrent use; each MessageBatch holds pooled buffers.
type MessageDecoder struct {
	opts Options
	pool sync.Pool
}

// NewMessageDecoder returns a MessageDecoder. MaxBatchRecords, MaxObjectBytes and IncludeObjectKey do not apply to
// messages: a MessageBatch holds whatever its caller adds to it, and there is no object.
func NewMessageDecoder(opts Options) *MessageDecoder {
	opts.MaxBatchRecords = messageBatchCapacity
	opts.MaxObjectBytes = 0
	opts.IncludeObjectKey = false
	d := &MessageDecoder{opts: opts}
	d.pool.New = func() any { return newDecodeState() }
	return d
}

// messageBatchCapacity is the record capacity reserved up front for the first resource of a MessageBatch (the batch
// uses MaxBatchRecords for that): a Firehose request often carries a few events only.
const messageBatchCapacity = 64

// MessageOutcome says what MessageBatch.Add made of a message.
type MessageOutcome uint8

const (
	// NotRecord: the message is not a CloudTrail record; nothing was added (the caller ships it as it is).
	NotRecord MessageOutcome = iota
	// Added: one log record was added to the batch.
	Added
	// Dropped: a CloudTrail record that event selection excluded; nothing was added.
	Dropped
)

func (o MessageOutcome) String() string {
	switch o {
	case Added:
		return "added"
	case Dropped:
		return "dropped"
	default:
		return "not a record"
	}
}

// IsRecordMessage is the cheap first test of a message: whether it starts as CloudTrail writes every record, a JSON
// object whose first member is "eventVersion" (whitespace allowed around the tokens). It reads a few bytes, so
// messages of other log groups cost next to nothing. Add then requires the rest: one JSON object and nothing after
// it, with a top-level eventTime the S3 path accepts.
func IsRecordMessage(message string) bool {
	const member = `"eventVersion"`
	i := skipSpaceString(message, 0)
	if i >= len(message) || message[i] != '{' {
		return false
	}
	i = skipSpaceString(message, i+1)
	if len(message)-i < len(member) || message[i:i+len(member)] != member {
		return false
	}
	i = skipSpaceString(message, i+len(member))
	return i < len(message) && message[i] == ':'
}

func skipSpaceString(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// MessageBatch collects the log records made of the messages of one batch (a Firehose request), in one plog.Logs:
// one ResourceLogs per (account, region) in order of first use, as Decoder's batches. It is not safe for concurrent
// use. A batch that is abandoned (its request refused) needs no call: its pooled buffers are left to the garbage
// collector.
type MessageBatch struct {
	d   *MessageDecoder
	s   *decodeState
	run decodeRun
	msg []byte // the message being decoded, which the scanner reads in place of its stream buffer
	// added and dropped count the outcomes so far (Added, Dropped).
	added, dropped int
}

// NewBatch starts a batch whose records have the observed timestamp observed.
func (d *MessageDecoder) NewBatch(observed time.Time) *MessageBatch {
	s := d.pool.Get().(*decodeState)
	s.maxString = d.opts.MaxValueBytes
	s.batch.reset()
	return &MessageBatch{
		d: d,
		s: s,
		run: decodeRun{
			ctx:      context.Background(),
			opts:     &d.opts,
			observed: pcommon.NewTimestampFromTime(observed),
		},
	}
}

// Add decodes message, when it is a CloudTrail record, into a log record of the batch, which it returns so that the
// caller can add where the message came from (valid until the next Add). fallbackAccount is the resource's account
// when the record names none (neither recipientAccountId nor userIdentity.accountId): the account of the log group,
// as the S3 path falls back on the account of the object's key.
//
// A message is a CloudTrail record when IsRecordMessage holds and the decoder of log files would ship it: one JSON
// object (nothing but whitespace after it), nested at most 1,000 levels deep, with a valid top-level eventTime.
// Anything else is NotRecord, never an error: the caller ships it as a plain message. Event selection decides on the
// scanned record before that last check, as it does in log files: a message that starts as a record and that a rule
// excludes is Dropped.
func (b *MessageBatch) Add(message string, fallbackAccount string) (MessageOutcome, plog.LogRecord) {
	if !IsRecordMessage(message) {
		return NotRecord, plog.LogRecord{}
	}
	s := b.s
	b.msg = append(b.msg[:0], message...)
	s.buf, s.pos, s.end, s.readErr, s.consumed = b.msg, 0, len(b.msg), io.EOF, int64(len(b.msg))
	s.lendable = false // b.msg is reused for the next message: pass-through bodies are copied
	b.run.keyAccount = fallbackAccount
	droppedBefore, recordsBefore := b.run.stats.DroppedRecords, s.batch.records

	kept, raw, err := s.decodeElement(&b.run)
	if err != nil || !s.atEnd() {
		return NotRecord, plog.LogRecord{}
	}
	if !kept {
		if b.run.stats.DroppedRecords == droppedBefore {
			return NotRecord, plog.LogRecord{} // too deep: the log-file decoder skips it
		}
		b.dropped++
		return Dropped, plog.LogRecord{}
	}
	if err := s.appendElement(&b.run, raw); err != nil || s.batch.records == recordsBefore {
		return NotRecord, plog.LogRecord{} // not an object, or no valid eventTime: skipped in a log file
	}
	records := s.batch.groups[s.batch.last].records
	lr := records.At(records.Len() - 1)
	b.added++
	return Added, lr
}

// atEnd reports whether only whitespace is left of the message.
func (s *decodeState) atEnd() bool {
	_, err := s.peek()
	return err == io.EOF
}

// Logs returns the batch's log records and gives its buffers back to the decoder's pool: the batch cannot be used
// afterwards. Added and Dropped still count what it did.
func (b *MessageBatch) Logs() plog.Logs {
	logs := b.s.batch.logs
	b.s.buf = nil // the message
	b.s.release()
	b.d.pool.Put(b.s)
	b.s, b.msg = nil, nil
	return logs
}

// Added is the number of log records added so far.
func (b *MessageBatch) Added() int { return b.added }

// Dropped is the number of records event selection excluded so far.
func (b *MessageBatch) Dropped() int { return b.dropped }

// decodeElement reads the next element of a Records array as decodeRecords reads it (pass-through, event selection
// or the parser) and says whether to build it: raw holds its bytes when it passes through. A record nested too
// deeply is consumed and counted as skipped (kept false).
// It is the first half of decodeRecords' loop body.
func (s *decodeState) decodeElement(run *decodeRun) (kept bool, raw []byte, err error) {
	kept = true
	switch sel := run.opts.Selection; {
	case run.opts.PassThrough:
		raw, kept, err = s.passRecord(run)
	case sel != nil:
		kept, err = s.selectRecord(sel, &run.stats)
	default:
		err = s.parseRecord()
	}
	if err == errTooDeep {
		run.stats.SkippedRecords++
		return false, nil, nil
	}
	return kept, raw, err
}

// appendElement builds an element decodeElement kept: the second half of decodeRecords' loop body.
func (s *decodeState) appendElement(run *decodeRun, raw []byte) error {
	if raw != nil {
		return s.appendRawRecord(run, raw)
	}
	s.appendRecord(run)
	return nil
}
