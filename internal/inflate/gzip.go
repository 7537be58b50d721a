// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package inflate // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/inflate"

import (
	"errors"
	"hash/crc32"
	"io"
)

var (
	// ErrHeader: the data does not start with a gzip header, or the header is damaged.
	ErrHeader = errors.New("gzip: invalid header")
	// ErrChecksum: the decompressed data does not match the CRC-32 or the length in the member's trailer.
	ErrChecksum = errors.New("gzip: invalid checksum")
)

const (
	gzipID1     = 0x1f
	gzipID2     = 0x8b
	gzipDeflate = 8
	flagHdrCrc  = 1 << 1
	flagExtra   = 1 << 2
	flagName    = 1 << 3
	flagComment = 1 << 4
	// maxHeaderString bounds a header's file name and comment as compress/gzip does.
	maxHeaderString = 512
)

// Reader decompresses a gzip stream: one or more members (RFC 1952), read to the end, each checked against its
// trailer's CRC-32 and length. Errors of the underlying reader are returned as they are; damaged data gives
// ErrHeader, ErrChecksum, *CorruptError or io.ErrUnexpectedEOF. A Reader is reused through Reset.
type Reader struct {
	d    deflate
	read int // out[read:d.op] is decoded and not yet returned
	// crcFrom is where out's bytes not yet added to crc start; size counts the member's output mod 2^32.
	crcFrom int
	crc     uint32
	size    uint32
	err     error // returned once the decoded bytes before it are read
	// kept says the caller keeps bytes Next returned from out: out is left to the caller when it is full.
	kept bool
}

// NewReader reads the gzip header from r and returns a Reader of its decompressed content.
func NewReader(r io.Reader) (*Reader, error) {
	z := new(Reader)
	if err := z.Reset(r); err != nil {
		return nil, err
	}
	return z, nil
}

// Reset discards z's state and reads a new stream's gzip header from r, keeping z's buffers.
func (z *Reader) Reset(r io.Reader) error {
	out := z.d.out
	if z.kept {
		out, z.kept = nil, false
	}
	in := z.d.br.in
	z.d = deflate{out: out, litSub: z.d.litSub[:0], distSub: z.d.distSub[:0]}
	z.d.br.in = in
	z.d.br.reset(r)
	z.read, z.crcFrom, z.crc, z.size, z.err = 0, 0, 0, 0, nil
	if err := z.readHeader(); err != nil {
		if err == io.ErrUnexpectedEOF && z.d.br.atEOF() && z.d.br.consumed == 0 && z.d.br.ip == 0 {
			err = io.EOF
		}
		z.err = err
		return err
	}
	return nil
}

// Read returns decompressed bytes. Once every member was read and checked it returns io.EOF.
func (z *Reader) Read(p []byte) (int, error) {
	if err := z.fill(); err != nil {
		return 0, err
	}
	n := copy(p, z.d.out[z.read:z.d.op])
	z.read += n
	return n, nil
}

// Next returns the next decompressed bytes where the Reader decoded them, without copying them: a slice of its
// buffer, valid until the next call to Next, Read or Reset, unless Keep is called before. Once every member was read
// and checked it returns io.EOF. It never returns bytes and an error together.
func (z *Reader) Next() ([]byte, error) {
	if err := z.fill(); err != nil {
		return nil, err
	}
	b := z.d.out[z.read:z.d.op:z.d.op]
	z.read = z.d.op
	return b, nil
}

// Keep gives the bytes Next returned so far to the caller for good (records may point into them): the Reader never
// writes to them again, and continues in a new buffer when its own is full or it is Reset.
func (z *Reader) Keep() { z.kept = true }

// fill decodes until out holds bytes the caller has not read, or returns the error that ended the stream (io.EOF
// once every member was read and checked).
func (z *Reader) fill() error {
	for z.read == z.d.op {
		if z.err != nil {
			return z.err
		}
		z.decode()
	}
	return nil
}

// decode fills out with more of the stream, or sets z.err.
func (z *Reader) decode() {
	if z.read == z.d.op && z.d.op > z.d.outputLimit() {
		// out is full and the caller has read it all: move the window to the start of out, or, when the caller
		// keeps what out holds, continue in a new buffer.
		if z.kept {
			z.d.moveToNewBuffer()
			z.kept = false
		} else {
			z.d.slide()
		}
		z.read, z.crcFrom = z.d.op, z.d.op
	}
	err := z.d.step()
	z.crc = crc32.Update(z.crc, crc32.IEEETable, z.d.out[z.crcFrom:z.d.op])
	z.size += uint32(z.d.op - z.crcFrom)
	z.crcFrom = z.d.op
	if err != nil {
		z.err = err
		return
	}
	if z.d.state == streamEnd {
		z.err = z.endMember()
	}
}

// endMember checks the trailer and reads the next member's header: nil when there is one, io.EOF at the end.
func (z *Reader) endMember() error {
	br := &z.d.br
	br.alignToByte()
	if err := br.need(32); err != nil {
		return err
	}
	crc := br.take(32)
	if err := br.need(32); err != nil {
		return err
	}
	if size := br.take(32); crc != z.crc || size != z.size {
		return ErrChecksum
	}
	if br.atEOF() {
		if br.rerr != nil && br.rerr != io.EOF {
			return br.rerr
		}
		return io.EOF
	}
	return z.readHeader()
}

func (z *Reader) readByte() (byte, error) {
	if err := z.d.br.need(8); err != nil {
		return 0, err
	}
	return byte(z.d.br.take(8)), nil
}

// readHeader reads a member's header (RFC 1952 2.3) as compress/gzip does, and starts its DEFLATE stream.
func (z *Reader) readHeader() error {
	var h [10]byte
	hcrc := uint32(0)
	for i := range h {
		b, err := z.readByte()
		if err != nil {
			return err
		}
		h[i] = b
	}
	if h[0] != gzipID1 || h[1] != gzipID2 || h[2] != gzipDeflate {
		return ErrHeader
	}
	flags := h[3]
	hcrc = crc32.Update(hcrc, crc32.IEEETable, h[:])
	if flags&flagExtra != 0 {
		var xlen [2]byte
		for i := range xlen {
			b, err := z.readByte()
			if err != nil {
				return err
			}
			xlen[i] = b
		}
		hcrc = crc32.Update(hcrc, crc32.IEEETable, xlen[:])
		for range int(xlen[0]) | int(xlen[1])<<8 {
			b, err := z.readByte()
			if err != nil {
				return err
			}
			hcrc = crc32.Update(hcrc, crc32.IEEETable, []byte{b})
		}
	}
	for _, f := range []byte{flagName, flagComment} {
		if flags&f == 0 {
			continue
		}
		for i := 0; ; i++ {
			if i >= maxHeaderString {
				return ErrHeader
			}
			b, err := z.readByte()
			if err != nil {
				return err
			}
			hcrc = crc32.Update(hcrc, crc32.IEEETable, []byte{b})
			if b == 0 {
				break
			}
		}
	}
	if flags&flagHdrCrc != 0 {
		lo, err := z.readByte()
		if err != nil {
			return err
		}
		hi, err := z.readByte()
		if err != nil {
			return err
		}
		if uint16(lo)|uint16(hi)<<8 != uint16(hcrc) {
			return ErrHeader
		}
	}
	// Reserved flag bits must be zero (RFC 1952 2.3.1.2), as klauspost/compress checks.
	if flags>>5 != 0 {
		return ErrHeader
	}
	z.crc, z.size = 0, 0
	z.d.startStream()
	return nil
}
