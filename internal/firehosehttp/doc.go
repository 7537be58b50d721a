// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

// Package firehosehttp is the Amazon Data Firehose HTTP endpoint contract shared by the receivers that Firehose
// delivers to (docs/firehose-http-endpoint.md): the endpoint's options and their defaults (EndpointConfig), the server
// (Server: listener, header and timeout limits, component status) and the request handling (Handler): health checks,
// request id and source ARN checks, access keys compared in constant time, max_concurrent_requests, deduplication of
// Firehose retries, Content-Encoding gzip with the body cap on the received and the decompressed bytes, the streamed
// request envelope with its per-record cap, one Batch per request consumed all or nothing within consume_timeout, and
// the JSON answer Firehose expects.
//
// What a record means belongs to the receiver: it gives the Handler a NewBatchFunc, and its Batch decodes the records
// and hands the result to its pipeline. The Handler records the receiver's own request instruments (Telemetry).
package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"
