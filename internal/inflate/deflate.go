// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package inflate // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/inflate"

import (
	"errors"
	"fmt"
)

const (
	windowSize = 1 << 15 // the farthest a match reaches back (RFC 1951 2.)
	maxMatch   = 258
	// outputChunk is how much is decoded behind the window before the window is moved back to the start of out.
	outputChunk = 96 << 10
	// outputSlack lets a match copy 32 bytes, or eight at a time, past its end.
	outputSlack = 32
)

// CorruptError is returned for input that is not valid DEFLATE data; Offset is the compressed byte it was found at
// (approximately: the decoder reads ahead).
type CorruptError struct {
	Offset int64
	Reason string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("inflate: corrupt input near byte %d: %s", e.Offset, e.Reason)
}

var errBlockType = errors.New("reserved block type")

type blockState uint8

const (
	blockHeader  blockState = iota // the next bits start a block
	blockStored                    // storedLeft bytes of a stored block remain
	blockHuffman                   // inside a compressed block with lit/dist tables
	streamEnd                      // the final block ended
)

// deflate decodes one DEFLATE stream into out, where out[:op] keeps at least the last windowSize bytes the stream
// produced (or all of them, from histStart, when fewer).
type deflate struct {
	br bitReader

	out []byte
	op  int // next byte to write
	// histStart is where the history matches may reach back into starts, relative to out: this stream's first byte,
	// or, when negative, -histStart bytes before out in prev (out was then started afresh: see moveToNewBuffer).
	histStart int
	prev      []byte

	state      blockState
	final      bool
	storedLeft int

	lit     [1 << litBits]entry
	dist    [1 << distBits]entry
	litSub  []entry
	distSub []entry
	useFix  bool
	lengths [286 + 30]uint8
}

func (d *deflate) corrupt(reason string) error {
	return &CorruptError{Offset: d.br.consumed + int64(d.br.ip) - int64((d.br.nb+7)/8), Reason: reason}
}

// startStream begins a new DEFLATE stream; output written before stays readable but out of the new stream's reach.
func (d *deflate) startStream() {
	if d.out == nil {
		d.out = make([]byte, windowSize+outputChunk+maxMatch+outputSlack)
	}
	d.histStart = d.op
	d.state = blockHeader
	d.final = false
}

// outputLimit is the last position a symbol may start writing at.
func (d *deflate) outputLimit() int { return len(d.out) - maxMatch - outputSlack }

// slide moves the window (the last windowSize bytes decoded) to the start of out.
func (d *deflate) slide() {
	shift := d.op - windowSize
	copy(d.out, d.out[shift:d.op])
	d.op = windowSize
	d.histStart = max(0, d.histStart-shift)
	d.prev = nil
}

// moveToNewBuffer continues in a new out buffer, leaving the full one as it is for a caller that keeps its bytes.
// The window is not copied: matches that reach back before the new buffer read the old one (prev).
func (d *deflate) moveToNewBuffer() {
	reach := min(windowSize, d.op-d.histStart)
	d.prev = d.out[:d.op]
	d.out = make([]byte, outputChunk+maxMatch+outputSlack)
	d.op = 0
	d.histStart = -reach
}

// step decodes until the stream ends or out has no room left for another symbol. The caller slides out first.
func (d *deflate) step() error {
	for d.op <= d.outputLimit() {
		switch d.state {
		case blockHeader:
			if d.final {
				d.state = streamEnd
				return nil
			}
			if err := d.readBlockHeader(); err != nil {
				return err
			}
		case blockStored:
			if err := d.copyStored(); err != nil {
				return err
			}
		case blockHuffman:
			if err := d.decodeHuffman(); err != nil {
				return err
			}
		case streamEnd:
			return nil
		}
	}
	return nil
}

func (d *deflate) readBlockHeader() error {
	if err := d.br.need(3); err != nil {
		return err
	}
	d.final = d.br.take(1) == 1
	switch d.br.take(2) {
	case 0:
		return d.readStoredHeader()
	case 1:
		d.useFix = true
		d.state = blockHuffman
		return nil
	case 2:
		d.useFix = false
		if err := d.readDynamicTables(); err != nil {
			return err
		}
		d.state = blockHuffman
		return nil
	default:
		return d.corrupt(errBlockType.Error())
	}
}

