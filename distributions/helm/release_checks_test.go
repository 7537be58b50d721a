// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package helm

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/k8stest"
)

func checkServiceAccount(t *testing.T, r *rendered, pod corev1.PodSpec, roleArn string) {
	t.Helper()
	sa, ok := r.ServiceAccounts[pod.ServiceAccountName]
	require.True(t, ok, "the pods' ServiceAccount %q is rendered", pod.ServiceAccountName)
	assert.Equal(t, roleArn, sa.Annotations[irsaKey], "IRSA annotation")
}

func checkSecurity(t *testing.T, pod corev1.PodSpec, c corev1.Container) {
	t.Helper()
	require.NotNil(t, pod.SecurityContext)
	require.NotNil(t, pod.SecurityContext.RunAsNonRoot)
	assert.True(t, *pod.SecurityContext.RunAsNonRoot)
	require.NotNil(t, c.SecurityContext)
	assert.True(t, *c.SecurityContext.ReadOnlyRootFilesystem)
	assert.False(t, *c.SecurityContext.AllowPrivilegeEscalation)
	assert.Contains(t, c.SecurityContext.Capabilities.Drop, corev1.Capability("ALL"))
}

// checkGoMemLimit: GOMEMLIMIT is the value given, or 80 % of the memory limit in whole MiB.
func checkGoMemLimit(t *testing.T, c corev1.Container, tc modeCase) {
	t.Helper()
	limit := c.Resources.Limits[corev1.ResourceMemory]
	want := resource.MustParse(tc.memoryLimit)
	assert.Equal(t, want.Value(), limit.Value(), "memory limit")
	goMemLimit := tc.goMemLimit
	if goMemLimit == "" {
		goMemLimit = fmt.Sprintf("%dMiB", limit.Value()*8/10/(1<<20))
	}
	e := k8stest.FindEnv(c, "GOMEMLIMIT")
	require.NotNil(t, e)
	assert.Equal(t, goMemLimit, e.Value)
}

// checkHealth: health_check follows component status and the readiness probe calls its status path on its port; the
// liveness probe calls the status path of health_check/liveness, which has no component_health (so a failing AWS
// permission or a Logz.io outage makes pods unready, never restarts them).
func checkHealth(t *testing.T, c corev1.Container, col *k8stest.Collector) {
	t.Helper()
	assert.Equal(t, statusPath, col.Get("extensions::health_check::http::status::path"))
	assert.Equal(t, true, col.Get("extensions::health_check::http::status::enabled"))
	assert.Equal(t, true, col.Get("extensions::health_check::component_health::include_permanent_errors"))
	assert.Equal(t, true, col.Get("extensions::health_check::component_health::include_recoverable_errors"))
	assert.Equal(t, "30s", col.Get("extensions::health_check::component_health::recovery_duration"))
	assert.Nil(t, col.Get("extensions::health_check::endpoint"), "no v1 endpoint beside the v2 http block")
	assert.Equal(t, statusPath, col.Get("extensions::health_check/liveness::http::status::path"))
	assert.Nil(t, col.Get("extensions::health_check/liveness::component_health"), "liveness must not follow recoverable errors")
	assert.Subset(t, col.Get("service::extensions"), []any{"health_check", "health_check/liveness"})

	for name, p := range map[string]struct {
		probe     *corev1.Probe
		extension string
	}{
		"readiness": {c.ReadinessProbe, "health_check"},
		"liveness":  {c.LivenessProbe, "health_check/liveness"},
	} {
		require.NotNil(t, p.probe, "%s probe", name)
		require.NotNil(t, p.probe.HTTPGet, "%s probe: httpGet", name)
		assert.Equal(t, statusPath, p.probe.HTTPGet.Path, "%s probe path", name)
		endpoint, _ := col.Get("extensions::" + p.extension + "::http::endpoint").(string)
		assert.Equal(t, k8stest.PortOf(t, endpoint), k8stest.ContainerPort(t, c, p.probe.HTTPGet.Port), "%s probe port vs the %s endpoint", name, p.extension)
	}
}

