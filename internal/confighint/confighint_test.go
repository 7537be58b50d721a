// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package confighint

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
)

func TestCheck(t *testing.T) {
	hints := []Hint{{"access_key", "write access_keys"}, {"starttime", "write start_time"}}
	require.NoError(t, Check(confmap.NewFromStringMap(map[string]any{"access_keys": []any{"k"}}), hints))
	err := Check(confmap.NewFromStringMap(map[string]any{"access_key": "k", "starttime": "x"}), hints)
	assert.ErrorContains(t, err, "write access_keys")
	assert.ErrorContains(t, err, "write start_time")
}
