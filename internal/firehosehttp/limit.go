// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

// requestLimit bounds the requests being served at once (max_concurrent_requests): each holds a slot from the moment
// its headers are read until its answer is decided, body read and pipeline call included.
type requestLimit chan struct{}

func newRequestLimit(n int) requestLimit {
	return make(requestLimit, n)
}

// tryAcquire takes a slot if one is free; it never waits.
func (l requestLimit) tryAcquire() bool {
	select {
	case l <- struct{}{}:
		return true
	default:
		return false
	}
}

// release gives back a slot taken by tryAcquire.
func (l requestLimit) release() {
	<-l
}
