// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package helm

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

const (
	chartDir    = "otelcol-logzio-aws"
	release     = "otel"
	namespace   = "logging"
	featureGate = "--feature-gates=extension.healthcheck.useComponentStatus"
	irsaKey     = "eks.amazonaws.com/role-arn"
	statusPath  = "/health/status"
)

// tool finds a binary from env, else at def; without it the test is skipped, or fails when CI is set (a CI run must
// not pass by skipping).
func tool(t *testing.T, env, def, what string) string {
	t.Helper()
	p := os.Getenv(env)
	if p == "" {
		p = def
	}
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not found at %s (set %s, or run `make test-helm`, which installs helm): CI must not skip this test", what, p, env)
		}
		t.Skipf("%s not found at %s (set %s, or run `make test-helm`)", what, p, env)
	}
	abs, err := filepath.Abs(p)
	require.NoError(t, err)
	return abs
}

func helmBinary(t *testing.T) string {
	return tool(t, "HELM", filepath.Join("..", "..", "bin", "helm"), "helm")
}

func otelcolBinary(t *testing.T) string {
	return tool(t, "OTELCOL_BIN", filepath.Join("..", "..", "bin", "otelcol-logzio-aws"), "otelcol-logzio-aws (make build)")
}

// helmTemplate runs `helm template` on the chart with the given values files (testdata/) and --set / --set-json
// arguments; it returns the rendered documents, or helm's error output.
func helmTemplate(t *testing.T, valuesFiles []string, args ...string) (string, error) {
	t.Helper()
	cmdArgs := []string{"template", release, chartDir, "--namespace", namespace}
	for _, f := range valuesFiles {
		cmdArgs = append(cmdArgs, "--values", filepath.Join("testdata", f))
	}
	cmdArgs = append(cmdArgs, args...)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, helmBinary(t), cmdArgs...)
	// No repository cache or config of the developer's own.
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HELM_CACHE_HOME="+home+"/cache", "HELM_CONFIG_HOME="+home+"/config", "HELM_DATA_HOME="+home+"/data")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("helm %s: %w\n%s", strings.Join(cmdArgs, " "), err, stderr.String())
	}
	return stdout.String(), nil
}

// serviceMonitor and podMonitor are the parts of prometheus-operator's monitoring.coreos.com/v1 types that the chart
// renders, with the CRDs' field names (this module does not depend on prometheus-operator). Strict decoding into them
// refuses a misspelt field, and any field the chart starts to render without this test knowing it.
type serviceMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Selector          metav1.LabelSelector `json:"selector"`
		NamespaceSelector namespaceSelector    `json:"namespaceSelector"`
		Endpoints         []scrapeEndpoint     `json:"endpoints"`
	} `json:"spec"`
}

type podMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Selector            metav1.LabelSelector `json:"selector"`
		NamespaceSelector   namespaceSelector    `json:"namespaceSelector"`
		PodMetricsEndpoints []scrapeEndpoint     `json:"podMetricsEndpoints"`
	} `json:"spec"`
}

type namespaceSelector struct {
	Any        bool     `json:"any,omitempty"`
	MatchNames []string `json:"matchNames,omitempty"`
}

type scrapeEndpoint struct {
	Port          string `json:"port"`
	Path          string `json:"path"`
	Interval      string `json:"interval"`
	ScrapeTimeout string `json:"scrapeTimeout,omitempty"`
}

// rendered is the output of one `helm template`, every document decoded strictly into its type.
type rendered struct {
	serviceAccounts map[string]*corev1.ServiceAccount
	configMaps      map[string]*corev1.ConfigMap
	services        map[string]*corev1.Service
	deployments     map[string]*appsv1.Deployment
	statefulSets    map[string]*appsv1.StatefulSet
	ingresses       map[string]*networkingv1.Ingress
	pdbs            map[string]*policyv1.PodDisruptionBudget
	serviceMonitors map[string]*serviceMonitor
	podMonitors     map[string]*podMonitor
}

// kinds maps apiVersion/kind to a new object of the matching type; anything else (a Secret above all) is refused.
var kinds = map[string]func() any{
	"v1/ServiceAccount":                       func() any { return &corev1.ServiceAccount{} },
	"v1/ConfigMap":                            func() any { return &corev1.ConfigMap{} },
	"v1/Service":                              func() any { return &corev1.Service{} },
	"apps/v1/Deployment":                      func() any { return &appsv1.Deployment{} },
	"apps/v1/StatefulSet":                     func() any { return &appsv1.StatefulSet{} },
	"networking.k8s.io/v1/Ingress":            func() any { return &networkingv1.Ingress{} },
	"policy/v1/PodDisruptionBudget":           func() any { return &policyv1.PodDisruptionBudget{} },
	"monitoring.coreos.com/v1/ServiceMonitor": func() any { return &serviceMonitor{} },
	"monitoring.coreos.com/v1/PodMonitor":     func() any { return &podMonitor{} },
}

