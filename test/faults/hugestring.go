// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"

import (
	"bytes"
	"fmt"
)

// HugeStringFile returns a gzip CloudTrail file with normal records around one record whose
// requestParameters.policy is one string of about size bytes, and the eventIDs of the normal records. Like GzipBomb
// it is built by gzipAround, so a 200 MB string takes milliseconds to build and a few hundred KB to store.
func HugeStringFile(normal [][]byte, size int64, hugeEventID string) (body []byte, normalIDs []string) {
	var head, tail bytes.Buffer
	head.WriteString(`{"Records":[`)
	half := len(normal) / 2
	for i, rec := range normal[:half] {
		if i > 0 {
			head.WriteByte(',')
		}
		head.Write(rec)
		normalIDs = append(normalIDs, eventIDOf(rec))
	}
	if half > 0 {
		head.WriteByte(',')
	}
	fmt.Fprintf(&head, `{"eventVersion":"1.09","eventTime":"%s","eventSource":"iam.amazonaws.com","eventName":"PutRolePolicy","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.1","userAgent":"faults","eventID":"%s","eventType":"AwsApiCall","recipientAccountId":"111122223333","requestParameters":{"roleName":"huge","policy":"`,
		eventTimeOf(normal[0]), hugeEventID)
	tail.WriteString(`"},"responseElements":null}`)
	for _, rec := range normal[half:] {
		tail.WriteByte(',')
		tail.Write(rec)
		normalIDs = append(normalIDs, eventIDOf(rec))
	}
	tail.WriteString(`]}`)

	return gzipAround(head.Bytes(), 'A', size, tail.Bytes()), normalIDs
}
