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
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/k8stest"
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

// Kinds of prometheus-operator's monitors, which the chart renders besides the k8s.io/api objects.
const (
	serviceMonitorKind = "monitoring.coreos.com/v1/ServiceMonitor"
	podMonitorKind     = "monitoring.coreos.com/v1/PodMonitor"
)

var monitorKinds = k8stest.Kinds{
	serviceMonitorKind: func() metav1.Object { return &serviceMonitor{} },
	podMonitorKind:     func() metav1.Object { return &podMonitor{} },
}

// rendered is the output of one `helm template`, every document decoded strictly into its type; any kind but the
// k8s.io/api ones k8stest knows and the monitors (a Secret above all) is refused.
type rendered struct {
	*k8stest.Objects
	serviceMonitors map[string]*serviceMonitor
	podMonitors     map[string]*podMonitor
}

func decode(t *testing.T, out string) *rendered {
	t.Helper()
	o := k8stest.Decode(t, "the rendered chart", out, monitorKinds)
	return &rendered{
		Objects:         o,
		serviceMonitors: k8stest.ExtraOf[*serviceMonitor](o, serviceMonitorKind),
		podMonitors:     k8stest.ExtraOf[*podMonitor](o, podMonitorKind),
	}
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
