// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
)

// CorruptGzip returns a gzip body whose deflate data is damaged in the middle (the header is intact, so it is
// recognised as gzip and fails while inflating).
func CorruptGzip(valid []byte) []byte {
	out := bytes.Clone(valid)
	for i := len(out) / 3; i < len(out)/3+64 && i < len(out)-8; i++ {
		out[i] ^= 0x5a
	}
	return out
}

// TruncatedJSON returns the gzip of the first half of a valid CloudTrail body: complete gzip, JSON cut mid-record.
func TruncatedJSON(body []byte) []byte {
	return gzipBytes(body[:len(body)/2])
}

// OversizedRecordFile returns a gzip CloudTrail file with normal records around one record whose
// requestParameters.policy is size bytes long, and the eventIDs of the normal records and of the big one.
func OversizedRecordFile(normal [][]byte, size int, bigEventID string) (body []byte, normalIDs []string) {
	var b bytes.Buffer
	b.WriteString(`{"Records":[`)
	for i, rec := range normal {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(rec)
		normalIDs = append(normalIDs, eventIDOf(rec))
		if i == len(normal)/2 {
			fmt.Fprintf(&b, `,{"eventVersion":"1.09","eventTime":"%s","eventSource":"iam.amazonaws.com","eventName":"PutRolePolicy","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.1","userAgent":"faults","requestParameters":{"roleName":"huge","policy":"%s"},"responseElements":null,"eventID":"%s","eventType":"AwsApiCall","recipientAccountId":"111122223333"}`,
				eventTimeOf(rec), strings.Repeat("A", size), bigEventID)
		}
	}
	b.WriteString(`]}`)
	return gzipBytes(b.Bytes()), normalIDs
}

// GzipBomb returns a small gzip body that inflates to prefix, about inflated bytes of spaces, then suffix. The
// spaces are concatenated gzip members of 16 MiB each (one compressed member repeated), so building a 2 GiB bomb
// takes milliseconds. With prefix {"Records":[ and suffix ]} it is valid JSON, so a streaming decoder keeps reading.
func GzipBomb(prefix string, inflated int64, suffix string) []byte {
	return gzipAround([]byte(prefix), ' ', inflated, []byte(suffix))
}

// gzipAround returns gzip members inflating to head, about n bytes of fill, then tail. The fill is one 16 MiB
// member compressed once and repeated, so even gigabytes take milliseconds to build and little memory to hold.
func gzipAround(head []byte, fill byte, n int64, tail []byte) []byte {
	const member = 16 << 20
	var out, one bytes.Buffer
	out.Write(gzipBytes(head))
	zw, _ := gzip.NewWriterLevel(&one, gzip.BestCompression)
	_, _ = zw.Write(bytes.Repeat([]byte{fill}, member))
	_ = zw.Close()
	for written := int64(0); written < n; written += member {
		out.Write(one.Bytes())
	}
	out.Write(gzipBytes(tail))
	return out.Bytes()
}

func eventIDOf(rec []byte) string   { return jsonStringField(rec, "eventID") }
func eventTimeOf(rec []byte) string { return jsonStringField(rec, "eventTime") }

// jsonStringField finds "name":"value" in minified JSON (enough for cloudtrailtest records, whose top-level eventID and
// eventTime come before any nested member of the same name).
func jsonStringField(rec []byte, name string) string {
	marker := []byte(`"` + name + `":"`)
	i := bytes.Index(rec, marker)
	if i < 0 {
		return ""
	}
	rest := rec[i+len(marker):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}
