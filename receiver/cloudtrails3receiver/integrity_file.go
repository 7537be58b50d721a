// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"
	"errors"
	"io"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"
)

// maxHeldRecords bounds the records of one log file held back until the file is hashed (only for files a verified
// digest already listed, so that every record carries its verdict). A larger file is streamed as usual from that
// point and its verdict is reported on its own.
const maxHeldRecords = 20000

// observe is the object reader's one hook into integrity: it starts the check of one object r reads. It returns the
// writer the decoder's Tap hands the decompressed bytes to (their SHA-256 is what a digest lists), emit wrapped to
// hold records back while the file's verdict can still be attached to them, and finish, to call once decoding ended
// and the last batch went to emit, with the error that ended it. finish judges a file read completely, ships the
// held records and reports the verdicts (outcome records go through r's pipeline); it returns an error only on
// shutdown.
//
// When c is nil (integrity off) or digests do not cover the key (Insights files, files delivered before the checker's
// start), observe returns no writer, emit unchanged and a finish that does nothing.
func (c *integrityChecker) observe(r *objectReader, bucket, key string, emit func(plog.Logs) error) (hash io.Writer, held func(plog.Logs) error, finish func(ctx context.Context, err error) error) {
	if c == nil {
		return nil, emit, finishNothing
	}
	lf, ok := c.logFile(key)
	if !ok {
		return nil, emit, finishNothing
	}
	ref := integrity.ObjectRef{Bucket: bucket, Key: key}
	f := &fileCheck{c: c, r: r, lf: lf, ref: ref, hasher: integrity.NewHasher(), emit: emit, hold: c.isExpected(ref)}
	return f.hasher, f.holdEmit, f.finish
}

func finishNothing(context.Context, error) error { return nil }

// fileCheck follows the integrity of one log file while it is read.
type fileCheck struct {
	c       *integrityChecker
	r       *objectReader
	lf      logFile
	ref     integrity.ObjectRef
	hasher  *integrity.Hasher
	emit    func(plog.Logs) error // the object's emit
	hold    bool                  // a verified digest listed the file: hold its records until the verdict is known
	held    []plog.Logs
	records int
}

// holdEmit holds batches back while the file's verdict can still be attached to them.
func (f *fileCheck) holdEmit(ld plog.Logs) error {
	if !f.hold {
		return f.emit(ld)
	}
	f.held = append(f.held, ld)
	f.records += ld.LogRecordCount()
	if f.records > maxHeldRecords {
		f.hold = false
		return f.flush("")
	}
	return nil
}

// flush ships the held batches, with the verdict on every record when it is known.
func (f *fileCheck) flush(verdict integrity.Verdict) error {
	held := f.held
	f.held = nil
	for _, ld := range held {
		if verdict != "" {
			setIntegrity(ld, verdict)
		}
		if err := f.emit(ld); err != nil {
			return err
		}
	}
	return nil
}

// finish ends the check once decoding stopped with err. A file read completely is hashed and judged, its held
// records shipped with the verdict and the verdicts reached reported. A file that will be read again (shutdown, its
// connection broke, or the pipeline refused a batch it had taken) ships nothing: it is checked on the next read. Any
// other error (a corrupt file) ships the held records as they are: records before damage are sent, as without
// integrity.
func (f *fileCheck) finish(ctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil || errors.Is(err, cloudtrail.ErrObjectRead) || errors.As(err, new(*readAgainError)):
		return nil
	case err != nil:
		return f.flush("")
	}
	outs := f.c.observeLogFile(f.lf, f.ref, f.hasher.Sum())
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
	if err := f.flush(verdict); err != nil {
		return err
	}
	return f.c.report(ctx, f.r, outs, attached)
}