func (d *deflate) readStoredHeader() error {
	d.br.alignToByte()
	if err := d.br.need(32); err != nil {
		return err
	}
	n := d.br.take(16)
	if nn := d.br.take(16); uint16(nn) != ^uint16(n) {
		return d.corrupt("stored block length does not match its complement")
	}
	d.storedLeft = int(n)
	d.state = blockStored
	return nil
}

// copyStored copies a stored block's bytes: first those the bit buffer read ahead, then straight from the input.
func (d *deflate) copyStored() error {
	br := &d.br
	for d.storedLeft > 0 && br.nb >= 8 && d.op < len(d.out)-outputSlack {
		d.out[d.op] = byte(br.take(8))
		d.op++
		d.storedLeft--
	}
	if br.nb == 0 {
		// The word loads of the hot loop leave copies of the next input bytes above nb; these bytes are copied
		// straight from the input now, so the copies must go.
		br.bits = 0
	}
	for d.storedLeft > 0 && d.op < len(d.out)-outputSlack {
		if br.ip == br.iend {
			br.fill()
			if br.ip == br.iend {
				return br.ended()
			}
		}
		n := copy(d.out[d.op:len(d.out)-outputSlack], br.in[br.ip:min(br.iend, br.ip+d.storedLeft)])
		br.ip += n
		d.op += n
		d.storedLeft -= n
	}
	if d.storedLeft == 0 {
		d.state = blockHeader
	}
	return nil
}

// codeLengthOrder is the order the code length code's lengths are stored in (RFC 1951 3.2.7).
var codeLengthOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

func (d *deflate) readDynamicTables() error {
	br := &d.br
	if err := br.need(14); err != nil {
		return err
	}
	nlit := int(br.take(5)) + 257
	ndist := int(br.take(5)) + 1
	nclen := int(br.take(4)) + 4
	if nlit > 286 {
		return d.corrupt("more than 286 literal/length codes")
	}
	if ndist > 30 {
		return d.corrupt("more than 30 distance codes")
	}
	var clens [19]uint8
	for i := range nclen {
		if err := br.need(3); err != nil {
			return err
		}
		clens[codeLengthOrder[i]] = uint8(br.take(3))
	}
	var clenTable [1 << clenBits]entry
	if !build(clenTable[:], clenBits, nil, clens[:], clenEntry) {
		return d.corrupt("invalid code length code")
	}
	lengths := d.lengths[:nlit+ndist]
	for i := 0; i < len(lengths); {
		br.refill()
		e := clenTable[br.bits&(1<<clenBits-1)]
		n := uint(e & 15)
		if e&flagInvalid != 0 {
			return d.corrupt("invalid code length symbol")
		}
		if n > br.nb {
			return br.ended()
		}
		br.take(n)
		sym := int(e >> 16)
		if sym < 16 {
			lengths[i] = uint8(sym)
			i++
			continue
		}
		var rep int
		var value uint8
		switch sym {
		case 16:
			if i == 0 {
				return d.corrupt("repeat of a code length before the first")
			}
			if err := br.need(2); err != nil {
				return err
			}
			rep, value = 3+int(br.take(2)), lengths[i-1]
		case 17:
			if err := br.need(3); err != nil {
				return err
			}
			rep = 3 + int(br.take(3))
		default:
			if err := br.need(7); err != nil {
				return err
			}
			rep = 11 + int(br.take(7))
		}
		if i+rep > len(lengths) {
			return d.corrupt("code lengths repeat past the last code")
		}
		for range rep {
			lengths[i] = value
			i++
		}
	}
	if !build(d.lit[:], litBits, &d.litSub, lengths[:nlit], litLenEntry) {
		return d.corrupt("invalid literal/length code")
	}
	if !build(d.dist[:], distBits, &d.distSub, lengths[nlit:], distEntry) {
		return d.corrupt("invalid distance code")
	}
	return nil
}
