// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrailtest"
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
	f.Add(cloudtrailtest.Body(11, 5, "123456789012", "us-east-1", genStart))
	f.Add([]byte(`{"Records":[{"eventTime":"2024-01-01T00:00:00Z","v":"\ud83d\ude00","n":[1,-2.5e3,true,null,{}]}]}`))
	f.Add(deepSeed())

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

// FuzzSelection decodes the same input with event selection and without. With rules that keep every record the
// two must agree exactly (records emitted, error or not); with rules that drop some, selection may only drop
// records of a valid file, never add or change one; every failure is still ErrCorrupt or ErrTooLarge.
func FuzzSelection(f *testing.F) {
	f.Add(cloudtrailtest.Body(11, 5, "123456789012", "us-east-1", genStart))
	f.Add([]byte(`{"Records":[{"eventTime":"2024-01-01T00:00:00Z","eventName":"Describe\u0041","readOnly":true,"x":["\\",{"a":"}"}]}]}`))
	f.Add([]byte(`{"Records":[{"eventTime":"2024-01-01T00:00:00Z","userIdentity":{"type":"AWSService","invokedBy":"a\"b"}},1,"s",[]]}`))
	f.Add([]byte(`{"Records":[{"readOnly":true,"":},{"eventTime":"2000-01-01T0:00:00Z"}`))
	f.Add(deepSeed())

	keepAll, err := NewSelector(SelectionConfig{Exclude: []EventRule{{EventName: []string{"\x00never"}}}})
	if err != nil {
		f.Fatal(err)
	}
	dropSome, err := NewSelector(SelectionConfig{Exclude: []EventRule{{ReadOnly: boolPtr(true)}, {EventName: []string{"*A*"}}, {UserIdentityType: []string{"AWSService"}}}})
	if err != nil {
		f.Fatal(err)
	}
	plain := NewDecoder(Options{MaxBatchRecords: 3, MaxObjectBytes: 1 << 20, MaxValueBytes: 48})
	all := NewDecoder(Options{MaxBatchRecords: 3, MaxObjectBytes: 1 << 20, MaxValueBytes: 48, Selection: keepAll})
	some := NewDecoder(Options{MaxBatchRecords: 3, MaxObjectBytes: 1 << 20, MaxValueBytes: 48, Selection: dropSome})
	decode := func(t *testing.T, d *Decoder, data []byte) ([]any, Stats, error) {
		var bodies []any
		st, err := d.Decode(context.Background(), bytes.NewReader(data), testObject, testObserved, func(l plog.Logs) error {
			for _, r := range flatten([]plog.Logs{l}) {
				bodies = append(bodies, r.record.Body().AsRaw())
			}
			return nil
		})
		if err != nil && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("unexpected error kind: %v", err)
		}
		return bodies, st, err
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, _, wantErr := decode(t, plain, data)
		got, st, gotErr := decode(t, all, data)
		if (wantErr == nil) != (gotErr == nil) || !reflect.DeepEqual(want, got) || st.DroppedRecords != 0 {
			t.Fatalf("keep-all selection differs: %d vs %d records, errors %v / %v", len(want), len(got), wantErr, gotErr)
		}
		some, st, someErr := decode(t, some, data)
		if int64(len(some)) != st.Records {
			t.Fatalf("selection emitted %d records, stats say %d", len(some), st.Records)
		}
		if wantErr != nil {
			// A dropped record is checked for its structure, not parsed: past a malformed token inside one, the
			// records after it may still be read where the plain decode stops. Nothing more to compare.
			return
		}
		if someErr != nil || len(some) > len(want) {
			t.Fatalf("selection kept %d records (stats %d) of %d", len(some), st.Records, len(want))
		}
		// Records are grouped per account and region within a batch, so dropping one may reorder the rest: compare
		// as multisets.
		left := map[string]int{}
		for _, b := range want {
			left[fmt.Sprint(b)]++
		}
		for _, b := range some {
			k := fmt.Sprint(b)
			if left[k] == 0 {
				t.Fatalf("selection produced a record the plain decode does not have: %v", b)
			}
			left[k]--
		}
	})
}

// deepSeed has a record nested deeper than maxDepth between two good ones, with large integers.
func deepSeed() []byte {
	return []byte(`{"Records":[{"eventTime":"2024-01-01T00:00:00Z","n":18446744073709551616},{"eventName":"x","a":` +
		strings.Repeat(`["]",`, maxDepth) + "1" + strings.Repeat("]", maxDepth) +
		`},{"eventTime":"2024-01-01T00:00:00Z","readOnly":true,"n":-9223372036854775809}]}`)
}
