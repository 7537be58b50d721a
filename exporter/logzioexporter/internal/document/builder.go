// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"errors"
	"sync"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

const (
	// DefaultType is the Logz.io type used when Options.DefaultType is empty.
	DefaultType = "cloudtrail"
	// DefaultMaxLineBytes is the Logz.io listener's limit for one line.
	DefaultMaxLineBytes = 500000

	// TypeAttribute is the log (or resource) attribute that overrides the type of one
	// record. It is never written as a field.
	TypeAttribute = "logzio.type"
)

// ErrDropped is returned (wrapped with the reason) when a record cannot be made to fit
// the limits of a Logz.io document. The caller should count the record as dropped.
var ErrDropped = errors.New("log record dropped")

// Options configures a Builder. Zero values select the defaults.
type Options struct {
	// DefaultType is the document type (default "cloudtrail"); a log attribute
	// "logzio.type" overrides it per record.
	DefaultType string
	// MaxLineBytes is the largest line produced (default 500000): a larger line is
	// shrunk, else the record is dropped.
	MaxLineBytes int
}

// Builder turns log records into Logz.io documents. It is safe for concurrent use.
type Builder struct {
	defaultType  string
	maxLineBytes int
	encoders     sync.Pool
}

// NewBuilder returns a Builder for opts, filling in defaults.
func NewBuilder(opts Options) *Builder {
	b := &Builder{defaultType: opts.DefaultType, maxLineBytes: opts.MaxLineBytes}
	if b.defaultType == "" {
		b.defaultType = DefaultType
	}
	if b.maxLineBytes <= 0 {
		b.maxLineBytes = DefaultMaxLineBytes
	}
	b.encoders.New = func() any { return &encoder{} }
	return b
}

// AppendLine appends one minified JSON object for the record, without a trailing
// newline, to dst. It returns the document type (for grouping requests by the `type`
// query parameter). When the record cannot be made to fit, it returns dst unchanged and
// an error wrapping ErrDropped.
//
// The scope is not written (see the package documentation); its attribute
// JSONBodyAttribute marks string bodies that hold a JSON object (see jsonbody.go).
func (b *Builder) AppendLine(dst []byte, res pcommon.Resource, scope pcommon.InstrumentationScope, lr plog.LogRecord) ([]byte, string, error) {
	return b.appendLine(dst, res, nil, scope, lr)
}

// AppendRecord is AppendLine for a record of the resource prepared in res (see PrepareResource): the same line,
// without planning and writing the resource's fields, nor record attributes equal to the previous record's, again
// for every record. Calls with one res are not safe for concurrent use.
func (b *Builder) AppendRecord(dst []byte, res *Resource, scope pcommon.InstrumentationScope, lr plog.LogRecord) ([]byte, string, error) {
	return b.appendLine(dst, res.res, res, scope, lr)
}

func (b *Builder) appendLine(dst []byte, res pcommon.Resource, prepared *Resource, scope pcommon.InstrumentationScope, lr plog.LogRecord) ([]byte, string, error) {
	e := b.encoders.Get().(*encoder)
	defer b.release(e)
	if prepared != nil {
		e.prepared = [2]*preparedFields{b.recordFields(prepared, lr.Attributes()), &prepared.resource}
	}

	var out []byte
	var docType string
	var err error
	if body, ok := jsonBody(scope, lr); ok {
		out, docType, err = e.encodeJSON(dst, b.maxLineBytes, b.defaultType, res, lr, body)
	} else {
		out, docType, err = e.encode(dst, b.maxLineBytes, b.defaultType, res, lr, lr.Body())
	}
	if err != nil {
		return dst, docType, err
	}
	return out, docType, nil
}

func (b *Builder) release(e *encoder) {
	e.reset()
	b.encoders.Put(e)
}

// sanitizeType replaces whitespace, which the `type` query parameter may not hold,
// by `_`.
func sanitizeType(t string) string {
	for i := 0; i < len(t); i++ {
		if isSpace(t[i]) {
			buf := []byte(t)
			for j := i; j < len(buf); j++ {
				if isSpace(buf[j]) {
					buf[j] = '_'
				}
			}
			return string(buf)
		}
	}
	return t
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}
