// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzip"
)

// errBodyTooLarge is the decompressed body growing past max_request_body_size.
var errBodyTooLarge = errors.New("request body larger than max_request_body_size")

// bodyReader returns the decompressed body bounded by max_request_body_size on the received bytes and again on the
// decompressed bytes (a gzip bomb stops at the cap; nothing is read whole into memory).
func (h *Handler) bodyReader(w http.ResponseWriter, r *http.Request) (io.Reader, func(), error) {
	raw := http.MaxBytesReader(w, r.Body, h.maxBodySize)
	encoding := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding")))
	switch encoding {
	case "", "identity":
		return raw, func() {}, nil
	case "gzip":
		zr, _ := h.gzips.Get().(*gzip.Reader)
		var err error
		if zr == nil {
			zr, err = gzip.NewReader(raw)
		} else {
			err = zr.Reset(raw)
		}
		if err != nil {
			if isBodyTooLarge(err) {
				return nil, nil, err
			}
			return nil, nil, fmt.Errorf("body is not valid gzip: %v", err)
		}
		return &cappedReader{r: zr, remaining: h.maxBodySize}, func() { h.gzips.Put(zr) }, nil
	default:
		return nil, nil, fmt.Errorf("unsupported Content-Encoding %q: Firehose sends gzip or no encoding", encoding)
	}
}

func isBodyTooLarge(err error) bool {
	var maxBytes *http.MaxBytesError
	return errors.Is(err, errBodyTooLarge) || errors.As(err, &maxBytes)
}

// cappedReader fails with errBodyTooLarge once more than remaining bytes come out of r.
type cappedReader struct {
	r         io.Reader
	remaining int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.remaining <= 0 {
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, errBodyTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > c.remaining {
		p = p[:c.remaining]
	}
	n, err := c.r.Read(p)
	c.remaining -= int64(n)
	return n, err
}
