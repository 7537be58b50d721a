// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package firehosetest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
)

// Start is test support: it starts c with a no-op host and shuts it down, without error, when the test ends.
func Start(t *testing.T, c component.Component) {
	t.Helper()
	require.NoError(t, c.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, c.Shutdown(context.Background())) })
}
