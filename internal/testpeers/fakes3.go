// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package testpeers // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers"

import (
	"net/http/httptest"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// FakeS3 starts an in-process gofakes3 server for unit tests; it is closed when the test ends. It checks no signatures.
func FakeS3(t testing.TB) *S3Server {
	t.Helper()
	faker := gofakes3.New(s3mem.New())
	srv := httptest.NewServer(faker.Server())
	t.Cleanup(srv.Close)
	return &S3Server{Endpoint: srv.URL, Region: "us-east-1", AccessKey: "fake-access", SecretKey: "fake-secret"}
}
