// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package jsonlex

import (
	"bytes"
	"math/bits"
	"math/rand/v2"
	"testing"
)

func naiveIndex(b []byte, special func(byte) bool, none int) int {
	for i, c := range b {
		if special(c) {
			return i
		}
	}
	return none
}

var searches = []struct {
	name    string
	index   func([]byte) int
	special func(byte) bool
	none    func([]byte) int
}{
	{"IndexSpecial", IndexSpecial, func(c byte) bool { return c == '"' || c == '\\' || c >= 0x80 }, func(b []byte) int { return len(b) }},
	{"IndexQuoteOrBackslash", IndexQuoteOrBackslash, func(c byte) bool { return c == '"' || c == '\\' }, func([]byte) int { return -1 }},
	{"IndexStringEnd", IndexStringEnd, func(c byte) bool { return c == '"' || c == '\\' || c < 0x20 }, func(b []byte) int { return len(b) }},
}

func checkSearches(t *testing.T, b []byte) {
	t.Helper()
	for _, s := range searches {
		if got, want := s.index(b), naiveIndex(b, s.special, s.none(b)); got != want {
			t.Fatalf("%s(%q) = %d, want %d", s.name, b, got, want)
		}
	}
}

// TestIndexMatchesByteLoop checks the SWAR searches against a byte loop at every length and position, with the
// bytes next to the searched ones around them (0x00, 0x01, 0x1f, 0x21, 0x7f, 0x80 would fool a careless zero-byte test).
func TestIndexMatchesByteLoop(t *testing.T) {
	fillers := []byte{'a', 0x00, 0x01, 0x1f, ' ', 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0x9f, 0xa0, 0xa2, 0xdc, 0xff}
	for n := 0; n <= 24; n++ {
		for _, fill := range fillers {
			buf := bytes.Repeat([]byte{fill}, n)
			checkSearches(t, buf)
			for i := range n {
				for _, c := range []byte{'"', '\\', 0x00, 0x1f, 0x80, 0xff, 'a'} {
					buf[i] = c
					checkSearches(t, buf)
					for j := i + 1; j < n; j++ {
						buf[j] = "\"\\\x05\x80"[j%4]
						checkSearches(t, buf)
						buf[j] = fill
					}
					buf[i] = fill
				}
			}
		}
	}
	alphabet := []byte{0, 1, 0x1f, ' ', '!', '"', '#', '[', '\\', ']', 0x7f, 0x80, 0xff, 'a'}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
			if rng.IntN(4) != 0 {
				b[i] = 'a' + byte(rng.IntN(26))
			}
		}
		checkSearches(t, b)
	}
}

func TestMasks(t *testing.T) {
	word := func(s string) uint64 { return Load64String(s, 0) }
	if Load64([]byte("abcdefgh"), 0) != word("abcdefgh") {
		t.Fatal("Load64 and Load64String disagree")
	}
	if Unplain(word("plain ok")) != 0 || Unplain(word(`plain "k`)) == 0 || Unplain(word("plain\tok")) == 0 ||
		Unplain(word("plain\x80ok")) == 0 || Unplain(word(`plain \k`)) == 0 {
		t.Fatal("Unplain")
	}
	if Control(word("\x7f\x80\xff !~ab")) != 0 || Control(word("abcdefg\x1f")) == 0 {
		t.Fatal("Control")
	}
	if ZeroBytes(word("\x01\x01\x01\x01\x01\x01\x01\x01")) != 0 || bits.TrailingZeros64(ZeroBytes(word("\x01\x01\x01\x00\x01\x01\x01\x01")))/8 != 3 {
		t.Fatal("ZeroBytes")
	}
}

func FuzzIndex(f *testing.F) {
	f.Add([]byte(`abcdefgh"`))
	f.Add([]byte("\x00\x00\x00\x00\x00\x00\x00\""))
	f.Add([]byte("\x01\x01\x01\x01\x01\x01\x01\x5c\x80"))
	f.Add([]byte("plain text\tthen a tab, é and a \\ backslash"))
	f.Fuzz(func(t *testing.T, b []byte) { checkSearches(t, b) })
}
