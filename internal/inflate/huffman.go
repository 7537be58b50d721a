// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package inflate // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/inflate"

import "math/bits"

// An entry of a decoding table says what the next code in the bit stream means:
//
//	bits 0-3    the code's length in bits (with its subtable's bits, for an entry of a subtable)
//	bits 4-7    how many extra bits follow the code (lengths and distances)
//	bits 8-15   flags: a literal has none
//	bits 16-31  the literal byte, the base length or distance, or where the subtable starts
type entry = uint32

const (
	flagBase    entry = 1 << 8 // a length (literal/length table) or a distance: value is the base, extra bits follow
	flagEnd     entry = 2 << 8 // end of block
	flagSub     entry = 4 << 8 // the code is longer than the primary table: look it up in the subtable
	flagInvalid entry = 8 << 8 // no code of the stream maps here, or the symbol is reserved: corrupt data

	maxCodeLen = 15

	litBits    = 10 // primary bits of the literal/length table
	litMask    = 1<<litBits - 1
	litSubBits = maxCodeLen - litBits
	distBits   = 8
	distMask   = 1<<distBits - 1
	distSubBit = maxCodeLen - distBits
	clenBits   = 7 // code length codes are at most 7 bits long: one level
)

// symbolEntry maps a symbol of an alphabet to its entry without the code length.
type symbolEntry func(sym int) entry

var (
	lengthBase  = [...]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [...]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [...]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [...]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// litLenEntry: 0-255 literals, 256 end of block, 257-285 lengths; 286 and 287 (fixed code only) are reserved.
func litLenEntry(sym int) entry {
	switch {
	case sym < 256:
		return entry(sym) << 16
	case sym == 256:
		return flagEnd
	case sym <= 285:
		i := sym - 257
		return entry(lengthBase[i])<<16 | flagBase | entry(lengthExtra[i])<<4
	default:
		return flagInvalid
	}
}

// distEntry: 0-29 distances; 30 and 31 (fixed code only) are reserved.
func distEntry(sym int) entry {
	if sym >= len(distBase) {
		return flagInvalid
	}
	return entry(distBase[sym])<<16 | flagBase | entry(distExtra[sym])<<4
}

// clenEntry: the code length alphabet's symbols (0-18) are their own values.
func clenEntry(sym int) entry { return entry(sym) << 16 }

// build fills primary (1<<primaryBits entries) and, for codes longer than primaryBits, subtables of
// 1<<(maxCodeLen-primaryBits) entries appended to *sub, from the code lengths of a canonical Huffman code (RFC 1951
// 3.2.2). It accepts what compress/flate accepts: a complete code, a code of a single symbol one bit long, or no code
// at all (any lookup then finds flagInvalid).
func build(primary []entry, primaryBits uint, sub *[]entry, lengths []uint8, meaning symbolEntry) bool {
	var count [maxCodeLen + 1]int
	maxLen := 0
	for _, n := range lengths {
		if n != 0 {
			count[n]++
			maxLen = max(maxLen, int(n))
		}
	}
	for i := range primary {
		primary[i] = flagInvalid
	}
	if sub != nil {
		*sub = (*sub)[:0]
	}
	if maxLen == 0 {
		return true
	}
	var next [maxCodeLen + 1]int
	code := 0
	for n := 1; n <= maxLen; n++ {
		code = (code + count[n-1]) << 1
		next[n] = code
	}
	// code is now the first code of the longest length; the code is complete when the longest codes end it exactly.
	if end := code + count[maxLen]; end != 1<<maxLen && !(end == 1 && maxLen == 1) {
		return false
	}
	subBits := maxCodeLen - primaryBits
	for sym, n := range lengths {
		if n == 0 {
			continue
		}
		rev := int(bits.Reverse16(uint16(next[n])) >> (16 - n))
		next[n]++
		e := meaning(sym) | entry(n)
		if uint(n) <= primaryBits {
			for i := rev; i < len(primary); i += 1 << n {
				primary[i] = e
			}
			continue
		}
		prefix := rev & (1<<primaryBits - 1)
		if primary[prefix]&flagSub == 0 {
			start := len(*sub)
			for range 1 << subBits {
				*sub = append(*sub, flagInvalid)
			}
			primary[prefix] = flagSub | entry(start)<<16
		}
		table := (*sub)[primary[prefix]>>16:][:1<<subBits]
		for i := rev >> primaryBits; i < len(table); i += 1 << (uint(n) - primaryBits) {
			table[i] = e
		}
	}
	return true
}

// fixedTables are the tables of the fixed Huffman code (RFC 1951 3.2.6), built once.
type fixedTables struct {
	lit  [1 << litBits]entry
	dist [1 << distBits]entry
}

var fixed = func() *fixedTables {
	var lengths [288]uint8
	for i := range lengths {
		switch {
		case i < 144:
			lengths[i] = 8
		case i < 256:
			lengths[i] = 9
		case i < 280:
			lengths[i] = 7
		default:
			lengths[i] = 8
		}
	}
	t := new(fixedTables)
	build(t.lit[:], litBits, nil, lengths[:], litLenEntry)
	var dist [32]uint8
	for i := range dist {
		dist[i] = 5
	}
	build(t.dist[:], distBits, nil, dist[:], distEntry)
	return t
}()
