// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package inflate // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/inflate"

import (
	"encoding/binary"
	"io"
)

const inputBufferSize = 32 << 10

// bitReader buffers the compressed input and hands it out LSB first (RFC 1951 3.1.1). Bits are read ahead into
// bits, a word at a time where the input allows; whatever it read ahead stays there, so the gzip trailer and the next
// member are read through it as well.
type bitReader struct {
	r    io.Reader
	in   []byte
	ip   int // next byte of in to load into bits
	iend int
	rerr error // the reader's first error, io.EOF included: returned once its input is needed
	// consumed counts the bytes dropped from in before ip, for error offsets.
	consumed int64

	bits uint64
	nb   uint // valid bits in bits, at most 63
}

func (br *bitReader) reset(r io.Reader) {
	if br.in == nil {
		br.in = make([]byte, inputBufferSize)
	}
	*br = bitReader{r: r, in: br.in}
}

// fill reads more input once the buffer holds fewer than eight unread bytes, until it holds eight or the reader
// fails.
func (br *bitReader) fill() {
	if br.iend-br.ip >= 8 || br.rerr != nil {
		return
	}
	br.consumed += int64(br.ip)
	br.iend = copy(br.in, br.in[br.ip:br.iend])
	br.ip = 0
	for empty := 0; br.iend < 8 && br.rerr == nil; {
		n, err := br.r.Read(br.in[br.iend:])
		br.iend += n
		if err != nil {
			br.rerr = err
		} else if n == 0 {
			if empty++; empty >= 100 {
				br.rerr = io.ErrNoProgress
			}
		}
	}
}

// refill loads bits until it holds 56 or the input has ended: a word at a time when eight bytes are buffered.
func (br *bitReader) refill() {
	if br.ip+8 > br.iend {
		br.fill()
		if br.ip+8 > br.iend {
			for br.nb < 56 && br.ip < br.iend {
				br.bits |= uint64(br.in[br.ip]) << br.nb
				br.ip++
				br.nb += 8
			}
			return
		}
	}
	br.bits |= binary.LittleEndian.Uint64(br.in[br.ip:]) << br.nb
	br.ip += int((63 - br.nb) >> 3)
	br.nb |= 56
}

// need makes n (at most 56) bits available, or returns why it cannot.
func (br *bitReader) need(n uint) error {
	if br.nb >= n {
		return nil
	}
	br.refill()
	if br.nb >= n {
		return nil
	}
	return br.ended()
}

// ended is the error for input that stopped inside the stream: the reader's own, or io.ErrUnexpectedEOF.
func (br *bitReader) ended() error {
	if br.rerr == nil || br.rerr == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return br.rerr
}

// take consumes n bits, which need made available.
func (br *bitReader) take(n uint) uint32 {
	v := uint32(br.bits & (1<<n - 1))
	br.bits >>= n
	br.nb -= n
	return v
}

// alignToByte drops the bits up to the next byte boundary.
func (br *bitReader) alignToByte() {
	br.take(br.nb & 7)
}

// atEOF reports whether every input byte was consumed and the reader has no more: it reads to find out.
func (br *bitReader) atEOF() bool {
	if br.nb > 0 || br.ip < br.iend {
		return false
	}
	br.fill()
	return br.ip == br.iend
}
