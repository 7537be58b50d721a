// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package inflate

import (
	"bufio"
	"bytes"
	"io"
	"testing"
	"time"

	kgzip "github.com/klauspost/compress/gzip"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

// BenchmarkGunzip decompresses a CloudTrail log file of 2,000 records (as compress/gzip's default level writes it, as
// the e2e benchmark's files are) through a bufio.Reader into a 64 KiB buffer, as the CloudTrail decoder reads: with
// this package and with klauspost/compress, which it replaces.
func BenchmarkGunzip(b *testing.B) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	file := cloudtrailtest.File(5, 2000, "111122223333", "us-east-1", start)
	body := cloudtrailtest.Body(5, 2000, "111122223333", "us-east-1", start)
	buf := make([]byte, 64<<10)
	drain := func(b *testing.B, r io.Reader) {
		for {
			_, err := r.Read(buf)
			if err == io.EOF {
				return
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	// run decompresses the file once per iteration with reset's reader, as a CloudTrail decoder reuses its own.
	run := func(name string, reset func(io.Reader) (io.Reader, error)) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			src := bytes.NewReader(file)
			br := bufio.NewReaderSize(src, 32<<10)
			for b.Loop() {
				src.Reset(file)
				br.Reset(src)
				z, err := reset(br)
				if err != nil {
					b.Fatal(err)
				}
				drain(b, z)
			}
		})
	}
	ours, theirs := new(Reader), new(kgzip.Reader)
	run("inflate", func(r io.Reader) (io.Reader, error) { return ours, ours.Reset(r) })
	run("klauspost", func(r io.Reader) (io.Reader, error) { return theirs, theirs.Reset(r) })
}
