// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
)

// TestConcurrentDecodes shares one Decoder between goroutines (pooled state must not leak between calls).
func TestConcurrentDecodes(t *testing.T) {
	const workers = 4
	d := NewDecoder(Options{MaxBatchRecords: 64, SemanticAttributes: true})
	files := make([][]byte, workers)
	want := make([][]plog.Logs, workers)
	for i := range files {
		files[i] = cloudtrailtest.File(int64(100+i), 400, "123456789012", []string{"us-east-1", "eu-west-1"}[i%2], genStart)
		var err error
		want[i], _, err = decodeAll(t, Options{MaxBatchRecords: 64, SemanticAttributes: true}, bytes.NewReader(files[i]))
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	got := make([][]plog.Logs, workers)
	errs := make([]error, workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				got[i] = nil
				_, errs[i] = d.Decode(context.Background(), bytes.NewReader(files[i]), testObject, testObserved, func(l plog.Logs) error {
					got[i] = append(got[i], l)
					return nil
				})
			}
		}()
	}
	wg.Wait()
	for i := range workers {
		require.NoError(t, errs[i])
		require.Len(t, got[i], len(want[i]))
		for j := range want[i] {
			assert.Equal(t, want[i][j], got[i][j])
		}
	}
}
