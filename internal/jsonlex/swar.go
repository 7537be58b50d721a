// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package jsonlex // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/jsonlex"

import "encoding/binary"

// SWAR (SIMD within a register): eight bytes of text are tested at once. Each mask function flags the bytes it is
// about with their high bit. Only the lowest flag is exact (a borrow can raise a false flag above a true one, never
// below), so a caller takes bits.TrailingZeros64(mask)/8 as the index of the first byte, or tests mask == 0.
const (
	// Ones has 0x01 in every byte: c*Ones repeats the byte c.
	Ones = 0x0101010101010101
	// Highs has the high bit of every byte.
	Highs = 0x8080808080808080
)

// Load64 reads b[i:i+8] as a little-endian word (b[i] in the low byte).
func Load64(b []byte, i int) uint64 { return binary.LittleEndian.Uint64(b[i:]) }

// Load64String reads s[i:i+8] as a little-endian word (the compiler merges the loads).
func Load64String(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// ZeroBytes flags the zero bytes of v.
func ZeroBytes(v uint64) uint64 { return (v - Ones) &^ v & Highs }

// QuoteOrBackslash flags the bytes '"' and '\\' of w.
func QuoteOrBackslash(w uint64) uint64 { return ZeroBytes(w^'"'*Ones) | ZeroBytes(w^'\\'*Ones) }

// Control flags the bytes of w below 0x20 (the control characters a JSON string must escape).
func Control(w uint64) uint64 { return (w - ' '*Ones) &^ w & Highs }

// Special flags the bytes of w that end a run of plain ASCII string text when control characters are let through:
// '"', '\\' and every non-ASCII byte.
func Special(w uint64) uint64 { return QuoteOrBackslash(w) | w&Highs }

// Unplain flags the bytes of w that are not printable ASCII other than '"' and '\\': '"', '\\', control characters
// and non-ASCII bytes. Unplain(w) == 0 says the eight bytes stand in a JSON string as they are.
func Unplain(w uint64) uint64 { return (w|(w-' '*Ones))&Highs | QuoteOrBackslash(w) }