// checkTelemetry: the collector's metrics listen on the container port named metrics, which the ServiceMonitor (through
// a Service) or the PodMonitor scrapes when enabled.
func checkTelemetry(t *testing.T, r *rendered, w k8stest.Workload, c corev1.Container, col *k8stest.Collector, tc modeCase) {
	t.Helper()
	readers, ok := col.Get("service::telemetry::metrics::readers").([]any)
	require.True(t, ok && len(readers) == 1, "one metrics reader")
	prom := readers[0].(map[string]any)["pull"].(map[string]any)["exporter"].(map[string]any)["prometheus"].(map[string]any)
	assert.Equal(t, "0.0.0.0", prom["host"], "metrics reachable from outside the pod")
	assert.EqualValues(t, 8888, prom["port"])
	assert.EqualValues(t, 8888, k8stest.ContainerPort(t, c, intstr.FromString("metrics")))

	require.Len(t, r.serviceMonitors, boolToInt(tc.serviceMonitor), "ServiceMonitor")
	require.Len(t, r.podMonitors, boolToInt(tc.podMonitor), "PodMonitor")
	for _, sm := range r.serviceMonitors {
		assert.Equal(t, []string{namespace}, sm.Spec.NamespaceSelector.MatchNames)
		require.Len(t, sm.Spec.Endpoints, 1)
		var target *corev1.Service
		for _, s := range r.Services {
			if k8stest.Matches(sm.Spec.Selector.MatchLabels, s.Labels) {
				require.Nil(t, target, "ServiceMonitor %s selects one Service", sm.Name)
				target = s
			}
		}
		require.NotNil(t, target, "ServiceMonitor %s selects a Service", sm.Name)
		assert.True(t, k8stest.Matches(target.Spec.Selector, w.Pod.Labels), "Service %s selects the pods", target.Name)
		i := slices.IndexFunc(target.Spec.Ports, func(p corev1.ServicePort) bool { return p.Name == sm.Spec.Endpoints[0].Port })
		require.GreaterOrEqual(t, i, 0, "Service %s has the port %s the ServiceMonitor scrapes", target.Name, sm.Spec.Endpoints[0].Port)
		assert.EqualValues(t, 8888, k8stest.ContainerPort(t, c, target.Spec.Ports[i].TargetPort))
		assert.Equal(t, "/metrics", sm.Spec.Endpoints[0].Path)
	}
	for _, pm := range r.podMonitors {
		assert.Equal(t, []string{namespace}, pm.Spec.NamespaceSelector.MatchNames)
		assert.True(t, k8stest.Matches(pm.Spec.Selector.MatchLabels, w.Pod.Labels), "PodMonitor %s selects the pods", pm.Name)
		require.Len(t, pm.Spec.PodMetricsEndpoints, 1)
		assert.EqualValues(t, 8888, k8stest.ContainerPort(t, c, intstr.FromString(pm.Spec.PodMetricsEndpoints[0].Port)))
		assert.Equal(t, "/metrics", pm.Spec.PodMetricsEndpoints[0].Path)
	}
}

func checkPDB(t *testing.T, r *rendered, w k8stest.Workload) {
	t.Helper()
	require.Len(t, r.PDBs, 1, "a PodDisruptionBudget")
	for _, pdb := range r.PDBs {
		assert.True(t, k8stest.Matches(pdb.Spec.Selector.MatchLabels, w.Pod.Labels), "PodDisruptionBudget %s selects the pods", pdb.Name)
		assert.True(t, pdb.Spec.MaxUnavailable != nil || pdb.Spec.MinAvailable != nil)
	}
}

// checkServiceTargets: a Service selects the pods and every target port is a declared container port.
func checkServiceTargets(t *testing.T, w k8stest.Workload, s *corev1.Service) {
	t.Helper()
	require.True(t, k8stest.Matches(s.Spec.Selector, w.Pod.Labels), "Service %s selects no pods", s.Name)
	for _, p := range s.Spec.Ports {
		k8stest.ContainerPort(t, w.Pod.Spec.Containers[0], p.TargetPort)
	}
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