var documentSeparator = regexp.MustCompile(`(?m)^---\s*$`)

func decode(t *testing.T, out string) *rendered {
	t.Helper()
	r := &rendered{
		serviceAccounts: map[string]*corev1.ServiceAccount{},
		configMaps:      map[string]*corev1.ConfigMap{},
		services:        map[string]*corev1.Service{},
		deployments:     map[string]*appsv1.Deployment{},
		statefulSets:    map[string]*appsv1.StatefulSet{},
		ingresses:       map[string]*networkingv1.Ingress{},
		pdbs:            map[string]*policyv1.PodDisruptionBudget{},
		serviceMonitors: map[string]*serviceMonitor{},
		podMonitors:     map[string]*podMonitor{},
	}
	for i, doc := range documentSeparator.Split(out, -1) {
		if strings.TrimSpace(stripComments(doc)) == "" {
			continue
		}
		var tm metav1.TypeMeta
		require.NoError(t, yaml.Unmarshal([]byte(doc), &tm), "document %d", i)
		newObject, ok := kinds[tm.APIVersion+"/"+tm.Kind]
		require.True(t, ok, "document %d: unexpected apiVersion/kind %s/%s:\n%s", i, tm.APIVersion, tm.Kind, doc)
		obj := newObject()
		require.NoError(t, yaml.UnmarshalStrict([]byte(doc), obj), "document %d (%s): unknown or duplicate field:\n%s", i, tm.Kind, doc)
		var name string
		switch o := obj.(type) {
		case *corev1.ServiceAccount:
			name, r.serviceAccounts[o.Name] = o.Name, o
		case *corev1.ConfigMap:
			name, r.configMaps[o.Name] = o.Name, o
		case *corev1.Service:
			name, r.services[o.Name] = o.Name, o
		case *appsv1.Deployment:
			name, r.deployments[o.Name] = o.Name, o
		case *appsv1.StatefulSet:
			name, r.statefulSets[o.Name] = o.Name, o
		case *networkingv1.Ingress:
			name, r.ingresses[o.Name] = o.Name, o
		case *policyv1.PodDisruptionBudget:
			name, r.pdbs[o.Name] = o.Name, o
		case *serviceMonitor:
			name, r.serviceMonitors[o.Name] = o.Name, o
		case *podMonitor:
			name, r.podMonitors[o.Name] = o.Name, o
		}
		require.NotEmpty(t, name, "document %d (%s) has no metadata.name", i, tm.Kind)
	}
	return r
}

func stripComments(doc string) string {
	var b strings.Builder
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// workload is the release's Deployment or StatefulSet.
type workload struct {
	kind, name string
	replicas   int32
	selector   *metav1.LabelSelector
	pod        corev1.PodTemplateSpec
	claims     []corev1.PersistentVolumeClaim
}

func (r *rendered) workloads() []workload {
	var out []workload
	for _, d := range r.deployments {
		out = append(out, workload{kind: "Deployment", name: d.Name, replicas: ptrValue(d.Spec.Replicas), selector: d.Spec.Selector, pod: d.Spec.Template})
	}
	for _, s := range r.statefulSets {
		out = append(out, workload{kind: "StatefulSet", name: s.Name, replicas: ptrValue(s.Spec.Replicas), selector: s.Spec.Selector, pod: s.Spec.Template, claims: s.Spec.VolumeClaimTemplates})
	}
	return out
}

func ptrValue(p *int32) int32 {
	if p == nil {
		return 1
	}
	return *p
}

// TestStrictDecodingRefusesUnknownFields makes sure the decoding above would catch a typo, in the k8s.io/api types
// and in the monitoring types defined here.
func TestStrictDecodingRefusesUnknownFields(t *testing.T) {
	err := yaml.UnmarshalStrict([]byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replica: 3\n"), &appsv1.Deployment{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown field "replica"`)
	err = yaml.UnmarshalStrict([]byte("apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: x\nspec:\n  endpoint: []\n"), &serviceMonitor{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown field "endpoint"`)
}
