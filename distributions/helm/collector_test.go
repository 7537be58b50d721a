// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package helm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/envprovider"
	"go.opentelemetry.io/collector/confmap/provider/yamlprovider"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// collector is the collector configuration a container runs: raw as in the ConfigMap, and resolved with the
// container's environment (secrets and downward-API values get placeholders).
type collector struct {
	raw  string
	conf *confmap.Conf
	env  []string
}

func (c *collector) get(key string) any { return c.conf.Get(key) }

func loadCollector(t *testing.T, r *rendered, w workload, c corev1.Container) *collector {
	t.Helper()
	configPath := ""
	for _, a := range c.Args {
		if p, ok := strings.CutPrefix(a, "--config="); ok {
			configPath = p
		}
	}
	require.NotEmpty(t, configPath, "--config=<path> in args")
	mount, ok := findMount(c, path.Dir(configPath))
	require.True(t, ok, "nothing is mounted at %s", path.Dir(configPath))
	assert.True(t, mount.ReadOnly)
	vol := findVolume(w.pod.Spec, mount.Name)
	require.NotNil(t, vol, "volume %s", mount.Name)
	require.NotNil(t, vol.ConfigMap, "volume %s must be the ConfigMap with the collector config", mount.Name)
	cm, ok := r.configMaps[vol.ConfigMap.Name]
	require.True(t, ok, "ConfigMap %s is rendered", vol.ConfigMap.Name)
	raw, ok := cm.Data[path.Base(configPath)]
	require.True(t, ok, "ConfigMap %s has no key %s", cm.Name, path.Base(configPath))
	// The annotation is the checksum of the configuration as rendered; the ConfigMap's block scalar adds a final newline.
	sum := sha256.Sum256([]byte(strings.TrimSuffix(raw, "\n")))
	assert.Equal(t, hex.EncodeToString(sum[:]), w.pod.Annotations["checksum/config"], "the pods roll when the configuration changes")

	// Every ${env:X} without a default is set by the container.
	for _, match := range regexp.MustCompile(`\$\{env:([A-Za-z0-9_]+)(:-[^}]*)?\}`).FindAllStringSubmatch(raw, -1) {
		if match[2] == "" {
			assert.NotNil(t, findEnv(c, match[1]), "the config needs env %s, which the container does not set", match[1])
		}
	}
	var env []string
	for _, e := range c.Env {
		value := e.Value
		switch {
		case e.ValueFrom == nil:
		case e.ValueFrom.SecretKeyRef != nil:
			value = "placeholder-from-" + e.ValueFrom.SecretKeyRef.Name
		case e.ValueFrom.FieldRef != nil:
			value = "1" // a pod ordinal
		}
		t.Setenv(e.Name, value)
		env = append(env, e.Name+"="+value)
	}
	resolver, err := confmap.NewResolver(confmap.ResolverSettings{
		URIs:              []string{"yaml:" + raw},
		ProviderFactories: []confmap.ProviderFactory{yamlprovider.NewFactory(), envprovider.NewFactory()},
		DefaultScheme:     "env",
	})
	require.NoError(t, err)
	conf, err := resolver.Resolve(context.Background())
	require.NoError(t, err)
	return &collector{raw: raw, conf: conf, env: env}
}

// rawGet reads a key of the configuration before ${env:...} is resolved.
func rawGet(t *testing.T, col *collector, key string) any {
	t.Helper()
	var m map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(col.raw), &m))
	conf := confmap.NewFromStringMap(m)
	return conf.Get(key)
}

func rawList(t *testing.T, col *collector, key string) []string {
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
func validateWithDistribution(t *testing.T, col *collector, c corev1.Container) {
	t.Helper()
	bin := otelcolBinary(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "config.yaml")
	require.NoError(t, os.WriteFile(file, []byte(col.raw), 0o600))
	args := []string{"validate", "--config=" + file}
	for _, a := range c.Args {
		if !strings.HasPrefix(a, "--config=") {
			args = append(args, a)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, col.env...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "otelcol-logzio-aws %s:\n%s\nconfig:\n%s", strings.Join(args, " "), out, col.raw)
}

// TestValidateNeedsTheFeatureGate makes sure the validation above proves something: without the container's
// --feature-gates argument the binary refuses health_check's v2 settings.
func TestValidateNeedsTheFeatureGate(t *testing.T) {
	out, err := helmTemplate(t, []string{"sqs-gateway.yaml"})
	require.NoError(t, err)
	r := decode(t, out)
	w := r.workloads()[0]
	c := w.pod.Spec.Containers[0]
	col := loadCollector(t, r, w, c)
	bin := otelcolBinary(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "config.yaml")
	require.NoError(t, os.WriteFile(file, []byte(col.raw), 0o600))
	cmd := exec.Command(bin, "validate", "--config="+file)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, col.env...)
	msg, err := cmd.CombinedOutput()
	require.Error(t, err, "validate without the feature gate:\n%s", msg)
	assert.Contains(t, string(msg), "extension.healthcheck.useComponentStatus")
}
