// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package helm

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/k8stest"
)

// loadCollector is the collector configuration the container runs (mounted read-only from a ConfigMap of the
// release), resolved with the container's environment; the pods' checksum/config annotation is its checksum.
func loadCollector(t *testing.T, r *rendered, w k8stest.Workload, c corev1.Container) *k8stest.Collector {
	t.Helper()
	raw, mount := k8stest.MountedConfig(t, r.Objects, w, c)
	assert.True(t, mount.ReadOnly)
	// The annotation is the checksum of the configuration as rendered; the ConfigMap's block scalar adds a final newline.
	sum := sha256.Sum256([]byte(strings.TrimSuffix(raw, "\n")))
	assert.Equal(t, hex.EncodeToString(sum[:]), w.Pod.Annotations["checksum/config"], "the pods roll when the configuration changes")
	// ResolveConfig also fails on an ${env:X} without a default that the container does not set.
	return k8stest.ResolveConfig(t, raw, c)
}

// rawGet reads a key of the configuration before ${env:...} is resolved.
func rawGet(t *testing.T, col *k8stest.Collector, key string) any {
	t.Helper()
	var m map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(col.Raw), &m))
	conf := confmap.NewFromStringMap(m)
	return conf.Get(key)
}

func rawList(t *testing.T, col *k8stest.Collector, key string) []string {
	t.Helper()
	list, ok := rawGet(t, col, key).([]any)
	require.True(t, ok, "%s is a list", key)
	var out []string
	for _, v := range list {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

// validateWithDistribution runs `otelcol-logzio-aws validate` on the configuration with the container's other
// arguments (the feature gate) in an environment holding only the container's variables (placeholders for secrets).
func validateWithDistribution(t *testing.T, col *k8stest.Collector, c corev1.Container) {
	t.Helper()
	var args []string
	for _, a := range c.Args {
		if !strings.HasPrefix(a, "--config=") {
			args = append(args, a)
		}
	}
	out, err := k8stest.Validate(t, otelcolBinary(t), col, true, args...)
	require.NoError(t, err, "%s\nconfig:\n%s", out, col.Raw)
}

// TestValidateNeedsTheFeatureGate makes sure the validation above proves something: without the container's
// --feature-gates argument the binary refuses health_check's v2 settings.
func TestValidateNeedsTheFeatureGate(t *testing.T) {
	out, err := helmTemplate(t, []string{"sqs-gateway.yaml"})
	require.NoError(t, err)
	r := decode(t, out)
	w := r.Workloads()[0]
	c := w.Pod.Spec.Containers[0]
	col := loadCollector(t, r, w, c)
	msg, err := k8stest.Validate(t, otelcolBinary(t), col, true)
	require.Error(t, err, "validate without the feature gate:\n%s", msg)
	assert.Contains(t, string(msg), "extension.healthcheck.useComponentStatus")
}
