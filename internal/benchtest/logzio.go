// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package benchtest // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/benchtest"

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configcompression"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/exporter/exportertest"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"
)

// LogzioExporter starts the logzio exporter sending to url, without queue and retries, gzipped at gzipLevel (0: the
// exporter's default) or uncompressed (gzipLevel < 0). It is shut down when the test ends.
func LogzioExporter(tb testing.TB, url string, gzipLevel int) exporter.Logs {
	tb.Helper()
	f := logzioexporter.NewFactory()
	cfg := f.CreateDefaultConfig().(*logzioexporter.Config)
	cfg.Logs.Token = "token"
	cfg.Logs.Endpoint = url
	if gzipLevel < 0 {
		cfg.ClientConfig.Compression = configcompression.Type("none")
	} else {
		cfg.ClientConfig.CompressionParams.Level = configcompression.Level(gzipLevel)
	}
	cfg.QueueConfig = configoptional.None[exporterhelper.QueueBatchConfig]()
	cfg.BackOffConfig.Enabled = false
	exp, err := f.CreateLogs(context.Background(), exportertest.NewNopSettings(f.Type()), cfg)
	require.NoError(tb, err)
	require.NoError(tb, exp.Start(context.Background(), componenttest.NewNopHost()))
	tb.Cleanup(func() { require.NoError(tb, exp.Shutdown(context.Background())) })
	return exp
}

// DiscardListener answers 200 to every request after reading its body, which it counts in wire (bytes on the wire).
// It is closed when the test ends.
func DiscardListener(tb testing.TB) (url string, wire *atomic.Int64) {
	wire = new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		wire.Add(n)
		w.WriteHeader(http.StatusOK)
	}))
	tb.Cleanup(srv.Close)
	return srv.URL, wire
}

// RunLogsVariants runs bench as sub-benchmarks named gzip-level=<0|1>/<map|pass-through>: map bodies against
// pass-through, at the exporter's default gzip level (0) and at level 1, the variants the CloudTrail benchmarks
// compare.
func RunLogsVariants(b *testing.B, bench func(b *testing.B, gzipLevel int, passThrough bool)) {
	for _, level := range []int{0, 1} {
		for _, passThrough := range []bool{false, true} {
			body := "map"
			if passThrough {
				body = "pass-through"
			}
			b.Run(fmt.Sprintf("gzip-level=%d/%s", level, body), func(b *testing.B) { bench(b, level, passThrough) })
		}
	}
}
