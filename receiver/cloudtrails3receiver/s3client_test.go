// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.uber.org/zap"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"
)

// Every worker keeps its connection to S3 while it pauses: two rounds of as many concurrent GetObject calls as there
// are workers open each connection once (the SDK's default pool kept 10 and opened the others again, each a TLS
// handshake against real S3).
func TestWorkersKeepTheirConnections(t *testing.T) {
	srv, opened := testpeers.ConnCountingServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = io.WriteString(w, `{"Records":[]}`)
	}))

	cfg := httpServerConfig("conn-bucket", srv.URL)
	cfg.Workers = 32
	client, err := newS3Client(context.Background(), cfg, sdkRetry{MaxAttempts: 1}, zap.NewNop())
	require.NoError(t, err)

	for round := range 2 {
		// All workers hold a response at the same time, then all go idle together.
		var got, done sync.WaitGroup
		got.Add(cfg.Workers)
		done.Add(cfg.Workers)
		for range cfg.Workers {
			go func() {
				defer done.Done()
				out, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("conn-bucket"), Key: aws.String("k")})
				got.Done()
				if !assert.NoError(t, err) {
					return
				}
				got.Wait()
				_, _ = io.Copy(io.Discard, out.Body)
				_ = out.Body.Close()
			}()
		}
		done.Wait()
		assert.Equal(t, int64(cfg.Workers), opened.Load(), "connections opened after round %d", round+1)
	}
}

// httpServerConfig is the configuration of a receiver reading bucket from a test HTTP server at url, with static keys.
func httpServerConfig(bucket, url string) *Config {
	cfg := testConfig(bucket)
	cfg.Endpoint = url
	cfg.ForcePathStyle = true
	cfg.Region = "us-east-1"
	cfg.AccessKeyID = "AKIAEXAMPLE"
	cfg.SecretAccessKey = configopaque.String("secret")
	return cfg
}
