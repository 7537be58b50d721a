// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/cloudtrail"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver/internal/integrity"
)

// hashingReader decompresses an object body (gzip detected by its magic bytes, like the decoder does; anything else
// passes through) and hashes the decompressed bytes as the decoder reads them, so the SHA-256 a digest lists is
// computed on the bytes already downloaded for shipping. The decoder then sees plain JSON, and max_object_bytes
// still applies to the decompressed stream it counts.
type hashingReader struct {
	body   *bufio.Reader
	hasher *integrity.Hasher
	r      io.Reader // set on the first Read
}

func newHashingReader(body io.Reader, hasher *integrity.Hasher) *hashingReader {
	return &hashingReader{body: bufio.NewReaderSize(body, 32<<10), hasher: hasher}
}

func (h *hashingReader) Read(p []byte) (int, error) {
	if h.r == nil {
		if err := h.open(); err != nil {
			return 0, err
		}
	}
	return h.r.Read(p)
}

func (h *hashingReader) open() error {
	magic, err := h.body.Peek(2)
	if len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		if len(magic) == 0 && err != nil {
			return err // empty object (io.EOF) or a failing body: the decoder reports both
		}
		h.r = h.hasher.Reader(h.body)
		return nil
	}
	zr, err := gzip.NewReader(h.body)
	if err != nil {
		return corruptGzip(err)
	}
	h.r = h.hasher.Reader(&gzipErrors{r: zr})
	return nil
}

// gzipErrors reports errors of the gzip layer as cloudtrail.ErrCorrupt, as the decoder would have. A failing
// connection surfaces here too; the object reader tells it apart by the error its counting reader saw first.
type gzipErrors struct{ r io.Reader }

func (g *gzipErrors) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = corruptGzip(err)
	}
	return n, err
}

func corruptGzip(err error) error {
	return fmt.Errorf("%w: invalid gzip data: %v", cloudtrail.ErrCorrupt, err)
}
