// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"
)

// maxHeldRecords bounds the records of one log file held back until the file is hashed (only for files a verified
// digest already listed, so that every record carries its verdict). A larger file is streamed as usual from that
// point and its verdict is reported on its own.
const maxHeldRecords = 20000

// fileCheck follows the integrity of one log file while it is read.
type fileCheck struct {
	lf      logFile
	ref     integrity.ObjectRef
	hasher  *integrity.Hasher
	hold    bool // a verified digest listed the file: hold its records until the verdict is known
	held    []plog.Logs
	records int
}

// startFileCheck returns the check of a log file, or nil when integrity is off or digests do not cover the key.
func (o *objectReader) startFileCheck(bucket, key string) *fileCheck {
	if o.integrity == nil {
		return nil
	}
	lf, ok := o.integrity.logFile(key)
	if !ok {
		return nil
	}
	ref := integrity.ObjectRef{Bucket: bucket, Key: key}
	return &fileCheck{lf: lf, ref: ref, hasher: integrity.NewHasher(), hold: o.integrity.isExpected(ref)}
}

// wrapEmit holds batches back while the file's verdict can still be attached to them.
func (f *fileCheck) wrapEmit(emit func(plog.Logs) error) func(plog.Logs) error {
	return func(ld plog.Logs) error {
		if !f.hold {
			return emit(ld)
		}
		f.held = append(f.held, ld)
		f.records += ld.LogRecordCount()
		if f.records > maxHeldRecords {
			f.hold = false
			return f.flush(emit, "")
		}
		return nil
	}
}

// flush ships the held batches, with the verdict on every record when it is known.
func (f *fileCheck) flush(emit func(plog.Logs) error, verdict integrity.Verdict) error {
	held := f.held
	f.held = nil
	for _, ld := range held {
		if verdict != "" {
			setIntegrity(ld, verdict)
		}
		if err := emit(ld); err != nil {
			return err
		}
	}
	return nil
}

// finish ends the check once decoding stopped: for a file read completely it hashes and judges it, ships the held
// records with the verdict, and reports the verdicts reached; otherwise it ships the held records as they are
// (records before damage are sent, as without integrity). It returns an error only on shutdown.
func (o *objectReader) finishFileCheck(ctx context.Context, f *fileCheck, complete bool, emit func(plog.Logs) error) error {
	if !complete {
		return f.flush(emit, "")
	}
	outs := o.integrity.observeLogFile(f.lf, f.ref, f.hasher.Sum())
	var verdict integrity.Verdict
	for _, out := range outs {
		if out.Kind == integrity.KindLogFile && out.Object == f.ref {
			verdict = out.Verdict
		}
	}
	attached := integrity.ObjectRef{}
	if verdict != "" && f.hold && f.records > 0 {
		attached = f.ref
	}
	if err := f.flush(emit, verdict); err != nil {
		return err
	}
	return o.reportIntegrity(ctx, outs, attached)
}
