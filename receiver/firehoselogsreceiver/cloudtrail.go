// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
)

// cloudTrailDecoder gives each message that is a CloudTrail record (a trail's log group) the shape the cloudtrails3
// receiver gives the same record read from S3, through the same decoder (internal/cloudtrail): body, timestamp =
// eventTime, severity, a resource per record's account and region, semantic attributes, event selection. In place of
// the S3 object's attributes the record gets where the message came from: aws.log.group.names, aws.log.stream.names
// and log.record.uid, with the names and types plainDecoder gives them. Any other message is plainDecoder's.
type cloudTrailDecoder struct {
	messages *cloudtrail.MessageDecoder
}

func newCloudTrailDecoder(cfg *CloudTrailConfig, scopeName, scopeVersion string) (*cloudTrailDecoder, error) {
	opts, err := cfg.options(scopeName, scopeVersion)
	if err != nil {
		return nil, err
	}
	return &cloudTrailDecoder{messages: cloudtrail.NewMessageDecoder(opts)}, nil
}

func (d *cloudTrailDecoder) decodeEvent(origin *eventOrigin, event *logEvent, out *logsBuilder) error {
	if !cloudtrail.IsRecordMessage(event.Message) {
		return plainDecoder{}.decodeEvent(origin, event, out)
	}
	outcome, lr := out.cloudTrail(d.messages).Add(event.Message, origin.Owner)
	switch outcome {
	case cloudtrail.Added:
		putOrigin(lr.Attributes(), origin, event)
		return nil
	case cloudtrail.Dropped:
		return nil
	default:
		// Starts like a CloudTrail record but is not one the S3 path would ship (see cloudtrail.MessageBatch.Add):
		// shipped as it is rather than lost.
		return plainDecoder{}.decodeEvent(origin, event, out)
	}
}

// putOrigin adds where a CloudTrail record's message came from: what plainDecoder puts on the resource, on the log
// record (the resource is the record's account and region, as on the S3 path, whose object attributes are record
// attributes too).
func putOrigin(attrs pcommon.Map, origin *eventOrigin, event *logEvent) {
	if origin.LogGroup != "" {
		attrs.PutEmptySlice("aws.log.group.names").AppendEmpty().SetStr(origin.LogGroup)
	}
	if origin.LogStream != "" {
		attrs.PutEmptySlice("aws.log.stream.names").AppendEmpty().SetStr(origin.LogStream)
	}
	if event.ID != "" {
		attrs.PutStr("log.record.uid", event.ID)
	}
}
