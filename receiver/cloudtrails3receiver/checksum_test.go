// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package cloudtrails3receiver

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
)

// S3's checksum is asked for and checked for every object but gzip files, which the decoder checks against their own
// CRC-32 and length (TestCorruptGzipMidStream in internal/cloudtrail): the server below answers every request that asks for the
// checksum with a wrong one, and the SDK refuses exactly those bodies.
func TestChecksumIsCheckedUnlessTheObjectIsGzip(t *testing.T) {
	var mu sync.Mutex
	asked := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[r.URL.Path] = r.Header.Get("X-Amz-Checksum-Mode") == "ENABLED"
		mu.Unlock()
		if r.Header.Get("X-Amz-Checksum-Mode") == "ENABLED" {
			w.Header().Set("X-Amz-Checksum-Crc32", "AAAAAA==") // not the CRC-32 of the body
		}
		_, _ = io.WriteString(w, `{"Records":[]}`)
	}))
	t.Cleanup(srv.Close)

	client, err := newS3Client(context.Background(), httpServerConfig("sum-bucket", srv.URL), sdkRetry{MaxAttempts: 1}, zap.NewNop())
	require.NoError(t, err)

	read := func(key string) error {
		out, err := client.GetObject(context.Background(), getObjectInput("sum-bucket", key))
		require.NoError(t, err, key)
		defer out.Body.Close()
		_, err = io.ReadAll(out.Body)
		return err
	}
	const gz = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/05/111122223333_CloudTrail_us-east-1_20261205T0000Z_a.json.gz"
	require.NoError(t, read(gz), "a gzip file is not checked by the SDK")
	err = read("AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/05/plain.json")
	require.Error(t, err, "an object that is not gzip is checked by the SDK")
	assert.Contains(t, err.Error(), "checksum")

	mu.Lock()
	defer mu.Unlock()
	assert.False(t, asked["/sum-bucket/"+gz])
	assert.True(t, asked["/sum-bucket/AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/05/plain.json"])
}
