// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package k8stest

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// widget is a custom resource for the extra kinds.
type widget struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Size int `json:"size"`
	} `json:"spec"`
}

const widgetKind = "example.com/v1/Widget"

const release = `# a comment before the first document
---
apiVersion: v1
kind: ConfigMap
metadata: {name: config}
data:
  config.yaml: |
    receivers: {r: {token: "${env:TOKEN}", shard: "${env:SHARD}", memory: "${env:MEMORY}", level: "${env:LEVEL:-info}"}}
---
# only a comment
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: poller}
spec:
  selector: {matchLabels: {app: poller}}
  template:
    metadata: {labels: {app: poller, tier: x}}
    spec:
      containers:
        - name: collector
          args: [--config=/conf/old.yaml, --config=/conf/config.yaml, --feature-gates=g]
          ports: [{name: metrics, containerPort: 8888}, {containerPort: 4318}]
          volumeMounts: [{name: config, mountPath: /conf/, readOnly: true}]
          env:
            - {name: PLAIN, value: plain}
            - {name: TOKEN, valueFrom: {secretKeyRef: {name: tokens, key: logs}}}
            - {name: SHARD, valueFrom: {fieldRef: {fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']"}}}
            - {name: MEMORY, valueFrom: {resourceFieldRef: {resource: limits.memory}}}
      volumes: [{name: config, configMap: {name: config}}]
  volumeClaimTemplates: [{metadata: {name: data}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: gateway}
spec:
  replicas: 3
  selector: {matchLabels: {app: gateway}}
  template: {metadata: {labels: {app: gateway}}}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {size: 2}
`

func TestParseDecodesEveryDocumentIntoItsType(t *testing.T) {
	o, err := Parse("release", release, Kinds{widgetKind: func() metav1.Object { return &widget{} }})
	require.NoError(t, err)
	assert.Equal(t, "release", o.Source)
	assert.Contains(t, o.ConfigMaps, "config")
	assert.Contains(t, o.StatefulSets, "poller")
	assert.Contains(t, o.Deployments, "gateway")
	widgets := ExtraOf[*widget](o, widgetKind)
	require.Contains(t, widgets, "w")
	assert.Equal(t, 2, widgets["w"].Spec.Size)

	byName := map[string]Workload{}
	for _, w := range o.Workloads() {
		byName[w.Name] = w
	}
	require.Len(t, byName, 2)
	assert.Equal(t, "StatefulSet", byName["poller"].Kind)
	assert.Equal(t, int32(1), byName["poller"].Replicas, "replicas unset: 1")
	assert.Len(t, byName["poller"].Claims, 1)
	assert.Equal(t, "Deployment", byName["gateway"].Kind)
	assert.Equal(t, int32(3), byName["gateway"].Replicas)
	assert.Equal(t, map[string]string{"app": "gateway"}, byName["gateway"].Selector.MatchLabels)
}

// poller decodes release and returns its StatefulSet.
func poller(t *testing.T) (*Objects, Workload) {
	t.Helper()
	o := Decode(t, "release", release, Kinds{widgetKind: func() metav1.Object { return &widget{} }})
	for _, w := range o.Workloads() {
		if w.Name == "poller" {
			return o, w
		}
	}
	t.Fatal("no workload poller")
	return nil, Workload{}
}

