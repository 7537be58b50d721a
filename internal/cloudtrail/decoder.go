// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package cloudtrail decodes CloudTrail log files (gzip-compressed {"Records":[...]} JSON) into plog.Logs,
// streaming: memory stays bounded by one record and one batch whatever the size of the file.
package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"context"
	"io"
	"sync"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// Decoder turns CloudTrail log files into plog.Logs. It is safe for concurrent use; each Decode call borrows
// pooled buffers.
type Decoder struct {
	opts Options
	pool sync.Pool
}

// NewDecoder returns a Decoder with the given options.
func NewDecoder(opts Options) *Decoder {
	if opts.MaxBatchRecords <= 0 {
		opts.MaxBatchRecords = DefaultMaxBatchRecords
	}
	d := &Decoder{opts: opts}
	d.pool.New = func() any { return newDecodeState() }
	return d
}

// Decode streams r (gzip detected by its magic bytes; plain JSON is accepted too) and calls emit with batches of
// at most MaxBatchRecords records, never holding the whole object or its decompressed form in memory.
//
// Errors:
//   - an error returned by emit stops decoding and is returned unchanged;
//   - ctx cancellation stops decoding and returns ctx.Err();
//   - bad gzip data, invalid or truncated JSON, or a JSON body without a "Records" array: ErrCorrupt (wrapped);
//   - more than MaxObjectBytes decompressed bytes: ErrTooLarge (wrapped);
//   - a failing r: its error, wrapped with ErrObjectRead (not the object's fault: read it again).
//
// With ErrCorrupt and ErrTooLarge, the complete records decoded before the problem are still emitted first
// (retrying cannot recover them); with other errors nothing more is emitted. Stats count what emit accepted.
func (d *Decoder) Decode(ctx context.Context, r io.Reader, obj Object, observed time.Time, emit func(plog.Logs) error) (Stats, error) {
	stats, last, err := d.DecodeHoldingLast(ctx, r, obj, observed, nil, emit)
	if last.LogRecordCount() == 0 {
		return stats, err
	}
	if emitErr := emit(last); emitErr != nil {
		return stats, emitErr
	}
	stats.Records += int64(last.LogRecordCount())
	return stats, err
}

// DecodeHoldingLast is Decode, except that the last batch is returned instead of emitted (an empty plog.Logs when
// there is none, or when decoding stopped on an error other than ErrCorrupt and ErrTooLarge). The decoder's buffers
// are back in its pool when it returns, so a caller that hands the last batch to a slow pipeline afterwards holds
// nothing but the batch while it waits: a small file is then one batch, handed over after reading. Stats.Records
// does not count the returned batch. tap, when not nil, is the caller's hook on the input (see Tap).
func (d *Decoder) DecodeHoldingLast(ctx context.Context, r io.Reader, obj Object, observed time.Time, tap *Tap, emit func(plog.Logs) error) (Stats, plog.Logs, error) {
	s := d.pool.Get().(*decodeState)
	defer d.release(s)

	run := decodeRun{
		ctx:        ctx,
		r:          r,
		tap:        tap,
		opts:       &d.opts,
		emit:       emit,
		bucket:     obj.Bucket,
		key:        obj.Key,
		keyAccount: accountFromKey(obj.Key),
		observed:   pcommon.NewTimestampFromTime(observed),
	}
	if d.opts.IncludeObjectKey {
		run.objectKey = obj.Bucket + "/" + obj.Key
	}
	err := s.decode(&run)
	run.stats.DecompressedBytes = s.consumed
	if run.heldRecords == 0 {
		return run.stats, plog.NewLogs(), err
	}
	return run.stats, run.held, err
}

func (d *Decoder) release(s *decodeState) {
	s.release()
	d.pool.Put(s)
}

// decodeRun is the per-call context of one Decode.
type decodeRun struct {
	ctx        context.Context
	r          io.Reader
	tap        *Tap
	opts       *Options
	emit       func(plog.Logs) error
	bucket     string
	key        string
	objectKey  string
	keyAccount string
	observed   pcommon.Timestamp
	stats      Stats
	// held is the last batch, kept for the caller (heldRecords records; none when 0).
	held        plog.Logs
	heldRecords int
}

// decodeState holds the reusable buffers of one decoding goroutine.
type decodeState struct {
	parser
	input  input
	fields recordFields
	// selected holds the fields event selection looks at, for the record being decided on.
	selected eventFields
	// passed holds the other fields read from a record that passes through; bodies holds the bodies of such records.
	passed rawFields
	bodies stringArena
	attrs  []attr
	batch  batch
}

func newDecodeState() *decodeState {
	s := &decodeState{}
	s.intern = newInternTable()
	s.tape.nodes = make([]node, 0, 256)
	return s
}

// Limits above which pooled buffers are dropped instead of kept (after an unusually large record).
const (
	maxPooledTapeNodes    = 1 << 14
	maxPooledScratchBytes = 1 << 20
)

func (s *decodeState) release() {
	s.giveUpLent() // the buffer belongs to the records emitted
	s.input.release()
	s.src, s.chunks, s.buf = nil, nil, nil
	s.batch.release()
	if cap(s.tape.nodes) > maxPooledTapeNodes {
		s.tape.nodes = make([]node, 0, 256)
	} else {
		clear(s.tape.nodes[:cap(s.tape.nodes)])
		s.tape.nodes = s.tape.nodes[:0]
	}
	if cap(s.scratch) > maxPooledScratchBytes {
		s.scratch = nil
	}
	if cap(s.blob) > maxPooledScratchBytes {
		s.blob = nil
	}
	if cap(s.raw) > maxPooledScratchBytes {
		s.raw = nil
	}
	s.selected = eventFields{}
	s.passed = rawFields{}
	s.bodies = stringArena{} // its chunk belongs to the records emitted
	clear(s.attrs)
	s.attrs = s.attrs[:0]
}

// accountFromKey extracts <account-id> from "[prefix/]AWSLogs/[o-org/]<account-id>/...", or returns "".
func accountFromKey(key string) string {
	const marker = "AWSLogs/"
	for i := 0; i+len(marker) <= len(key); i++ {
		if key[i:i+len(marker)] != marker {
			continue
		}
		rest := key[i+len(marker):]
		if len(rest) > 2 && rest[0] == 'o' && rest[1] == '-' {
			for j := 2; j < len(rest); j++ {
				if rest[j] == '/' {
					rest = rest[j+1:]
					break
				}
			}
		}
		if len(rest) > 12 && rest[12] == '/' {
			if _, ok := digits(rest[:12]); ok {
				return rest[:12]
			}
		}
	}
	return ""
}
