// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package inflate

import (
	"bytes"
	stdflate "compress/flate"
	"testing"
	"time"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

// FuzzReader holds the Reader to klauspost/compress's gzip on any input: the same bytes when klauspost reads it, an
// error when klauspost refuses it.
func FuzzReader(f *testing.F) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	body := cloudtrailtest.Body(4, 2, "111122223333", "us-east-1", start)
	for _, level := range []int{stdflate.HuffmanOnly, 0, 1, 6, 9} {
		f.Add(gzipWith(f, body, level, false))
		f.Add(gzipWith(f, []byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabcabcabcabc"), level, level == 1))
	}
	f.Add(append(gzipWith(f, body[:100], 6, true), gzipWith(f, body[100:], 6, false)...))
	// Past one output buffer, so that Next and Keep move to a new one and matches reach back into the old.
	f.Add(gzipWith(f, cloudtrailtest.Body(5, 120, "111122223333", "us-east-1", start), 6, false))
	f.Fuzz(func(t *testing.T, stream []byte) {
		want, wantErr := decodeKlauspost(stream)
		got, err := decodeOurs(stream, 1000, identity)
		if wantErr != nil {
			if err == nil {
				t.Fatalf("klauspost refuses %q (%v); this package reads it", stream, wantErr)
			}
			return
		}
		if err != nil {
			t.Fatalf("klauspost reads %q; this package refuses it: %v", stream, err)
		}
		if !bytes.Equal(want, got) {
			t.Fatalf("output differs for %q", stream)
		}
		if kept, err := decodeKeeping(stream); err != nil || !bytes.Equal(want, kept) {
			t.Fatalf("read with Next and Keep, %q gives an error (%v) or other bytes", stream, err)
		}
	})
}
