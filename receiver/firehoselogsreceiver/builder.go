// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
)

// resourceKey is the resource a log record belongs to. Every field that is set becomes a resource attribute (with
// cloud.provider = aws): cloud.account.id, cloud.region, aws.log.group.names and aws.log.stream.names
// (OpenTelemetry semantic conventions; the last two are string arrays of one name).
type resourceKey struct {
	Account   string // cloud.account.id
	Region    string // cloud.region; CloudWatch Logs does not say it, a message decoder may
	LogGroup  string // aws.log.group.names
	LogStream string // aws.log.stream.names
}

// logsBuilder collects the log records of one request: one ResourceLogs per resourceKey, in order of first use, each
// with one ScopeLogs of this receiver.
type logsBuilder struct {
	logs      plog.Logs
	resources map[resourceKey]plog.LogRecordSlice
	scope     string // instrumentation scope name
	version   string // instrumentation scope version
	observed  pcommon.Timestamp

	// The resource of the previous record: the events of a subscription record share theirs.
	lastKey     resourceKey
	lastRecords plog.LogRecordSlice
	hasLast     bool

	// trail holds the CloudTrail records (cloudTrailDecoder), in resources of their own; nil until the first one.
	trail *cloudtrail.MessageBatch
	// excluded counts the CloudTrail records event selection kept from shipping.
	excluded int
}

func newLogsBuilder(scope, version string, observed pcommon.Timestamp) *logsBuilder {
	return &logsBuilder{
		logs:      plog.NewLogs(),
		resources: make(map[resourceKey]plog.LogRecordSlice),
		scope:     scope,
		version:   version,
		observed:  observed,
	}
}

// appendRecord adds an empty log record to key's resource, with the request's observed timestamp.
func (b *logsBuilder) appendRecord(key resourceKey) plog.LogRecord {
	if !b.hasLast || key != b.lastKey {
		records, ok := b.resources[key]
		if !ok {
			rl := b.logs.ResourceLogs().AppendEmpty()
			key.putAttributes(rl.Resource().Attributes())
			sl := rl.ScopeLogs().AppendEmpty()
			sl.Scope().SetName(b.scope)
			sl.Scope().SetVersion(b.version)
			records = sl.LogRecords()
			b.resources[key] = records
		}
		b.lastKey, b.lastRecords, b.hasLast = key, records, true
	}
	lr := b.lastRecords.AppendEmpty()
	lr.SetObservedTimestamp(b.observed)
	return lr
}

func (k resourceKey) putAttributes(attrs pcommon.Map) {
	attrs.PutStr("cloud.provider", "aws")
	if k.Account != "" {
		attrs.PutStr("cloud.account.id", k.Account)
	}
	if k.Region != "" {
		attrs.PutStr("cloud.region", k.Region)
	}
	if k.LogGroup != "" {
		attrs.PutEmptySlice("aws.log.group.names").AppendEmpty().SetStr(k.LogGroup)
	}
	if k.LogStream != "" {
		attrs.PutEmptySlice("aws.log.stream.names").AppendEmpty().SetStr(k.LogStream)
	}
}

// cloudTrail is the request's batch of CloudTrail records, started on first use.
func (b *logsBuilder) cloudTrail(d *cloudtrail.MessageDecoder) *cloudtrail.MessageBatch {
	if b.trail == nil {
		b.trail = d.NewBatch(b.observed.AsTime())
	}
	return b.trail
}

// finish returns the request's log records, the CloudTrail ones after the others. The builder is done.
func (b *logsBuilder) finish() plog.Logs {
	if b.trail != nil {
		b.excluded = b.trail.Dropped()
		b.trail.Logs().ResourceLogs().MoveAndAppendTo(b.logs.ResourceLogs())
		b.trail = nil
	}
	return b.logs
}
