// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail

import (
	"math/rand/v2"
	"testing"
)

func naiveSpecialByteIndex(b []byte) int {
	for i, c := range b {
		if c == '"' || c == '\\' || c >= 0x80 {
			return i
		}
	}
	return len(b)
}

func TestSpecialByteIndexMatchesByteLoop(t *testing.T) {
	for _, s := range []string{
		"", "a", `"`, `\`, "abcdefg", "abcdefgh", `abcdefgh"`, `abcdefg"h`, `"abcdefghijklmnop`,
		"ab\x80cdefgh", "abcdefgh\xff", "\x00\x00\x00\x00\x00\x00\x00\"", "\x01\x01\x01\x01\x01\x01\x01\x5c",
		"!!!!!!!!#########\"", "\x21\x22\x23\x5b\x5c\x5d", "é", "abc\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\"",
	} {
		if got, want := specialByteIndex([]byte(s)), naiveSpecialByteIndex([]byte(s)); got != want {
			t.Errorf("specialByteIndex(%q) = %d, want %d", s, got, want)
		}
	}
	// Random strings drawn mostly from the bytes next to the special ones, where borrow mistakes would show.
	alphabet := []byte{0, 1, '!', '"', '#', '[', '\\', ']', 0x7f, 0x80, 0xff, 'a'}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
			if rng.IntN(4) != 0 && b[i] != 0 && b[i] != 1 { // keep specials rare so long prefixes occur too
				b[i] = 'a' + byte(rng.IntN(26))
			}
		}
		if got, want := specialByteIndex(b), naiveSpecialByteIndex(b); got != want {
			t.Fatalf("specialByteIndex(%q) = %d, want %d", b, got, want)
		}
	}
}
