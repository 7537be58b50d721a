// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package document

import (
	"cmp"
	"fmt"
	"slices"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// minShrinkBytes is the shortest a string value is cut to by the line-size rule.
const minShrinkBytes = 256

// stringifyFirst are the CloudTrail subtrees turned into strings first when a document
// has too many fields: they are the ones whose shape varies per API call.
var stringifyFirst = [...]string{"requestParameters", "responseElements", "additionalEventData", "serviceEventDetails"}

// encode appends the record's document to dst. On error dst's contents up to its
// length are untouched.
func (e *encoder) encode(dst []byte, maxLine int, defaultType string, res pcommon.Resource, lr plog.LogRecord, body pcommon.Value) ([]byte, string, error) {
	e.buf = dst
	e.start = len(dst)
	e.strCap = maxFieldBytes
	e.body = body
	e.jsonBody, e.splice = false, false
	docType := e.plan(defaultType, res, lr, false)
	e.writeDoc()
	if e.prepared != [2]*preparedFields{} && (e.fields > maxFields || len(e.buf)-e.start > maxLine) {
		// The limits' rules work on the fields' values, which prepared fields do not keep: plan without them.
		e.prepared = [2]*preparedFields{}
		docType = e.plan(defaultType, res, lr, false)
		e.writeDoc()
	}

	if e.fields > maxFields {
		if err := e.fitFields(defaultType, res, lr); err != nil {
			return nil, docType, err
		}
	}
	if len(e.buf)-e.start > maxLine {
		if err := e.fitLine(maxLine); err != nil {
			return nil, docType, err
		}
	}
	out := e.buf
	e.buf = nil
	return out, docType, nil
}

// fitFields brings a document whose key occurrences exceed maxFields within the
// field-count rule: distinct key paths are counted exactly and, when there are too
// many, top-level subtrees are written as JSON strings. When the top level alone is
// too large, a map body is written as a JSON string in `message`.
func (e *encoder) fitFields(defaultType string, res pcommon.Resource, lr plog.LogRecord) error {
	for _, bodyAsMessage := range [...]bool{false, true} {
		if bodyAsMessage {
			if e.body.Type() != pcommon.ValueTypeMap {
				break
			}
			e.plan(defaultType, res, lr, true)
			e.writeDoc()
			if e.fields <= maxFields {
				return nil
			}
		}
		total := e.countDistinctPaths()
		if total > maxFields {
			total = e.stringifyLargest(total)
		}
		if total <= maxFields {
			e.writeDoc()
			return nil
		}
	}
	return fmt.Errorf("%w: more than %d fields even with every subtree written as a string", ErrDropped, maxFields)
}

// countDistinctPaths replaces each top-level field's occurrence count by its exact
// number of distinct key paths and returns the document's total.
func (e *encoder) countDistinctPaths() int {
	total := 0
	for i := range e.top {
		if e.slots[i].state == slotDropped {
			continue
		}
		f := &e.top[i]
		if f.fieldCount > 1 && !f.stringify && f.rawStart < 0 {
			paths := make(map[string]struct{}, f.fieldCount)
			e.collectPaths(f.val, 1, e.slots[i].key, paths)
			f.fieldCount = int32(1 + len(paths))
		}
		total += int(f.fieldCount)
	}
	return total
}

// collectPaths adds to paths the key paths below v (at level), as the writer names
// them: keys rewritten, arrays transparent, subtrees at maxDepth counted as a leaf.
func (e *encoder) collectPaths(v pcommon.Value, level int, prefix string, paths map[string]struct{}) {
	switch v.Type() {
	case pcommon.ValueTypeMap:
		if level >= maxDepth {
			return
		}
		m := v.Map()
		base := len(e.slots)
		e.pushSlots(m)
		resolveKeys(e.slots, base, base, len(e.slots), &e.arena, nil)
		i := base
		for _, child := range m.All() {
			// Rewritten keys never hold a dot, so the dotted path is unambiguous.
			path := prefix + "." + e.slots[i].key
			i++
			paths[path] = struct{}{}
			e.collectPaths(child, level+1, path, paths)
		}
		e.slots = e.slots[:base]
	case pcommon.ValueTypeSlice:
		if level >= maxDepth {
			return
		}
		s := v.Slice()
		for j := 0; j < s.Len(); j++ {
			e.collectPaths(s.At(j), level+1, prefix, paths)
		}
	}
}

// stringifyLargest marks top-level subtrees to be written as strings, the
// stringifyFirst ones first and then the largest, until the total fits, and returns
// the new total.
func (e *encoder) stringifyLargest(total int) int {
	type candidate struct {
		index    int
		first    bool
		children int
	}
	var candidates []candidate
	for i := range e.top {
		f := &e.top[i]
		if e.slots[i].state == slotDropped || f.stringify || f.rawStart >= 0 || f.fieldCount <= 1 {
			continue
		}
		candidates = append(candidates, candidate{
			index:    i,
			first:    slices.Contains(stringifyFirst[:], e.slots[i].key),
			children: int(f.fieldCount) - 1,
		})
	}
	slices.SortStableFunc(candidates, func(a, b candidate) int {
		if a.first != b.first {
			if a.first {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.children, a.children)
	})
	for _, c := range candidates {
		if total <= maxFields {
			break
		}
		e.top[c.index].stringify = true
		e.top[c.index].fieldCount = 1
		total -= c.children
	}
	return total
}

// fitLine rebuilds a line longer than maxLine with its longest string values cut to
// one common length, chosen so that the line fits.
func (e *encoder) fitLine(maxLine int) error {
	e.recording = true
	e.strLens = e.strLens[:0]
	e.writeDoc()
	e.recording = false

	size := len(e.buf) - e.start
	limit := shrinkLimit(e.strLens, size-maxLine)
	if limit < minShrinkBytes {
		return fmt.Errorf("%w: line of %d bytes cannot be shrunk to %d bytes by cutting string values to %d bytes or more",
			ErrDropped, size, maxLine, minShrinkBytes)
	}
	e.strCap = limit
	e.writeDoc()
	if size = len(e.buf) - e.start; size > maxLine {
		return fmt.Errorf("%w: line of %d bytes still exceeds %d bytes after cutting string values to %d bytes",
			ErrDropped, size, maxLine, limit)
	}
	return nil
}

// shrinkLimit returns the largest length L such that cutting every string longer than
// L down to L (marker included) removes at least excess bytes, or -1 when no length
// does. Cutting a string of n bytes to L removes at least n-L bytes from the line:
// the removed characters take at least as many bytes escaped as unescaped.
func shrinkLimit(lens []int, excess int) int {
	sorted := slices.Clone(lens)
	slices.SortFunc(sorted, func(a, b int) int { return cmp.Compare(b, a) })
	sum := 0
	for k := 1; k <= len(sorted); k++ {
		sum += sorted[k-1]
		limit := (sum - excess) / k
		if sum-excess < 0 {
			continue
		}
		next := 0
		if k < len(sorted) {
			next = sorted[k]
		}
		if limit >= next {
			return limit
		}
	}
	return -1
}
