// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosehttp // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/firehosehttp"

import (
	"context"

	"go.opentelemetry.io/otel/metric"
)

// Batch is what a receiver makes of one Firehose request: the Handler hands it every record of the request in order,
// then, when all of them were read and decoded, asks it once to consume the result. A Batch is used by one request
// only and never concurrently.
type Batch interface {
	// AddRecord decodes one record. data is only valid during the call. An error refuses the whole request with 400,
	// naming the record's index: nothing of the request reaches the pipeline.
	AddRecord(data []byte) error
	// Format is the format the records were read in, as the format attribute of the request's telemetry, or "" when
	// no record told it (the Handler then says "unknown").
	Format() string
	// Consume hands everything decoded to the pipeline in one call (all or nothing) and, when the pipeline accepted
	// it, counts what the receiver counts. ctx carries consume_timeout. The error is the pipeline's: permanent ones are
	// answered 400 (Firehose backs the batch up to S3), any other 503 (Firehose retries).
	Consume(ctx context.Context) error
}

// NewBatchFunc starts the Batch of a request; commonAttributes are the stream's X-Amz-Firehose-Common-Attributes
// (nil when the request has none).
type NewBatchFunc func(commonAttributes map[string]string) Batch

// Telemetry are the receiver's instruments the Handler records (from the receiver's metadata.yaml, so that they keep
// the receiver's names).
type Telemetry struct {
	// Requests counts answered requests by http.response.status_code and format.
	Requests metric.Int64Counter
	// RequestDuration is the time from a request's headers to its answer, with the same attributes.
	RequestDuration metric.Float64Histogram
	// DuplicateRequests counts retries of accepted requests answered 200 without delivering them again.
	DuplicateRequests metric.Int64Counter
	// DecodeErrors counts requests refused because their body or a record could not be decoded, by reason (body,
	// record, too_large, content_encoding, common_attributes).
	DecodeErrors metric.Int64Counter
}
