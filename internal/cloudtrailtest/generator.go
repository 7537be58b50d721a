// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package cloudtrailtest generates realistic, deterministic CloudTrail log files for tests and benchmarks: varied event
// sources and names, IAMUser / AssumedRole / AWSService / Root identities, failed calls with errorCode, nested
// requestParameters and responseElements with integers, doubles, booleans, arrays, nulls and escaped JSON
// strings, tlsDetails, resources[] and additionalEventData. The same seed always gives the same bytes.
package cloudtrailtest // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"time"
)

// File returns a gzip-compressed CloudTrail log file body with n records (what CloudTrail writes to S3).
func File(seed int64, n int, account, region string, start time.Time) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := Write(zw, seed, n, account, region, start); err != nil {
		panic(err) // writing to memory cannot fail
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// Body returns the uncompressed, minified JSON body {"Records":[...]} with n records.
func Body(seed int64, n int, account, region string, start time.Time) []byte {
	var buf bytes.Buffer
	if err := Write(&buf, seed, n, account, region, start); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// Records returns the n records of Body(seed, n, account, region, start), each as minified JSON.
func Records(seed int64, n int, account, region string, start time.Time) [][]byte {
	g := New(seed, account, region, start)
	out := make([][]byte, n)
	for i := range out {
		out[i] = g.AppendRecord(nil)
	}
	return out
}

// Write streams a body with n records to w without holding it in memory, so arbitrarily large files can be
// produced (e.g. through an io.Pipe).
func Write(w io.Writer, seed int64, n int, account, region string, start time.Time) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	g := New(seed, account, region, start)
	buf := make([]byte, 0, 8<<10)
	buf = append(buf, `{"Records":[`...)
	for i := range n {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = g.AppendRecord(buf)
		if len(buf) >= 32<<10 {
			if _, err := bw.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	buf = append(buf, "]}"...)
	if _, err := bw.Write(buf); err != nil {
		return err
	}
	return bw.Flush()
}
