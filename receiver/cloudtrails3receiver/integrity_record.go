// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/metadata"
)

// Attributes of integrity verdicts. attrIntegrity is also set on the records of a log file whose verdict was known
// when they were shipped.
const (
	attrIntegrity         = "aws.cloudtrail.integrity"
	attrIntegrityKind     = "aws.cloudtrail.integrity.kind"
	attrIntegrityReason   = "aws.cloudtrail.integrity.reason"
	attrIntegrityDigest   = "aws.cloudtrail.integrity.digest"
	attrIntegrityExpected = "aws.cloudtrail.integrity.expected_sha256"
	attrIntegrityActual   = "aws.cloudtrail.integrity.actual_sha256"
	attrObjectKey         = "s3_object_key"
	attrLogzioType        = "logzio.type"
	integrityRecordType   = "cloudtrail-integrity"
)

// report counts and logs every verdict and, with alert: record, sends each as its own log record through r's
// pipeline, except the verdict of attached, which its records already carry. It returns an error only on shutdown.
func (c *integrityChecker) report(ctx context.Context, r *objectReader, outs []integrity.Outcome, attached integrity.ObjectRef) error {
	for _, out := range outs {
		c.count(ctx, out)
		if !c.records || (out.Kind == integrity.KindLogFile && out.Object == attached) {
			continue
		}
		if _, err := r.emit(ctx, out.Object.Key, outcomeLogs(out, r.scopeVersion, time.Now())); err != nil {
			return err
		}
	}
	return nil
}

// outcomeLogs is the log record of one verdict: logzio.type=cloudtrail-integrity, the verdict in
// aws.cloudtrail.integrity and the object in s3_object_key.
func outcomeLogs(out integrity.Outcome, scopeVersion string, now time.Time) plog.Logs {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("cloud.provider", "aws")
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName(metadata.ScopeName)
	sl.Scope().SetVersion(scopeVersion)
	lr := sl.LogRecords().AppendEmpty()
	ts := pcommon.NewTimestampFromTime(now)
	lr.SetTimestamp(ts)
	lr.SetObservedTimestamp(ts)
	if out.Verdict == integrity.VerdictValid {
		lr.SetSeverityNumber(plog.SeverityNumberInfo)
		lr.SetSeverityText("INFO")
	} else {
		lr.SetSeverityNumber(plog.SeverityNumberWarn)
		lr.SetSeverityText("WARN")
	}
	msg := "CloudTrail integrity: " + string(out.Kind) + " s3://" + out.Object.String() + " is " + string(out.Verdict)
	if out.Reason != "" {
		msg += ": " + out.Reason
	}
	lr.Body().SetStr(msg)
	attrs := lr.Attributes()
	attrs.PutStr(attrLogzioType, integrityRecordType)
	attrs.PutStr(attrIntegrity, string(out.Verdict))
	attrs.PutStr(attrIntegrityKind, string(out.Kind))
	attrs.PutStr(attrObjectKey, out.Object.String())
	var digest string
	if out.Digest.Key != "" {
		digest = out.Digest.String()
	}
	for _, kv := range [][2]string{{attrIntegrityReason, out.Reason}, {attrIntegrityDigest, digest},
		{attrIntegrityExpected, out.ExpectedSHA256}, {attrIntegrityActual, out.ActualSHA256}} {
		if kv[1] != "" {
			attrs.PutStr(kv[0], kv[1])
		}
	}
	return ld
}

// setIntegrity sets aws.cloudtrail.integrity on every record of ld.
func setIntegrity(ld plog.Logs, verdict integrity.Verdict) {
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		sls := rls.At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				lrs.At(k).Attributes().PutStr(attrIntegrity, string(verdict))
			}
		}
	}
}
