// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metricstream

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestShortDecimalMatchesParseFloat checks the JSON fast path against strconv.ParseFloat, bit for bit.
func TestShortDecimalMatchesParseFloat(t *testing.T) {
	cases := []string{"0.0", "-0.0", "118.625", "0.1", "0.3", "1.7976931348", "-42.5", "123456789012.345",
		"99999999999999.9", "0.000000000000001", "5e3", "1.5E-2", "1234567890123456.7", "12", "3."}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		v := rng.Float64() * math.Pow(10, float64(rng.IntN(14)))
		cases = append(cases, strconv.FormatFloat(v, 'f', rng.IntN(8), 64))
	}
	for _, text := range cases {
		got, ok := shortDecimal([]byte(text))
		want, err := strconv.ParseFloat(text, 64)
		if !ok {
			continue
		}
		require.NoError(t, err, text)
		assert.Equal(t, math.Float64bits(want), math.Float64bits(got), text)
	}
	_, ok := shortDecimal([]byte("1234567890123456.7"))
	assert.False(t, ok, "16 digits take the general path")
	_, ok = shortDecimal([]byte("5e3"))
	assert.False(t, ok, "exponents take the general path")
}

// TestIndexQuoteOrBackslash checks the SWAR search against bytes.IndexAny at every length and position, with bytes
// on either side of the searched ones (0x01 and high bytes could fool a careless zero-byte test).
func TestIndexQuoteOrBackslash(t *testing.T) {
	fillers := []byte{'a', 0x00, 0x01, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xa2, 0xdc, 0xff}
	for n := 0; n <= 24; n++ {
		for _, fill := range fillers {
			buf := bytes.Repeat([]byte{fill}, n)
			assert.Equal(t, -1, indexQuoteOrBackslash(buf), "n=%d fill=%#x", n, fill)
			for i := range n {
				for _, c := range []byte{'"', '\\'} {
					buf[i] = c
					for j := i + 1; j < n; j++ {
						buf[j] = "\"\\"[j%2]
						assert.Equal(t, bytes.IndexAny(buf, "\"\\"), indexQuoteOrBackslash(buf), "n=%d i=%d j=%d", n, i, j)
						buf[j] = fill
					}
					assert.Equal(t, i, indexQuoteOrBackslash(buf), "n=%d i=%d fill=%#x", n, i, fill)
					buf[i] = fill
				}
			}
		}
	}
}
