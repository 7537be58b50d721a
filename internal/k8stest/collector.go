// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package k8stest // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/k8stest"

import (
	"context"
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
)

// Collector is the collector configuration a container runs: Raw as in the ConfigMap, Conf resolved with the
// container's environment, and Env that environment as NAME=value (placeholders for secrets and the downward API).
type Collector struct {
	Raw  string
	Conf *confmap.Conf
	Env  []string
}

// Get is a key of the resolved configuration (a::b::c), nil when it is not set.
func (c *Collector) Get(key string) any { return c.Conf.Get(key) }

// ConfigPath is the path of the last --config=<path> argument, "" without one.
func ConfigPath(args []string) string {
	configPath := ""
	for _, a := range args {
		if p, ok := strings.CutPrefix(a, "--config="); ok {
			configPath = p
		}
	}
	return configPath
}

// MountedConfig finds the collector configuration a container of w runs: the file named by --config=<path> in its
// arguments is a key of a ConfigMap of o mounted at the file's directory. It returns the file's content and the mount.
func MountedConfig(t testing.TB, o *Objects, w Workload, c corev1.Container) (string, corev1.VolumeMount) {
	t.Helper()
	configPath := ConfigPath(c.Args)
	require.NotEmpty(t, configPath, "%s %s: --config=<path> in args", w.Kind, w.Name)
	mount, ok := FindMount(c, path.Dir(configPath))
	require.True(t, ok, "%s %s: nothing is mounted at %s", w.Kind, w.Name, path.Dir(configPath))
	vol := FindVolume(w.Pod.Spec, mount.Name)
	require.NotNil(t, vol, "volume %s", mount.Name)
	require.NotNil(t, vol.ConfigMap, "volume %s must be the ConfigMap with the collector config", mount.Name)
	cm, ok := o.ConfigMaps[vol.ConfigMap.Name]
	require.True(t, ok, "ConfigMap %s is not in %s", vol.ConfigMap.Name, o.Source)
	raw, ok := cm.Data[path.Base(configPath)]
	require.True(t, ok, "ConfigMap %s has no key %s", cm.Name, path.Base(configPath))
	return raw, mount
}

// SecretPlaceholder is the value ResolveConfig gives a variable taken from the Secret called name.
func SecretPlaceholder(name string) string { return "placeholder-from-" + name }

// EnvValue is the value ResolveConfig gives a container's variable: its own value, a placeholder for a secretKeyRef,
// "1" (a pod ordinal) for a fieldRef and 512 MiB for a resourceFieldRef.
func EnvValue(e corev1.EnvVar) string {
	switch {
	case e.ValueFrom == nil:
		return e.Value
	case e.ValueFrom.SecretKeyRef != nil:
		return SecretPlaceholder(e.ValueFrom.SecretKeyRef.Name)
	case e.ValueFrom.FieldRef != nil:
		return "1" // a pod ordinal
	case e.ValueFrom.ResourceFieldRef != nil:
		return "536870912"
	}
	return e.Value
}

var envReference = regexp.MustCompile(`\$\{env:([A-Za-z0-9_]+)(:-[^}]*)?\}`)

// ResolveConfig resolves ${env:...} in raw with the container's environment, which it also sets in the test's
// (t.Setenv, values from EnvValue). A variable the configuration needs without a default, and the container does not
// set, fails the test.
func ResolveConfig(t testing.TB, raw string, c corev1.Container) *Collector {
	t.Helper()
	for _, match := range envReference.FindAllStringSubmatch(raw, -1) {
		if match[2] == "" {
			assert.NotNil(t, FindEnv(c, match[1]), "the config needs env %s, which the container does not set", match[1])
		}
	}
	var env []string
	for _, e := range c.Env {
		value := EnvValue(e)
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
	return &Collector{Raw: raw, Conf: conf, Env: env}
}

// Validate runs `bin validate --config=<file> args...` on col.Raw, written to a temporary file, with a minute to
// finish. isolated: the command's environment is only PATH, HOME (a temporary directory) and col.Env; otherwise it
// is the test's, which ResolveConfig has set. It returns the combined output; an error names the command line.
func Validate(t testing.TB, bin string, col *Collector, isolated bool, args ...string) ([]byte, error) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "config.yaml")
	require.NoError(t, os.WriteFile(file, []byte(col.Raw), 0o600))
	args = append([]string{"validate", "--config=" + file}, args...)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	if isolated {
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, col.Env...)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("%s %s: %w", filepath.Base(bin), strings.Join(args, " "), err)
	}
	return out, nil
}
