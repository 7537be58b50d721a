// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehoselogsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehoselogsreceiver"

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// CloudWatch Logs subscription message types ("Using CloudWatch Logs subscription filters"): data messages carry log
// events; control messages are CloudWatch Logs checking that the destination is reachable.
const (
	dataMessage    = "DATA_MESSAGE"
	controlMessage = "CONTROL_MESSAGE"
)

// subscriptionDocument is one CloudWatch Logs subscription record once decompressed (documented example):
//
//	{"owner": "111111111111", "logGroup": "CloudTrail", "logStream": "111111111111_CloudTrail_us-east-1",
//	 "subscriptionFilters": ["Destination"], "messageType": "DATA_MESSAGE",
//	 "logEvents": [{"id": "3195...568", "timestamp": 1432826855000, "message": "{\"eventVersion\":\"1.03\",...}"}, ...]}
//
// subscriptionFilters and fields AWS may add are read past.
type subscriptionDocument struct {
	MessageType string     `json:"messageType"`
	Owner       string     `json:"owner"`
	LogGroup    string     `json:"logGroup"`
	LogStream   string     `json:"logStream"`
	LogEvents   []logEvent `json:"logEvents"`
}

// errNotSubscription: with format auto, an uncompressed record that is not a subscription document holds extracted
// messages.
var errNotSubscription = errors.New("not a subscription document")

var messageTypeKey = []byte(`"messageType"`)

// mayBeSubscription tells whether an uncompressed record can be a subscription document: a JSON object naming a
// messageType. Anything else is read as extracted messages without trying to parse it.
func mayBeSubscription(data []byte) bool {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	return len(trimmed) > 0 && trimmed[0] == '{' && bytes.Contains(trimmed, messageTypeKey)
}

// addSubscription decodes a decompressed subscription document into d's builder. strict: anything but a subscription
// document is an error (a gzip record, format subscription); otherwise it is errNotSubscription.
func (d *recordDecoder) addSubscription(s *scratch, plain []byte, strict bool) error {
	doc := &s.doc
	*doc = subscriptionDocument{LogEvents: doc.LogEvents[:0]}
	// The events' strings end up in the log records: the scratch, going back to its pool, must not keep them.
	defer func() { clear(doc.LogEvents) }()
	if err := json.Unmarshal(plain, doc); err != nil {
		if !strict {
			return errNotSubscription
		}
		return fmt.Errorf("not a CloudWatch Logs subscription document (JSON with messageType and logEvents): %v", err)
	}
	switch doc.MessageType {
	case controlMessage:
		d.detect(FormatSubscription)
		d.controlMessages++
		return nil
	case dataMessage:
	default:
		if !strict {
			return errNotSubscription
		}
		return fmt.Errorf("messageType %q is neither %s nor %s", shorten(doc.MessageType), dataMessage, controlMessage)
	}
	d.detect(FormatSubscription)
	origin := eventOrigin{Owner: doc.Owner, LogGroup: doc.LogGroup, LogStream: doc.LogStream}
	for i := range doc.LogEvents {
		if err := d.decoder.decodeEvent(&origin, &doc.LogEvents[i], d.out); err != nil {
			return fmt.Errorf("log event %d: %w", i, err)
		}
	}
	return nil
}

// shorten keeps an unexpected value short enough to quote in an error message.
func shorten(s string) string {
	const most = 64
	if len(s) <= most {
		return s
	}
	return s[:most] + "..."
}
