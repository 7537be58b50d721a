// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/ctgen"
)

// FuzzDecode must never panic; every failure must be ErrCorrupt or ErrTooLarge, and the stats must match what
// was emitted.
func FuzzDecode(f *testing.F) {
	paths, err := filepath.Glob("testdata/*")
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		if len(data) > 10 {
			f.Add(data[:len(data)/2])
		}
	}
	f.Add(ctgen.Body(11, 5, "123456789012", "us-east-1", genStart))
	f.Add([]byte(`{"Records":[{"eventTime":"2024-01-01T00:00:00Z","v":"\ud83d\ude00","n":[1,-2.5e3,true,null,{}]}]}`))

	d := NewDecoder(Options{MaxBatchRecords: 2, MaxObjectBytes: 1 << 20, SemanticAttributes: true, IncludeObjectKey: true})
	f.Fuzz(func(t *testing.T, data []byte) {
		var emitted int64
		st, err := d.Decode(context.Background(), bytes.NewReader(data), testObject, testObserved, func(l plog.Logs) error {
			emitted += int64(l.LogRecordCount())
			return nil
		})
		if err != nil && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("unexpected error kind: %v", err)
		}
		if st.Records != emitted {
			t.Fatalf("stats say %d records, emit got %d", st.Records, emitted)
		}
	})
}
