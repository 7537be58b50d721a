// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nested returns a record whose "deep" member nests levels containers in all (the record itself included),
// alternating arrays and objects, with strings holding brackets, quotes and escapes along the way.
func nested(name string, levels int) string {
	var b strings.Builder
	b.WriteString(`{"eventTime":"2024-01-01T00:00:00Z","eventName":"` + name + `","deep":`)
	for i := 1; i < levels; i++ {
		if i%2 == 1 {
			b.WriteString(`[ "[{\"\\", `)
		} else {
			b.WriteString(`{"k}]":`)
		}
	}
	b.WriteString(`"leaf ]}\""`)
	for i := levels - 1; i >= 1; i-- {
		if i%2 == 1 {
			b.WriteString(`]`)
		} else {
			b.WriteString(`}`)
		}
	}
	b.WriteString(`,"after":1}`)
	return b.String()
}

// deepSelectors decodes without event selection, with rules that keep every record and with rules that drop
// some: a record too deep is skipped the same way by each.
func deepSelectors(t *testing.T) map[string]*Selector {
	keepAll, err := NewSelector(SelectionConfig{Exclude: []EventRule{{EventName: []string{"\x00never"}}}})
	require.NoError(t, err)
	dropSome, err := NewSelector(SelectionConfig{Exclude: []EventRule{{EventName: []string{"Drop*"}}}})
	require.NoError(t, err)
	return map[string]*Selector{"no selection": nil, "keep all": keepAll, "drop some": dropSome}
}

func decodeDeep(t *testing.T, sel *Selector, body string) []deepResult {
	t.Helper()
	var out []deepResult
	for _, read := range []string{"whole", "one byte", "gzip"} {
		var r interface{ Read([]byte) (int, error) } = bytes.NewReader([]byte(body))
		switch read {
		case "one byte":
			r = iotest.OneByteReader(r)
		case "gzip":
			r = bytes.NewReader(gzipBytes(t, []byte(body)))
		}
		batches, st, err := decodeAll(t, Options{Selection: sel}, r)
		var names []string
		for _, rec := range flatten(batches) {
			v, _ := rec.record.Body().Map().Get("eventName")
			names = append(names, v.Str())
		}
		out = append(out, deepResult{names, st, err})
	}
	return out
}

type deepResult struct {
	names []string
	stats Stats
	err   error
}

// TestDeepRecordSkipped: a record nested deeper than maxDepth is skipped and counted, and the records after it
// are decoded, whether the record lies within one buffer or spans many, with and without event selection.
func TestDeepRecordSkipped(t *testing.T) {
	body := `{"Records":[` + strings.Join([]string{
		nested("A", 3),
		nested("TooDeep", maxDepth),                      // one level too deep, within one buffer
		nested("B", maxDepth-1),                          // the deepest record that is read
		nested("WayTooDeep", 100_000),                    // spans several buffers
		`[` + nested("TooDeepInArray", maxDepth-1) + `]`, // not an object, and too deep
		nested("DropMe", 5),
		nested("DropMeTooDeep", 5000),
		nested("C", 2),
	}, ",") + `],"digestS3Object":[[[[1]]]]}`
	for name, sel := range deepSelectors(t) {
		t.Run(name, func(t *testing.T) {
			want := []string{"A", "B", "DropMe", "C"}
			dropped := int64(0)
			if name == "drop some" {
				want = []string{"A", "B", "C"}
				dropped = 1
			}
			for _, r := range decodeDeep(t, sel, body) {
				require.NoError(t, r.err)
				assert.Equal(t, want, r.names)
				assert.Equal(t, int64(len(want)), r.stats.Records)
				assert.Equal(t, int64(4), r.stats.SkippedRecords, "the too-deep records")
				assert.Equal(t, dropped, r.stats.DroppedRecords)
			}
		})
	}
}

// TestDeepRecordBrokenFile: skipping a too-deep record does not make a broken file readable.
func TestDeepRecordBrokenFile(t *testing.T) {
	deep := nested("TooDeep", 3000)
	for _, tc := range []struct {
		name, body, want string
		before           []string // records complete before the damage, emitted
	}{
		{"truncated inside", `{"Records":[` + nested("A", 2) + `,` + deep[:len(deep)/2], "truncated JSON", []string{"A"}},
		{"never closed", `{"Records":[` + nested("A", 2) + `,` + deep[:len(deep)-1], "truncated JSON", []string{"A"}},
		{"garbage after", `{"Records":[` + nested("A", 2) + `,` + deep + ` x]}`, "expected ',' or ']'", []string{"A"}},
		{"extra closing bracket", `{"Records":[` + nested("A", 2) + `,` + deep + `]]}`, "expected ',' or '}'", []string{"A"}},
		{"unterminated string", `{"Records":[` + nested("A", 2) + `,` + strings.Repeat("[", 2000) + `"abc`, "truncated JSON", []string{"A"}},
		// A bad token before the point too deep is found whether or not event selection walks the record first.
		{"bad token before the deep part", `{"Records":[` + nested("A", 2) + `,{"eventName":"DropMe","a":tru,"d":` + strings.Repeat("[", 3000) + strings.Repeat("]", 3000) + `}]}`, "expected true", []string{"A"}},
		{"bad token in a deep part", `{"Records":[` + nested("A", 2) + `,{"eventName":"DropMe","d":` + strings.Repeat("[", 500) + `{"a" 1,"b":` + strings.Repeat("[", 3000) + strings.Repeat("]", 3000) + `}` + strings.Repeat("]", 500) + `}]}`, "expected ':'", []string{"A"}},
		{"too deep outside Records", `{"x":` + strings.Repeat("[", 1200) + strings.Repeat("]", 1200) + `,"Records":[]}`, "nesting deeper", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for name, sel := range deepSelectors(t) {
				for _, r := range decodeDeep(t, sel, tc.body) {
					requireCorrupt(t, r.err, tc.want)
					assert.Equal(t, tc.before, r.names, name)
				}
			}
		})
	}
}
