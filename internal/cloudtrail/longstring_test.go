// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"context"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
)

// TestLongStringsAreCut: with MaxValueBytes, string values and member names longer than it are cut at a character
// boundary and end with the marker; shorter ones are untouched, whatever the path (in the buffer, with escapes,
// across buffer refills).
func TestLongStringsAreCut(t *testing.T) {
	const maxValue = 64
	long := strings.Repeat("ab", 100)            // 200 bytes, plain
	escaped := strings.Repeat(`x\"\n\u00e9`, 40) // escapes, é is 2 bytes once decoded
	multibyte := strings.Repeat("é", 100)        // 2-byte characters: a cut must not split one
	key := strings.Repeat("k", 100)              // a member name
	short := strings.Repeat("s", maxValue)       // exactly the cap: kept whole
	body := `{"Records":[{"eventTime":"2024-01-01T00:00:00Z","long":"` + long + `","escaped":"` + escaped +
		`","multibyte":"` + multibyte + `","` + key + `":1,"short":"` + short + `"}]}`
	keepAll, err := NewSelector(SelectionConfig{Exclude: []EventRule{{EventName: []string{"NoSuchEvent"}}}})
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		r   func() io.Reader
		sel *Selector
	}{
		"whole":               {func() io.Reader { return strings.NewReader(body) }, nil},
		"one byte":            {func() io.Reader { return iotest.OneByteReader(strings.NewReader(body)) }, nil},
		"whole, selection":    {func() io.Reader { return strings.NewReader(body) }, keepAll},
		"one byte, selection": {func() io.Reader { return iotest.OneByteReader(strings.NewReader(body)) }, keepAll},
	} {
		t.Run(name, func(t *testing.T) {
			batches, st, err := decodeAll(t, Options{MaxValueBytes: maxValue, Selection: tc.sel}, tc.r())
			require.NoError(t, err)
			require.Equal(t, int64(1), st.Records)
			m := flatten(batches)[0].record.Body().Map()
			for _, field := range []string{"long", "escaped", "multibyte"} {
				v, ok := m.Get(field)
				require.True(t, ok, field)
				s := v.Str()
				assert.LessOrEqual(t, len(s), maxValue, field)
				assert.True(t, strings.HasSuffix(s, truncatedMarker), "%s: %q", field, s)
				assert.True(t, utf8.ValidString(s), field)
			}
			v, _ := m.Get("long")
			assert.Equal(t, long[:maxValue-len(truncatedMarker)]+truncatedMarker, v.Str())
			v, _ = m.Get("short")
			assert.Equal(t, short, v.Str())
			cutKey := key[:maxValue-len(truncatedMarker)] + truncatedMarker
			_, ok := m.Get(cutKey)
			assert.True(t, ok, "the member name is cut the same way")
		})
	}
	batches, _, err := decodeAll(t, Options{}, strings.NewReader(body))
	require.NoError(t, err)
	v, _ := flatten(batches)[0].record.Body().Map().Get("long")
	assert.Equal(t, long, v.Str(), "without MaxValueBytes strings are kept whole")
}

// hugeStringReader yields {"Records":[{...,"big":"<n bytes>"},{...}]} without holding the string.
func hugeStringReader(n int) io.Reader {
	head := `{"Records":[{"eventTime":"2024-01-01T00:00:00Z","eventName":"Huge","big":"`
	tail := `"},{"eventTime":"2024-01-01T00:00:01Z","eventName":"After"}]}`
	return io.MultiReader(strings.NewReader(head), io.LimitReader(repeatByte('A'), int64(n)), strings.NewReader(tail))
}

type repeatByte byte

func (b repeatByte) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

// TestHugeStringHeapIsBounded streams a record holding one 200 MB string: with the default-sized cap the heap stays
// within a few MB of where it started, and the record after it still arrives.
func TestHugeStringHeapIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 200 MB; skipped with -short")
	}
	keepAll, err := NewSelector(SelectionConfig{Exclude: []EventRule{{EventName: []string{"NoSuchEvent"}}}})
	require.NoError(t, err)
	t.Run("no selection", func(t *testing.T) { decodeHugeString(t, nil) })
	t.Run("selection", func(t *testing.T) { decodeHugeString(t, keepAll) })
}

func decodeHugeString(t *testing.T, sel *Selector) {
	var names []string
	var st Stats
	var err error
	baseline, peak := peakHeapDuring(func() {
		st, err = NewDecoder(Options{MaxValueBytes: 32700, Selection: sel}).Decode(context.Background(), hugeStringReader(200<<20), testObject, testObserved,
			func(l plog.Logs) error {
				for _, r := range flatten([]plog.Logs{l}) {
					n, _ := r.record.Body().Map().Get("eventName")
					big, ok := r.record.Body().Map().Get("big")
					if ok {
						assert.Len(t, big.Str(), 32700)
					}
					names = append(names, n.Str())
				}
				return nil
			})
	})
	require.NoError(t, err)
	assert.Equal(t, int64(2), st.Records)
	assert.Equal(t, []string{"Huge", "After"}, names)
	grown := peak - min(peak, baseline)
	t.Logf("heap objects: baseline %.1f MB, peak %.1f MB while decoding a 200 MB string", float64(baseline)/(1<<20), float64(peak)/(1<<20))
	assert.Less(t, grown, uint64(16<<20), "the string must not be held")
}