func TestParseRefusesWhatAStrictReadingRefuses(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"unknown field", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replica: 3\n", `unknown field "replica"`},
		{"duplicate field", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n", `key "name" already set`},
		{"a Secret", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n", "unexpected apiVersion/kind v1/Secret"},
		{"an extra kind not asked for", "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: x\n", "unexpected apiVersion/kind example.com/v1/Widget"},
		{"no name", "apiVersion: v1\nkind: Service\nmetadata: {}\n", "(Service) has no metadata.name"},
		{"not YAML", "apiVersion: [v1\n", "source document 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("source", tc.doc, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestLookups(t *testing.T) {
	assert.False(t, Matches(nil, map[string]string{"app": "x"}), "an empty selector selects nothing")
	assert.True(t, Matches(map[string]string{"app": "x"}, map[string]string{"app": "x", "tier": "y"}))
	assert.False(t, Matches(map[string]string{"app": "x"}, map[string]string{"app": "z"}))
	assert.Equal(t, map[string]string{"app": "x"}, PickLabels(map[string]string{"app": "x", "tier": "y"}, map[string]string{"app": "", "gone": ""}))

	o, w := poller(t)
	c := w.Pod.Spec.Containers[0]
	assert.Contains(t, o.StatefulSets, w.Name)
	m, ok := FindMount(c, "/conf")
	require.True(t, ok, "mount paths compare cleaned")
	assert.Equal(t, "config", m.Name)
	_, ok = FindMount(c, "/data")
	assert.False(t, ok)
	assert.Equal(t, "config", FindVolume(w.Pod.Spec, "config").ConfigMap.Name)
	assert.Nil(t, FindVolume(w.Pod.Spec, "data"))
	assert.Equal(t, "plain", FindEnv(c, "PLAIN").Value)
	assert.Nil(t, FindEnv(c, "NONE"))
	assert.Equal(t, 8888, ContainerPort(t, c, intstr.FromString("metrics")))
	assert.Equal(t, 4318, ContainerPort(t, c, intstr.FromInt32(4318)))
	assert.Equal(t, 13133, PortOf(t, "0.0.0.0:13133"))
	assert.Equal(t, "/conf/config.yaml", ConfigPath(c.Args), "the last --config= counts")
	assert.Empty(t, ConfigPath([]string{"--feature-gates=g"}))
}

func TestMountedConfigIsResolvedWithTheContainersEnvironment(t *testing.T) {
	o, w := poller(t)
	c := w.Pod.Spec.Containers[0]
	raw, mount := MountedConfig(t, o, w, c)
	assert.True(t, mount.ReadOnly)
	assert.Equal(t, o.ConfigMaps["config"].Data["config.yaml"], raw)

	col := ResolveConfig(t, raw, c)
	assert.Equal(t, raw, col.Raw)
	assert.Equal(t, SecretPlaceholder("tokens"), col.Get("receivers::r::token"))
	assert.Equal(t, "placeholder-from-tokens", SecretPlaceholder("tokens"))
	assert.EqualValues(t, 1, col.Get("receivers::r::shard"), "a fieldRef is a pod ordinal")
	assert.EqualValues(t, 536870912, col.Get("receivers::r::memory"))
	assert.Equal(t, "info", col.Get("receivers::r::level"), "a default where the container sets nothing")
	assert.Equal(t, []string{"PLAIN=plain", "TOKEN=placeholder-from-tokens", "SHARD=1", "MEMORY=536870912"}, col.Env)
	assert.Equal(t, "placeholder-from-tokens", os.Getenv("TOKEN"), "set in the test's environment")
	assert.Equal(t, "x", EnvValue(corev1.EnvVar{Name: "X", Value: "x"}))
}

// TestValidateRunsTheBinary runs Validate on a stand-in for the collector that prints its arguments and environment.
func TestValidateRunsTheBinary(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in binary is a shell script")
	}
	bin := filepath.Join(t.TempDir(), "otelcol")
	script := "#!/bin/sh\necho \"args: $*\"\necho \"config: $(cat \"${2#--config=}\")\"\necho \"TOKEN=$TOKEN OUTSIDE=$OUTSIDE\"\n" +
		"[ \"$3\" = --feature-gates=g ]\n"
	require.NoError(t, os.WriteFile(bin, []byte(script), 0o700))
	t.Setenv("OUTSIDE", "outside")
	t.Setenv("TOKEN", "")
	col := &Collector{Raw: "receivers: {}", Env: []string{"TOKEN=t"}}

	out, err := Validate(t, bin, col, true, "--feature-gates=g")
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "args: validate --config=")
	assert.Contains(t, string(out), "config: receivers: {}")
	assert.Contains(t, string(out), "TOKEN=t OUTSIDE=\n", "isolated: only the container's variables")

	out, err = Validate(t, bin, col, false, "--feature-gates=g")
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "TOKEN= OUTSIDE=outside\n", "not isolated: the test's environment")

	out, err = Validate(t, bin, col, true)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "otelcol validate --config="), err.Error())
	assert.Contains(t, string(out), "args: validate --config=")
}
