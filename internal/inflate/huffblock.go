// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package inflate // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/inflate"

import "encoding/binary"

// decodeHuffman decodes the symbols of a compressed block until its end, or until out has no room for another
// match. While eight input bytes are buffered the hot loop runs; near the end of the buffered input (and of the
// stream) symbols are decoded one at a time by decodeSymbol, which checks every bit it takes.
func (d *deflate) decodeHuffman() error {
	for d.state == blockHuffman && d.op <= d.outputLimit() {
		if d.br.ip+8 <= d.br.iend {
			if err := d.decodeFast(); err != nil {
				return err
			}
			continue
		}
		d.br.fill()
		if d.br.ip+8 <= d.br.iend {
			continue
		}
		if err := d.decodeSymbol(); err != nil {
			return err
		}
	}
	return nil
}

// tables returns the current block's decoding tables: the fixed code's or those read from the block header.
func (d *deflate) tables() (lit *[1 << litBits]entry, dist *[1 << distBits]entry, litSub, distSub []entry) {
	if d.useFix {
		return &fixed.lit, &fixed.dist, nil, nil
	}
	return &d.lit, &d.dist, d.litSub, d.distSub
}

// decodeFast is the hot loop. The bit buffer and positions live in locals, and every symbol starts with at least 56
// bits buffered, enough for a length, a distance and their extra bits (48), so nothing is checked between codes.
func (d *deflate) decodeFast() error {
	lit, dist, litSub, distSub := d.tables()
	br := &d.br
	out := d.out
	op, limit, histStart := d.op, d.outputLimit(), d.histStart
	in := br.in[:br.iend]
	ip, bits, nb := br.ip, br.bits, br.nb
	var err error

	for op <= limit && ip+8 <= len(in) {
		bits |= binary.LittleEndian.Uint64(in[ip:]) << nb
		ip += int((63 - nb) >> 3)
		nb |= 56

		e := lit[bits&litMask]
		if e&flagSub != 0 {
			e = litSub[int(e>>16)+int(bits>>litBits&(1<<litSubBits-1))]
		}
		n := uint(e & 15)
		bits >>= n
		nb -= n
		if e&(flagBase|flagEnd|flagInvalid) == 0 {
			out[op] = byte(e >> 16)
			op++
			// At least 41 bits are left: a second literal of the primary table needs no refill.
			e = lit[bits&litMask]
			if e&(flagSub|flagBase|flagEnd|flagInvalid) != 0 {
				continue
			}
			n = uint(e & 15)
			bits >>= n
			nb -= n
			out[op] = byte(e >> 16)
			op++
			// And a third (at least 26 bits left).
			e = lit[bits&litMask]
			if e&(flagSub|flagBase|flagEnd|flagInvalid) == 0 {
				n = uint(e & 15)
				bits >>= n
				nb -= n
				out[op] = byte(e >> 16)
				op++
			}
			continue
		}
		if e&flagBase == 0 {
			if e&flagInvalid != 0 {
				err = d.corrupt("invalid literal/length code")
				break
			}
			d.state = blockHeader
			break
		}
		extra := uint(e>>4) & 15
		length := int(e>>16) + int(bits&(1<<extra-1))
		bits >>= extra
		nb -= extra

		e = dist[bits&distMask]
		if e&flagSub != 0 {
			e = distSub[int(e>>16)+int(bits>>distBits&(1<<distSubBit-1))]
		}
		n = uint(e & 15)
		bits >>= n
		extra = uint(e>>4) & 15
		distance := int(e>>16) + int(bits&(1<<extra-1))
		bits >>= extra
		nb -= n + extra
		if e&flagInvalid != 0 {
			err = d.corrupt("invalid distance code")
			break
		}
		if distance > op-histStart {
			err = d.corrupt("match distance reaches before the start of the stream")
			break
		}
		copyMatch(d.prev, out, op, distance, length)
		op += length
	}
	d.op = op
	br.ip, br.bits, br.nb = ip, bits, nb
	return err
}

