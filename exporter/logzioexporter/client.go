// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter/internal/metadata"
)

// newHTTPClient builds the client both signals use from the confighttp settings.
// The configured compression is applied by the logs path itself (it must measure the uncompressed body and
// the metrics body is always snappy), so it is removed here. Tracing of the HTTP client is disabled: span
// attributes would carry the request URL, and the log listener's URL carries the token. Redirects are never
// followed (see redirect.go).
func newHTTPClient(ctx context.Context, cfg *Config, host component.Host, set component.TelemetrySettings) (*http.Client, error) {
	clientCfg := cfg.ClientConfig
	clientCfg.Compression = ""
	set.TracerProvider = noop.NewTracerProvider()
	client, err := clientCfg.ToClient(ctx, host.GetExtensions(), set)
	if err != nil {
		return nil, err
	}
	client.CheckRedirect = refuseRedirects
	return client, nil
}

// response is what the exporter keeps of an HTTP answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// sendRequest sends req and reads at most maxAnswerBodyBytes of the answer. The returned error is redacted and
// means no answer was received.
func sendRequest(client *http.Client, req *http.Request, signal string, telemetry *metadata.TelemetryBuilder, secrets ...string) (response, error) {
	resp, err := client.Do(req)
	if err != nil {
		telemetry.ExporterLogzioRequests.Add(req.Context(), 1, metric.WithAttributes(
			attribute.String("signal", signal), attribute.String("status_code", "error")))
		return response{}, redactError(err, secrets...)
	}
	defer resp.Body.Close()
	// The status decides what to do: a body cut short by a read error is kept as far as it was read.
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBodyBytes))
	// The body and the Location of a redirect may be quoted in errors and logs: never let them echo a secret.
	for _, secret := range secrets {
		if secret != "" {
			body = bytes.ReplaceAll(body, []byte(secret), []byte(redacted))
		}
	}
	if location := resp.Header.Get("Location"); location != "" {
		resp.Header.Set("Location", maskSecrets(location, secrets...))
	}
	// Drain what is left so that the connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	telemetry.ExporterLogzioRequests.Add(req.Context(), 1, metric.WithAttributes(
		attribute.String("signal", signal), attribute.String("status_code", strconv.Itoa(resp.StatusCode))))
	return response{status: resp.StatusCode, header: resp.Header, body: body}, nil
}
