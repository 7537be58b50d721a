// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package s3notification recognises the SQS message bodies that name new S3 objects: S3 event notifications, the same
// wrapped by SNS (with or without raw message delivery), EventBridge "Object Created" events, CloudTrail's own SNS
// notification, and S3's s3:TestEvent. Parse turns one body into the objects it names and its envelope kind; it has
// no I/O, so the cloudtrails3 receiver's SQS consumer keeps the queue handling and this package only the formats.
package s3notification // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/s3notification"

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Envelope is the kind of message a notification came in. Its values are the envelope attribute of the receiver's
// sqs_messages metric and appear in its logs: they must not change.
type Envelope string

// The envelope kinds Parse recognises.
const (
	EnvelopeS3            Envelope = "s3"             // S3 event notification sent straight to the queue
	EnvelopeSNS           Envelope = "sns"            // S3 event notification or CloudTrail notification wrapped by SNS
	EnvelopeEventBridge   Envelope = "eventbridge"    // EventBridge "Object Created" event
	EnvelopeCloudTrailSNS Envelope = "cloudtrail_sns" // CloudTrail's own notification: {"s3Bucket", "s3ObjectKey": [...]}
)

// ObjectRef is one S3 object a notification names.
type ObjectRef struct {
	Bucket string
	Key    string // decoded: the key as S3 stores it
	Region string // the bucket's region when the notification says it, else ""
	Size   int64  // -1 when the notification does not say
}

// Notification is what one SQS message asks for.
type Notification struct {
	Envelope Envelope
	// TestEvent is S3's s3:TestEvent, sent when a notification configuration is saved: nothing to read.
	TestEvent bool
	// Objects are the created objects the message names, in order. Events that create nothing (removals, restores)
	// are left out; a message can therefore name no object at all.
	Objects []ObjectRef
}

// maxEnvelopeDepth bounds SNS-in-SNS nesting; real messages have at most one SNS layer.
const maxEnvelopeDepth = 3

// Parse recognises the message bodies users meet: S3 event notifications, the same wrapped by SNS (with or without
// raw delivery), EventBridge "Object Created" events, CloudTrail's SNS notification, and s3:TestEvent. It has no I/O.
// An error means the body is none of these; retrying cannot change that.
func Parse(body string) (Notification, error) {
	return parseEnvelope([]byte(body), 0)
}

// envelopeProbe has the distinguishing fields of every envelope kind.
type envelopeProbe struct {
	// S3 event notification.
	Records []json.RawMessage `json:"Records"`
	// s3:TestEvent.
	Service string `json:"Service"`
	Event   string `json:"Event"`
	// SNS.
	Type     string  `json:"Type"`
	Message  *string `json:"Message"`
	TopicArn string  `json:"TopicArn"`
	// EventBridge.
	Source     string          `json:"source"`
	DetailType string          `json:"detail-type"`
	Region     string          `json:"region"`
	Detail     json.RawMessage `json:"detail"`
	// CloudTrail notification.
	S3Bucket    *string  `json:"s3Bucket"`
	S3ObjectKey []string `json:"s3ObjectKey"`
}

func parseEnvelope(body []byte, depth int) (Notification, error) {
	var p envelopeProbe
	if err := json.Unmarshal(body, &p); err != nil {
		return Notification{}, fmt.Errorf("message body is not a JSON object: %w", err)
	}
	switch {
	case p.Event == "s3:TestEvent":
		return Notification{Envelope: EnvelopeS3, TestEvent: true}, nil
	case p.Type == "Notification" && p.Message != nil:
		if depth >= maxEnvelopeDepth {
			return Notification{}, errors.New("SNS notifications nested too deeply")
		}
		inner, err := parseEnvelope([]byte(*p.Message), depth+1)
		if err != nil {
			return Notification{}, fmt.Errorf("SNS notification from %s: %w", p.TopicArn, err)
		}
		if inner.Envelope != EnvelopeCloudTrailSNS {
			inner.Envelope = EnvelopeSNS
		}
		return inner, nil
	case p.S3Bucket != nil:
		return parseCloudTrailNotification(*p.S3Bucket, p.S3ObjectKey)
	case p.Source == "aws.s3" && p.DetailType != "":
		return parseEventBridge(p.DetailType, p.Region, p.Detail)
	case p.Records != nil:
		return parseS3Event(p.Records)
	default:
		return Notification{}, errors.New("not an S3 event notification, SNS notification, EventBridge S3 event or CloudTrail notification")
	}
}