// copyMatch copies length bytes from distance bytes back to out[op:], where out has room for outputSlack bytes more.
// A match reaching back before out starts in prev, the buffer out follows (see moveToNewBuffer).
func copyMatch(prev, out []byte, op, distance, length int) {
	if distance > op {
		copyMatchAcross(prev, out, op, distance, length)
		return
	}
	src := op - distance
	if distance >= 8 {
		// Most matches in JSON are short: copy 32 bytes whatever the length (each word read after the one before is
		// written, so a match overlapping itself repeats correctly), and loop only for the rest of a longer one. A
		// loop's exit is a branch the processor cannot predict; this costs a few extra stores instead.
		d, s := out[op:op+32], out[src:src+32]
		binary.LittleEndian.PutUint64(d[0:], binary.LittleEndian.Uint64(s[0:]))
		binary.LittleEndian.PutUint64(d[8:], binary.LittleEndian.Uint64(s[8:]))
		binary.LittleEndian.PutUint64(d[16:], binary.LittleEndian.Uint64(s[16:]))
		binary.LittleEndian.PutUint64(d[24:], binary.LittleEndian.Uint64(s[24:]))
		if length <= 32 {
			return
		}
		if distance >= length {
			copy(out[op+32:op+length], out[src+32:src+length]) // apart: one memmove
			return
		}
		for i := 32; i < length; i += 8 {
			binary.LittleEndian.PutUint64(out[op+i:], binary.LittleEndian.Uint64(out[src+i:]))
		}
		return
	}
	if distance == 1 {
		b := out[src]
		for i := range out[op : op+length] {
			out[op+i] = b
		}
		return
	}
	for i := range length {
		out[op+i] = out[src+i]
	}
}

// copyMatchAcross copies a match that starts in prev, the buffer before out (only matches in the first 32 KiB of a
// new buffer reach back that far): the part in prev, then what follows it from the start of out.
func copyMatchAcross(prev, out []byte, op, distance, length int) {
	p := len(prev) + op - distance // where the match starts in prev
	n := copy(out[op:op+length], prev[p:])
	if n < length {
		copyMatch(nil, out, op+n, op+n, length-n) // from out[0]
	}
}

// decodeSymbol decodes one symbol where fewer than eight input bytes are buffered, checking each code and its extra
// bits against the bits that are really there (the buffer reads as zeros past them).
func (d *deflate) decodeSymbol() error {
	lit, dist, litSub, distSub := d.tables()
	br := &d.br
	br.refill()
	take := func(n uint) (uint32, error) {
		if n > br.nb {
			return 0, br.ended()
		}
		return br.take(n), nil
	}
	e := lit[br.bits&litMask]
	if e&flagSub != 0 {
		e = litSub[int(e>>16)+int(br.bits>>litBits&(1<<litSubBits-1))]
	}
	if e&flagInvalid != 0 {
		return d.corrupt("invalid literal/length code")
	}
	if _, err := take(uint(e & 15)); err != nil {
		return err
	}
	switch {
	case e&flagEnd != 0:
		d.state = blockHeader
		return nil
	case e&flagBase == 0:
		d.out[d.op] = byte(e >> 16)
		d.op++
		return nil
	}
	extraBits, err := take(uint(e>>4) & 15)
	if err != nil {
		return err
	}
	length := int(e>>16) + int(extraBits)
	e = dist[br.bits&distMask]
	if e&flagSub != 0 {
		e = distSub[int(e>>16)+int(br.bits>>distBits&(1<<distSubBit-1))]
	}
	if e&flagInvalid != 0 {
		return d.corrupt("invalid distance code")
	}
	if _, err := take(uint(e & 15)); err != nil {
		return err
	}
	if extraBits, err = take(uint(e>>4) & 15); err != nil {
		return err
	}
	distance := int(e>>16) + int(extraBits)
	if distance > d.op-d.histStart {
		return d.corrupt("match distance reaches before the start of the stream")
	}
	copyMatch(d.prev, d.out, d.op, distance, length)
	d.op += length
	return nil
}
