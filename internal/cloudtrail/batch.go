// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/plog"
)

// batch accumulates the records of one emitted plog.Logs, one ResourceLogs per (account, region) in order of
// first appearance; records keep their file order within a ResourceLogs.
type batch struct {
	logs    plog.Logs
	groups  []resourceGroup
	last    int // index of the group used by the previous record: consecutive records usually share it
	records int
}

type resourceGroup struct {
	account, region string
	records         plog.LogRecordSlice
}

// preallocatedRecords caps the record-slice capacity reserved up front for a batch's first resource.
const preallocatedRecords = 4096

func (b *batch) reset() {
	b.logs = plog.NewLogs()
	clear(b.groups)
	b.groups = b.groups[:0]
	b.last = 0
	b.records = 0
}

// release drops every reference to emitted data so a pooled decoder state does not pin it.
func (b *batch) release() {
	b.logs = plog.Logs{}
	clear(b.groups)
	b.groups = b.groups[:0]
	b.records = 0
}

// recordsFor returns the record slice of the (account, region) resource, creating the resource if needed. account
// and region are copied when they are kept: with pass-through they point into the scan buffer.
func (b *batch) recordsFor(account, region string, opts *Options) plog.LogRecordSlice {
	if b.last < len(b.groups) {
		if g := &b.groups[b.last]; g.account == account && g.region == region {
			return g.records
		}
	}
	for i := range b.groups {
		if g := &b.groups[i]; g.account == account && g.region == region {
			b.last = i
			return g.records
		}
	}
	rl := b.logs.ResourceLogs().AppendEmpty()
	attrs := rl.Resource().Attributes()
	attrs.EnsureCapacity(3)
	attrs.PutStr("cloud.provider", "aws")
	account, region = strings.Clone(account), strings.Clone(region)
	if account != "" {
		attrs.PutStr("cloud.account.id", account)
	}
	if region != "" {
		attrs.PutStr("cloud.region", region)
	}
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName(opts.ScopeName)
	sl.Scope().SetVersion(opts.ScopeVersion)
	if opts.PassThrough {
		sl.Scope().Attributes().PutStr(JSONBodyAttribute, JSONBodyFormat)
	}
	records := sl.LogRecords()
	if len(b.groups) == 0 {
		records.EnsureCapacity(min(opts.MaxBatchRecords, preallocatedRecords))
	}
	b.groups = append(b.groups, resourceGroup{account: account, region: region, records: records})
	b.last = len(b.groups) - 1
	return records
}
