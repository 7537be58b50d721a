// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package metadatacheck

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryComponentsBuilderMatchesItsMetadata runs the check on the repository's four components, and shows that it
// fails when a metric is added to a builder but not to metadata.yaml.
func TestEveryComponentsBuilderMatchesItsMetadata(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, component := range []string{"receiver/cloudtrails3receiver", "receiver/firehosemetricsreceiver", "receiver/firehoselogsreceiver", "exporter/logzioexporter"} {
		t.Run(component, func(t *testing.T) {
			dir := filepath.Join(root, component)
			declared, err := Declared(filepath.Join(dir, "metadata.yaml"))
			require.NoError(t, err)
			built, err := Built(filepath.Join(dir, "internal", "metadata", "generated_telemetry.go"))
			require.NoError(t, err)
			require.NotEmpty(t, declared)
			assert.Equal(t, declared, built, "metadata.yaml and internal/metadata/generated_telemetry.go must declare the same metrics (name, unit, instrument kind)")
		})
	}
}

func TestAMetricMissingFromMetadataIsFound(t *testing.T) {
	dir := t.TempDir()
	yaml := "telemetry:\n  metrics:\n    receiver_x_a:\n      unit: \"{a}\"\n      sum:\n        value_type: int\n        monotonic: true\n"
	src := `package metadata
func build(builder *TelemetryBuilder) {
	builder.A, _ = builder.meter.Int64Counter("otelcol_receiver_x_a", metric.WithDescription("a"), metric.WithUnit("{a}"))
	builder.B, _ = builder.meter.Float64Histogram("otelcol_receiver_x_b", metric.WithUnit("s"))
}
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "metadata.yaml"), []byte(yaml), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "telemetry.go"), []byte(src), 0o600))
	declared, err := Declared(filepath.Join(dir, "metadata.yaml"))
	require.NoError(t, err)
	built, err := Built(filepath.Join(dir, "telemetry.go"))
	require.NoError(t, err)
	assert.Equal(t, []Instrument{{Name: "otelcol_receiver_x_a", Unit: "{a}", Kind: "Int64Counter"}}, declared)
	assert.Equal(t, []Instrument{{Name: "otelcol_receiver_x_a", Unit: "{a}", Kind: "Int64Counter"}, {Name: "otelcol_receiver_x_b", Unit: "s", Kind: "Float64Histogram"}}, built)
	assert.NotEqual(t, declared, built, "the builder's extra metric is noticed")
}
