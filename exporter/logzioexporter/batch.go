// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"

import (
	"cmp"
	"slices"

	"go.opentelemetry.io/collector/pdata/plog"
)

// recordRef locates a log record inside the plog.Logs a line was built from.
type recordRef struct {
	resource, scope, record int
}

// docGroup holds the documents of one type: every line followed by '\n', back to back, so that any run of
// consecutive lines is a ready-made request body.
type docGroup struct {
	docType string
	buf     []byte
	// ends[i] is the offset just after the '\n' of line i.
	ends []int
	// refs[i] is the record line i was built from.
	refs []recordRef
}

// maxKeptGroupBytes is the largest buffer kept: a batch of huge records does not pin its memory afterwards.
const maxKeptGroupBytes = 16 << 20

var freeGroups = newFreeList[*docGroup](keptBuffers)

// newDocGroup returns an empty group for docType, reusing a released group's buffers when there is one.
func newDocGroup(docType string) *docGroup {
	g, ok := freeGroups.get()
	if !ok {
		g = &docGroup{}
	}
	g.docType = docType
	return g
}

// release hands the group back for reuse; the group must not be used afterwards.
func (g *docGroup) release() {
	if cap(g.buf) > maxKeptGroupBytes {
		return
	}
	g.docType, g.buf, g.ends, g.refs = "", g.buf[:0], g.ends[:0], g.refs[:0]
	freeGroups.put(g)
}

// endLine terminates the line just appended to buf.
func (g *docGroup) endLine(ref recordRef) {
	g.buf = append(g.buf, '\n')
	g.ends = append(g.ends, len(g.buf))
	g.refs = append(g.refs, ref)
}

func (g *docGroup) lineStart(i int) int {
	if i == 0 {
		return 0
	}
	return g.ends[i-1]
}

// requestRanges cuts the group into runs of lines whose total size, newlines included, is at most maxBytes.
// Every line is shorter than maxBytes (the builder's limit), so every run has at least one line.
func (g *docGroup) requestRanges(maxBytes int) []lineRange {
	var ranges []lineRange
	from := 0
	for i := range g.ends {
		if g.ends[i]-g.lineStart(from) > maxBytes && i > from {
			ranges = append(ranges, lineRange{group: g, from: from, to: i})
			from = i
		}
	}
	if from < len(g.ends) {
		ranges = append(ranges, lineRange{group: g, from: from, to: len(g.ends)})
	}
	return ranges
}

// lineRange is the run of lines [from, to) of a group: one request body.
type lineRange struct {
	group    *docGroup
	from, to int
}

func (r lineRange) body() []byte {
	return r.group.buf[r.group.lineStart(r.from):r.group.ends[r.to-1]]
}

// split cuts a range of two lines or more into two halves by line count.
func (r lineRange) split() (lineRange, lineRange) {
	mid := r.from + (r.to-r.from)/2
	return lineRange{group: r.group, from: r.from, to: mid}, lineRange{group: r.group, from: mid, to: r.to}
}

// undeliveredLogs copies the records behind the given ranges into a new plog.Logs with the same resources and
// scopes, in their original order.
func undeliveredLogs(ld plog.Logs, ranges []lineRange) plog.Logs {
	var refs []recordRef
	for _, r := range ranges {
		refs = append(refs, r.group.refs[r.from:r.to]...)
	}
	slices.SortFunc(refs, func(a, b recordRef) int {
		return cmp.Or(cmp.Compare(a.resource, b.resource), cmp.Compare(a.scope, b.scope), cmp.Compare(a.record, b.record))
	})

	out := plog.NewLogs()
	var rlOut plog.ResourceLogs
	var slOut plog.ScopeLogs
	lastResource, lastScope := -1, -1
	for _, ref := range refs {
		rl := ld.ResourceLogs().At(ref.resource)
		sl := rl.ScopeLogs().At(ref.scope)
		if ref.resource != lastResource {
			rlOut = out.ResourceLogs().AppendEmpty()
			rl.Resource().CopyTo(rlOut.Resource())
			rlOut.SetSchemaUrl(rl.SchemaUrl())
			lastResource, lastScope = ref.resource, -1
		}
		if ref.scope != lastScope {
			slOut = rlOut.ScopeLogs().AppendEmpty()
			sl.Scope().CopyTo(slOut.Scope())
			slOut.SetSchemaUrl(sl.SchemaUrl())
			lastScope = ref.scope
		}
		sl.LogRecords().At(ref.record).CopyTo(slOut.LogRecords().AppendEmpty())
	}
	return out
}
