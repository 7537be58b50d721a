// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosemetricsreceiver // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver"

import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver/internal/metricstream"

// formatUnknown is the format attribute of a request whose records were not read (refused before: 401, 404, 413,
// 503 over max_concurrent_requests, a health check) or told nothing (no record, only empty ones, undecodable bytes).
const formatUnknown = "unknown"

// requestState is what ServeHTTP learns about a request while serving it.
type requestState struct {
	authenticated bool   // the access key was accepted
	format        string // the format attribute of the request's telemetry
}

// requestFormat is the stream output format of a request's records — json, opentelemetry0.7 or opentelemetry1.0, as
// the decoder read them (detected per record with format: auto) — or formatUnknown. A metric stream sends one format,
// so the first record that tells it speaks for the request.
func requestFormat(batch *metricstream.Batch) string {
	if f := batch.Format(); f != "" {
		return string(f)
	}
	return formatUnknown
}