// s3EventRecord is one record of an S3 event notification.
type s3EventRecord struct {
	EventSource string        `json:"eventSource"`
	EventName   string        `json:"eventName"`
	AWSRegion   string        `json:"awsRegion"`
	S3          *bucketObject `json:"s3"`
}

// bucketObject names the object of an S3 event record ("s3") and of an EventBridge S3 event ("detail").
type bucketObject struct {
	Bucket struct {
		Name string `json:"name"`
	} `json:"bucket"`
	Object struct {
		Key  string `json:"key"`
		Size *int64 `json:"size"`
	} `json:"object"`
}

func parseS3Event(records []json.RawMessage) (Notification, error) {
	n := Notification{Envelope: EnvelopeS3}
	for i, raw := range records {
		var r s3EventRecord
		if err := json.Unmarshal(raw, &r); err != nil {
			return Notification{}, fmt.Errorf("S3 event record %d: %w", i, err)
		}
		if r.S3 == nil || !strings.HasSuffix(r.EventSource, ":s3") {
			return Notification{}, fmt.Errorf("record %d is not an S3 event (eventSource %q)", i, r.EventSource)
		}
		if !strings.HasPrefix(r.EventName, "ObjectCreated:") {
			continue
		}
		ref, err := newObjectRef(r.S3.Bucket.Name, r.S3.Object.Key, true, r.AWSRegion, r.S3.Object.Size)
		if err != nil {
			return Notification{}, fmt.Errorf("S3 event record %d: %w", i, err)
		}
		n.Objects = append(n.Objects, ref)
	}
	return n, nil
}

func parseEventBridge(detailType, region string, raw json.RawMessage) (Notification, error) {
	n := Notification{Envelope: EnvelopeEventBridge}
	if detailType != "Object Created" {
		return n, nil
	}
	var d bucketObject
	if err := json.Unmarshal(raw, &d); err != nil {
		return Notification{}, fmt.Errorf("EventBridge S3 event detail: %w", err)
	}
	ref, err := newObjectRef(d.Bucket.Name, d.Object.Key, true, region, d.Object.Size)
	if err != nil {
		return Notification{}, fmt.Errorf("EventBridge S3 event: %w", err)
	}
	n.Objects = append(n.Objects, ref)
	return n, nil
}

func parseCloudTrailNotification(bucket string, keys []string) (Notification, error) {
	n := Notification{Envelope: EnvelopeCloudTrailSNS}
	for i, key := range keys {
		// CloudTrail writes the keys as they are, without URL encoding, and does not say the bucket's region.
		ref, err := newObjectRef(bucket, key, false, "", nil)
		if err != nil {
			return Notification{}, fmt.Errorf("CloudTrail notification key %d: %w", i, err)
		}
		n.Objects = append(n.Objects, ref)
	}
	return n, nil
}

// newObjectRef checks and decodes one object reference. S3 event notifications and EventBridge URL-encode the key
// (a space becomes '+'; some servers also encode '/'), so it is decoded with QueryUnescape.
func newObjectRef(bucket, key string, encoded bool, region string, size *int64) (ObjectRef, error) {
	if bucket == "" {
		return ObjectRef{}, errors.New("no bucket name")
	}
	if encoded {
		decoded, err := url.QueryUnescape(key)
		if err != nil {
			return ObjectRef{}, fmt.Errorf("object key %q is not URL-encoded correctly: %w", key, err)
		}
		key = decoded
	}
	if key == "" {
		return ObjectRef{}, errors.New("no object key")
	}
	ref := ObjectRef{Bucket: bucket, Key: key, Region: region, Size: -1}
	if size != nil {
		ref.Size = *size
	}
	return ref, nil
}
