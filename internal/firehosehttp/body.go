// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

import (
	"errors"
	"io"
	"net/http"
	"time"
)

// trackedBody remembers whether a request body was read to its end.
type trackedBody struct {
	io.ReadCloser
	sawEOF bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if errors.Is(err, io.EOF) {
		b.sawEOF = true
	}
	return n, err
}

// trackBody replaces the body of r with one that remembers whether it was read to its end.
func trackBody(r *http.Request) *trackedBody {
	body := &trackedBody{ReadCloser: r.Body}
	r.Body = body
	return body
}

// closeIfBodyUnread makes the answer close the connection when the request had a body that was not read to its end
// (refused before its access key was accepted: 401, 404, too many requests, bad headers). An authenticated request
// refused midway (413, 400) keeps net/http's own handling, which lets the client read the answer. Otherwise net/http reads what is left of the body
// (up to 256 KiB) after the answer, so that a client trickling its body, authenticated or not, would hold the
// connection and a goroutine for as long as it likes (or until read_timeout).
//
// Connection: close stops net/http from reading the rest before it writes the answer; the read deadline set to now
// makes its last read of the body, after the answer, fail at once, and the connection is then closed.
func closeIfBodyUnread(w http.ResponseWriter, r *http.Request, body *trackedBody) {
	if r.ContentLength == 0 || body.sawEOF {
		return
	}
	w.Header().Set("Connection", "close")
	// Not every ResponseWriter supports it (http.ErrNotSupported): Connection: close and read_timeout still apply.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now())
}
