// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"bufio"
	"fmt"
	"io"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/inflate"
)

// Tap is a caller's hook on the input of one decode (DecodeHoldingLast), for a caller that needs more of the object
// than its records: the receiver hashes each trail log file for CloudTrail integrity validation (digests list the
// SHA-256 of the decompressed content) and counts the bytes it downloaded. The decoder decompresses once and
// classifies its read errors in one place (ErrObjectRead, ErrCorrupt); a Tap only watches.
type Tap struct {
	// Decompressed, when not nil, is written every decompressed byte the decoder reads, in order, as it reads them:
	// when decoding returns no error, the whole decompressed object, whitespace after the JSON document included.
	// Its Write must not fail (a hash.Hash does not): what it returns is not looked at.
	Decompressed io.Writer
	// ObjectBytes is set, when decoding returns, to the number of bytes read from the object as stored (compressed).
	ObjectBytes int64
}

// objectReader counts the bytes of the object and remembers the last error of its own reader, so a failure of the
// connection can be told apart from bad gzip data (which is permanent).
type objectReader struct {
	r   io.Reader
	n   int64
	err error
}

func (o *objectReader) Read(p []byte) (int, error) {
	n, err := o.r.Read(p)
	o.n += int64(n)
	if err != nil && err != io.EOF {
		o.err = err
	}
	return n, err
}

// teeReader hands what the decoder reads of the decompressed stream to a Tap.
type teeReader struct {
	r io.Reader
	w io.Writer
}

func (t *teeReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		_, _ = t.w.Write(p[:n])
	}
	return n, err
}

// input turns the raw object into a decompressed byte stream, reusing its buffers and gzip state.
type input struct {
	object  objectReader
	buffer  *bufio.Reader
	gzip    *inflate.Reader
	gzipped bool
	tap     *Tap
	tee     teeReader
	// teeChunks is tee for a gzip stream.
	teeChunks teeChunks
}

const objectBufferSize = 32 << 10

// open detects gzip by its magic bytes (1f 8b); anything else is read as plain JSON. A gzip stream comes back as a
// chunk source (the decompressor's buffers, not copied), plain JSON as a reader. in.tap, when set before, sees the
// decompressed stream returned and, on release, learns the object's size.
func (in *input) open(r io.Reader) (io.Reader, chunkSource, error) {
	in.object = objectReader{r: r}
	if in.buffer == nil {
		in.buffer = bufio.NewReaderSize(&in.object, objectBufferSize)
	} else {
		in.buffer.Reset(&in.object)
	}
	in.gzipped = false
	magic, err := in.buffer.Peek(2)
	if len(magic) == 0 {
		if err == io.EOF {
			return nil, nil, fmt.Errorf("%w: not a CloudTrail log file: the object is empty", ErrCorrupt)
		}
		return nil, nil, in.classify(err)
	}
	if len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		if in.tap == nil || in.tap.Decompressed == nil {
			return in.buffer, nil, nil
		}
		in.tee = teeReader{r: in.buffer, w: in.tap.Decompressed}
		return &in.tee, nil, nil
	}
	in.gzipped = true
	if in.gzip == nil {
		in.gzip, err = inflate.NewReader(in.buffer)
	} else {
		err = in.gzip.Reset(in.buffer)
	}
	if err != nil {
		return nil, nil, in.classify(err)
	}
	if in.tap == nil || in.tap.Decompressed == nil {
		return nil, in.gzip, nil
	}
	in.teeChunks = teeChunks{src: in.gzip, w: in.tap.Decompressed}
	return nil, &in.teeChunks, nil
}

// teeChunks hands what the decoder takes of a chunk source to a Tap.
type teeChunks struct {
	src chunkSource
	w   io.Writer
}

func (t *teeChunks) Next() ([]byte, error) {
	b, err := t.src.Next()
	if len(b) > 0 {
		_, _ = t.w.Write(b)
	}
	return b, err
}

func (t *teeChunks) Keep() { t.src.Keep() }

// classify is the one place that tells a read error of the object (ErrObjectRead: the connection, not the object)
// from an error of the gzip layer (ErrCorrupt).
func (in *input) classify(err error) error {
	if in.object.err != nil || !in.gzipped {
		return fmt.Errorf("%w: %w", ErrObjectRead, err)
	}
	return fmt.Errorf("%w: invalid gzip data: %v", ErrCorrupt, err)
}

// release hands the Tap the object's size and drops the references to the caller's reader and Tap.
func (in *input) release() {
	if in.tap != nil {
		in.tap.ObjectBytes = in.object.n
	}
	in.object = objectReader{}
	in.tap = nil
	in.tee = teeReader{}
	in.teeChunks = teeChunks{}
	if in.buffer != nil {
		in.buffer.Reset(nil)
	}
}
