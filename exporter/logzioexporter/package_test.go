// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package logzioexporter

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// The shared Prometheus test peer lives until the test binary exits; its process waiter is expected.
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/testpeers.(*peer).waitHTTP.func1"))
}
