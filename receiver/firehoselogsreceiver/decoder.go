// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver"

import (
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// eventOrigin is what a subscription document says about where its events come from. All empty for extracted
// messages: message extraction drops it.
type eventOrigin struct {
	Owner     string // AWS account id of the log group (CloudWatch Logs' "owner")
	LogGroup  string
	LogStream string
}

// logEvent is one CloudWatch Logs event.
type logEvent struct {
	ID        string `json:"id"`        // unique per event; empty for extracted messages
	Timestamp int64  `json:"timestamp"` // epoch milliseconds; 0 when the record does not carry it (extracted messages)
	Message   string `json:"message"`
}

// messageDecoder turns one CloudWatch Logs event into the log records of the request: the one place that gives a
// message its meaning. It may add any number of records (none drops the event), to any resource; an error refuses
// the whole request with 400.
//
// plainDecoder ships every message as it is; cloudTrailDecoder (cloudtrail.go, the default) gives the messages that
// are CloudTrail records the S3 path's shape and leaves the others to plainDecoder.
type messageDecoder interface {
	decodeEvent(origin *eventOrigin, event *logEvent, out *logsBuilder) error
}

// plainDecoder makes one log record per event: the message as a string body, the event time as the timestamp, the
// event id as log.record.uid, and the account, log group and log stream on the resource.
type plainDecoder struct{}

func (plainDecoder) decodeEvent(origin *eventOrigin, event *logEvent, out *logsBuilder) error {
	lr := out.appendRecord(resourceKey{Account: origin.Owner, LogGroup: origin.LogGroup, LogStream: origin.LogStream})
	lr.Body().SetStr(event.Message)
	if event.Timestamp > 0 {
		lr.SetTimestamp(pcommon.NewTimestampFromTime(time.UnixMilli(event.Timestamp)))
	}
	if event.ID != "" {
		lr.Attributes().PutStr("log.record.uid", event.ID)
	}
	return nil
}
