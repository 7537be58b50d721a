// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

var (
	testObject   = Object{Bucket: "trail-bucket", Key: "AWSLogs/123456789012/CloudTrail/us-east-1/2023/07/19/123456789012_CloudTrail_us-east-1_20230719T2135Z_q7Rw2LmZx9TbK4Pa.json.gz"}
	testObserved = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
)

// decodeAll runs Decode and collects every emitted batch.
func decodeAll(t testing.TB, opts Options, r io.Reader) ([]plog.Logs, Stats, error) {
	t.Helper()
	var batches []plog.Logs
	st, err := NewDecoder(opts).Decode(context.Background(), r, testObject, testObserved, func(l plog.Logs) error {
		batches = append(batches, l)
		return nil
	})
	return batches, st, err
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return data
}

// logRecords flattens batches into their log records with the resource attributes of each.
type flatRecord struct {
	resource pcommon.Map
	scope    pcommon.InstrumentationScope
	record   plog.LogRecord
}

func flatten(batches []plog.Logs) []flatRecord {
	var out []flatRecord
	for _, b := range batches {
		for i := 0; i < b.ResourceLogs().Len(); i++ {
			rl := b.ResourceLogs().At(i)
			for j := 0; j < rl.ScopeLogs().Len(); j++ {
				sl := rl.ScopeLogs().At(j)
				for k := 0; k < sl.LogRecords().Len(); k++ {
					out = append(out, flatRecord{resource: rl.Resource().Attributes(), scope: sl.Scope(), record: sl.LogRecords().At(k)})
				}
			}
		}
	}
	return out
}

// ordered is a JSON value that keeps member order and distinguishes integers from other numbers, so a body
// built by the decoder can be compared exactly with what encoding/json reads from the same bytes.
type ordered struct {
	Kind    string // "null", "bool", "int", "double", "string", "object", "array"
	Bool    bool
	Int     int64
	Double  float64
	Str     string
	Keys    []string
	Members []ordered
}

func orderedFromJSON(t testing.TB, data []byte) ordered {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := orderedNext(dec)
	require.NoError(t, err)
	return v
}

func orderedNext(dec *json.Decoder) (ordered, error) {
	tok, err := dec.Token()
	if err != nil {
		return ordered{}, err
	}
	switch tv := tok.(type) {
	case nil:
		return ordered{Kind: "null"}, nil
	case bool:
		return ordered{Kind: "bool", Bool: tv}, nil
	case string:
		return ordered{Kind: "string", Str: tv}, nil
	case json.Number:
		if !bytes.ContainsAny([]byte(tv), ".eE") {
			if i, err := tv.Int64(); err == nil {
				return ordered{Kind: "int", Int: i}, nil
			}
			return ordered{Kind: "string", Str: tv.String()}, nil // an integer beyond int64 keeps its digits
		}
		f, err := tv.Float64()
		if err != nil {
			return ordered{Kind: "string", Str: tv.String()}, nil
		}
		return ordered{Kind: "double", Double: f}, nil
	case json.Delim:
		out := ordered{Kind: "array"}
		if tv == '{' {
			out.Kind = "object"
		}
		for dec.More() {
			if out.Kind == "object" {
				k, err := dec.Token()
				if err != nil {
					return ordered{}, err
				}
				out.Keys = append(out.Keys, k.(string))
			}
			m, err := orderedNext(dec)
			if err != nil {
				return ordered{}, err
			}
			out.Members = append(out.Members, m)
		}
		_, err := dec.Token()
		return out, err
	}
	return ordered{}, fmt.Errorf("unexpected token %v", tok)
}

func orderedFromValue(v pcommon.Value) ordered {
	switch v.Type() {
	case pcommon.ValueTypeEmpty:
		return ordered{Kind: "null"}
	case pcommon.ValueTypeBool:
		return ordered{Kind: "bool", Bool: v.Bool()}
	case pcommon.ValueTypeInt:
		return ordered{Kind: "int", Int: v.Int()}
	case pcommon.ValueTypeDouble:
		return ordered{Kind: "double", Double: v.Double()}
	case pcommon.ValueTypeStr:
		return ordered{Kind: "string", Str: v.Str()}
	case pcommon.ValueTypeMap:
		out := ordered{Kind: "object"}
		for k, mv := range v.Map().All() {
			out.Keys = append(out.Keys, k)
			out.Members = append(out.Members, orderedFromValue(mv))
		}
		return out
	case pcommon.ValueTypeSlice:
		out := ordered{Kind: "array"}
		for _, sv := range v.Slice().All() {
			out.Members = append(out.Members, orderedFromValue(sv))
		}
		return out
	}
	return ordered{Kind: "unsupported " + v.Type().String()}
}

// recordsOf returns each element of the file's Records array as raw JSON.
func recordsOf(t testing.TB, body []byte) []json.RawMessage {
	t.Helper()
	var file struct{ Records []json.RawMessage }
	require.NoError(t, json.Unmarshal(body, &file))
	return file.Records
}

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzipWriter(&buf)
	_, err := zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// errReader returns data, then err.
type errReader struct {
	data []byte
	err  error
}

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func requireCorrupt(t *testing.T, err error, contains string) {
	t.Helper()
	require.Error(t, err)
	require.Truef(t, errors.Is(err, ErrCorrupt), "want ErrCorrupt, got %v", err)
	require.ErrorContains(t, err, contains)
}

func jsonIndent(dst *bytes.Buffer, src []byte) error { return json.Indent(dst, src, "", "  ") }

func gunzip(t testing.TB, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	out, err := io.ReadAll(zr)
	require.NoError(t, err)
	return out
}
