// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package helm

import (
	"fmt"
	"maps"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/k8stest"
)

// checkSecretsComeFromSecrets: every expected secret is a secretKeyRef to the named Secret and key, and no variable
// carries a literal value that looks like a secret.
func checkSecretsComeFromSecrets(t *testing.T, c corev1.Container, want map[string]secretRef) {
	t.Helper()
	for name, ref := range want {
		e := k8stest.FindEnv(c, name)
		require.NotNil(t, e, "env %s", name)
		assert.Empty(t, e.Value, "env %s must not carry a value", name)
		require.NotNil(t, e.ValueFrom, "env %s", name)
		require.NotNil(t, e.ValueFrom.SecretKeyRef, "env %s must come from a secretKeyRef", name)
		assert.Equal(t, ref.name, e.ValueFrom.SecretKeyRef.Name, "env %s: Secret", name)
		assert.Equal(t, ref.key, e.ValueFrom.SecretKeyRef.Key, "env %s: key", name)
	}
	secretLike := regexp.MustCompile(`TOKEN|KEY|SECRET|PASSWORD|EXTERNAL_ID`)
	for _, e := range c.Env {
		if secretLike.MatchString(e.Name) {
			_, expected := want[e.Name]
			assert.True(t, expected, "env %s is not one the chart should set", e.Name)
		}
		if e.ValueFrom != nil {
			assert.True(t, e.ValueFrom.SecretKeyRef != nil || e.ValueFrom.FieldRef != nil, "env %s: only secretKeyRef and the downward API", e.Name)
		}
	}
	assert.Empty(t, c.EnvFrom)
}

// envReference is a configuration value that is nothing but an ${env:NAME} reference.
var envReference = regexp.MustCompile(`^\$\{env:([A-Za-z0-9_]+)\}$`)

// checkExternalIDs: the external ID of an assumed role is a secret (configopaque in the receiver), so no ConfigMap
// holds one. Every external_id in every ConfigMap is an ${env:NAME} reference to a variable the container takes from a
// Secret by secretKeyRef; the collector's configuration has exactly the external IDs the case expects, and each
// resolves to its Secret's (placeholder) value.
func checkExternalIDs(t *testing.T, r *rendered, c corev1.Container, col *k8stest.Collector, tc modeCase) {
	t.Helper()
	for _, cm := range r.ConfigMaps {
		assert.Empty(t, cm.BinaryData, "ConfigMap %s: binaryData", cm.Name)
		for file, data := range cm.Data {
			var doc any
			require.NoError(t, yaml.Unmarshal([]byte(data), &doc), "ConfigMap %s, %s", cm.Name, file)
			for key, value := range keysNamed(doc, "external_id", "") {
				s, _ := value.(string)
				m := envReference.FindStringSubmatch(s)
				if !assert.NotNil(t, m, "ConfigMap %s, %s: %s must be an ${env:...} reference, never a value", cm.Name, file, key) {
					continue
				}
				e := k8stest.FindEnv(c, m[1])
				if assert.NotNil(t, e, "ConfigMap %s, %s: %s references %s, which the container does not set", cm.Name, file, key, m[1]) {
					assert.Empty(t, e.Value, "env %s must not carry a value", m[1])
					assert.True(t, e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil, "env %s must come from a secretKeyRef", m[1])
				}
			}
		}
	}

	var doc any
	require.NoError(t, yaml.Unmarshal([]byte(col.Raw), &doc))
	found := map[string]string{}
	for key, value := range keysNamed(doc, "external_id", "") {
		found[key] = envReference.ReplaceAllString(fmt.Sprint(value), "$1")
	}
	want := tc.externalIDs
	if want == nil {
		want = map[string]string{}
	}
	assert.Equal(t, want, found, "external_id keys of the collector's configuration and the variables they reference")
	for key, env := range tc.externalIDs {
		ref, ok := tc.secrets[env]
		require.True(t, ok, "the case expects %s among the container's secrets", env)
		assert.Equal(t, k8stest.SecretPlaceholder(ref.name), col.Get(key), "%s resolves to the value of Secret %s", key, ref.name)
	}
}

// keysNamed finds every map key called name in a decoded YAML document, at any depth, by its path (a::b::name; a
// list element as a[i]).
func keysNamed(node any, name, prefix string) map[string]any {
	out := map[string]any{}
	switch n := node.(type) {
	case map[string]any:
		for k, v := range n {
			p := k
			if prefix != "" {
				p = prefix + "::" + k
			}
			if k == name {
				out[p] = v
			}
			maps.Copy(out, keysNamed(v, name, p))
		}
	case []any:
		for i, v := range n {
			maps.Copy(out, keysNamed(v, name, fmt.Sprintf("%s[%d]", prefix, i)))
		}
	}
	return out
}

// TestExternalIDCheckSeesEveryValue makes sure checkExternalIDs would catch a value: keysNamed finds external_id at
// any depth (in lists too), and only a bare ${env:...} reference passes as one.
func TestExternalIDCheckSeesEveryValue(t *testing.T) {
	var doc any
	require.NoError(t, yaml.Unmarshal([]byte(`
receivers:
  cloudtrails3:
    external_id: ${env:CLOUDTRAIL_EXTERNAL_ID}
    sqs: {external_id: plain-value}
  other: [{external_id: "${env:X}-suffix"}]
`), &doc))
	found := keysNamed(doc, "external_id", "")
	assert.Equal(t, map[string]any{
		"receivers::cloudtrails3::external_id":      "${env:CLOUDTRAIL_EXTERNAL_ID}",
		"receivers::cloudtrails3::sqs::external_id": "plain-value",
		"receivers::other[0]::external_id":          "${env:X}-suffix",
	}, found)
	assert.True(t, envReference.MatchString("${env:CLOUDTRAIL_EXTERNAL_ID}"))
	assert.False(t, envReference.MatchString("plain-value"))
	assert.False(t, envReference.MatchString("${env:X}-suffix"))
}
