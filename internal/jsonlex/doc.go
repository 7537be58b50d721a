// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package jsonlex holds the byte-level JSON lexing that the collector's hand-written decoders share: the search for
// the bytes that end a run of plain string text (eight bytes at a time), escape and UTF-16 surrogate decoding, the
// number grammar and a resumable value skipper. The tokenizers themselves stay with their decoders, because they
// read differently: the CloudTrail decoder streams a decompressed object through a refilled buffer, the metric-stream
// decoder reads one record in memory, the Firehose envelope reads a bounded request body.
//
// encoding/json (RFC 8259) is the reference: every function here accepts and decodes what encoding/json does,
// except where its documentation says otherwise. The fuzz tests check that.
package jsonlex // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/jsonlex"
