// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

// TestPeakHeapLargeObject streams a 500 MB (uncompressed) gzip CloudTrail file, generated on the fly through
// an io.Pipe, through Decode and samples the heap: memory must stay bounded by a batch, not by the file.
func TestPeakHeapLargeObject(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 500 MB; skipped with -short")
	}
	for _, passThrough := range []bool{false, true} {
		t.Run(fmt.Sprintf("pass_through=%v", passThrough), func(t *testing.T) { peakHeapLargeObject(t, passThrough) })
	}
}

func peakHeapLargeObject(t *testing.T, passThrough bool) {
	const targetBytes = 500 << 20
	records := targetBytes / 1390 // cloudtrailtest records average ~1.39 KB

	pr, pw := io.Pipe()
	go func() {
		zw, _ := gzip.NewWriterLevel(pw, gzip.BestSpeed)
		err := cloudtrailtest.Write(zw, 12, records, "123456789012", "us-east-1", genStart)
		if err == nil {
			err = zw.Close()
		}
		pw.CloseWithError(err)
	}()

	var st Stats
	var err error
	start := time.Now()
	baseline, peak := peakHeapDuring(func() {
		st, err = NewDecoder(Options{SemanticAttributes: true, PassThrough: passThrough}).Decode(context.Background(), pr,
			testObject, testObserved, func(plog.Logs) error { return nil })
	})
	require.NoError(t, err)
	require.Equal(t, int64(records), st.Records)
	require.Greater(t, st.DecompressedBytes, int64(targetBytes*9/10))

	t.Logf("streamed %d records, %.1f MB decompressed in %s; heap objects: baseline %.1f MB, peak %.1f MB (peak above baseline %.1f MB)",
		st.Records, float64(st.DecompressedBytes)/(1<<20), time.Since(start).Round(time.Millisecond),
		float64(baseline)/(1<<20), float64(peak)/(1<<20), float64(peak-min(peak, baseline))/(1<<20))
	// Live data is one batch of 1,000 records (a few MB); garbage between GCs at most doubles it. 64 MB leaves a
	// wide margin and is still far below the 500 MB a non-streaming decoder would need.
	require.Less(t, peak, uint64(64<<20))
}

// peakHeapDuring runs fn after a GC and returns the heap objects' bytes before it and their peak while it ran
// (sampled every 2 ms).
func peakHeapDuring(fn func()) (baseline, peak uint64) {
	runtime.GC()
	baseline = heapObjectBytes()
	var mu sync.Mutex
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		ticker := time.NewTicker(2 * time.Millisecond)
		defer ticker.Stop()
		for {
			select {
			case <-done:
				return
			case <-ticker.C:
				mu.Lock()
				peak = max(peak, heapObjectBytes())
				mu.Unlock()
			}
		}
	}()
	fn()
	close(done)
	<-sampled
	return baseline, max(peak, heapObjectBytes())
}

func heapObjectBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
