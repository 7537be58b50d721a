// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrail // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"

import (
	"bufio"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
)

// objectReader remembers the last error of the object's own reader, so a failure of the connection can be told
// apart from bad gzip data (which is permanent).
type objectReader struct {
	r   io.Reader
	err error
}

func (o *objectReader) Read(p []byte) (int, error) {
	n, err := o.r.Read(p)
	if err != nil && err != io.EOF {
		o.err = err
	}
	return n, err
}

// input turns the raw object into a decompressed byte stream, reusing its buffers and gzip state.
type input struct {
	object  objectReader
	buffer  *bufio.Reader
	gzip    *gzip.Reader
	gzipped bool
}

const objectBufferSize = 32 << 10

// open detects gzip by its magic bytes (1f 8b); anything else is read as plain JSON.
func (in *input) open(r io.Reader) (io.Reader, error) {
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
			return nil, fmt.Errorf("%w: not a CloudTrail log file: the object is empty", ErrCorrupt)
		}
		return nil, in.classify(err)
	}
	if len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		return in.buffer, nil
	}
	in.gzipped = true
	if in.gzip == nil {
		in.gzip, err = gzip.NewReader(in.buffer)
	} else {
		err = in.gzip.Reset(in.buffer)
	}
	if err != nil {
		return nil, in.classify(err)
	}
	return in.gzip, nil
}

// classify returns read errors of the object unchanged (wrapped) and reports errors produced by the gzip layer
// as ErrCorrupt.
func (in *input) classify(err error) error {
	if in.object.err != nil || !in.gzipped {
		return fmt.Errorf("reading the object: %w", err)
	}
	return fmt.Errorf("%w: invalid gzip data: %v", ErrCorrupt, err)
}

func (in *input) release() {
	in.object = objectReader{}
	if in.buffer != nil {
		in.buffer.Reset(nil)
	}
}
