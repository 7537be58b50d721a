// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package kubernetes

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/processor/batchprocessor"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/k8stest"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver"
)

// loadManifest decodes every document of one file of this directory strictly into its k8s.io/api type.
func loadManifest(t *testing.T, file string) *k8stest.Objects {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	return k8stest.Decode(t, file, string(data), nil)
}

func TestEveryManifestDecodesStrictlyAndAgreesWithItsCollectorConfig(t *testing.T) {
	files, err := filepath.Glob("*.yaml")
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"firehose.yaml", "sharded-polling.yaml", "sqs-gateway.yaml"}, files)
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			m := loadManifest(t, file)
			require.NotEmpty(t, m.Workloads(), "a workload")
			for _, w := range m.Workloads() {
				checkWorkload(t, m, w)
			}
			for _, s := range m.Services {
				checkServiceSelectsAWorkload(t, m, s)
			}
			for _, ing := range m.Ingresses {
				checkIngress(t, m, ing)
			}
			for _, pdb := range m.PDBs {
				assert.True(t, selectsAWorkload(m, pdb.Spec.Selector.MatchLabels), "PodDisruptionBudget %s selects no pods", pdb.Name)
			}
		})
	}
}

func checkWorkload(t *testing.T, m *k8stest.Objects, w k8stest.Workload) {
	t.Helper()
	pod := w.Pod.Spec
	assert.Equal(t, w.Selector.MatchLabels, k8stest.PickLabels(w.Pod.Labels, w.Selector.MatchLabels), "%s %s: selector must match the pod template's labels", w.Kind, w.Name)
	if pod.ServiceAccountName != "" {
		assert.Contains(t, m.ServiceAccounts, pod.ServiceAccountName, "%s %s: service account", w.Kind, w.Name)
	}
	require.Len(t, pod.Containers, 1)
	c := pod.Containers[0]
	assert.True(t, *c.SecurityContext.ReadOnlyRootFilesystem)
	assert.False(t, *c.SecurityContext.AllowPrivilegeEscalation)

	// The config path in args is a file of the ConfigMap mounted at its directory.
	raw, _ := k8stest.MountedConfig(t, m, w, c)
	col := k8stest.ResolveConfig(t, raw, c)
	validateComponents(t, col)
	validateWithDistribution(t, col, featureGates(c.Args))
	checkProbes(t, w, c, col)

	// file_storage writes to a volume, never to the read-only root file system.
	if dir := col.Conf.Get("extensions::file_storage::directory"); dir != nil {
		mount, ok := k8stest.FindMount(c, dir.(string))
		require.True(t, ok, "%s %s: file_storage directory %s is not a mounted volume", w.Kind, w.Name, dir)
		assert.False(t, mount.ReadOnly)
		claimed := slices.ContainsFunc(w.Claims, func(pvc corev1.PersistentVolumeClaim) bool { return pvc.Name == mount.Name })
		assert.True(t, claimed, "%s %s: file_storage must be on a per-pod PersistentVolumeClaim (volumeClaimTemplates)", w.Kind, w.Name)
	}

	// The firehose receiver listens on a declared container port.
	if ep := col.Conf.Get("receivers::firehosemetrics::endpoint"); ep != nil {
		assert.Equal(t, k8stest.PortOf(t, ep.(string)), k8stest.ContainerPort(t, c, intstr.FromString("firehose")))
	}

	if col.Conf.IsSet("receivers::cloudtrails3::sqs::queue_url") {
		checkSQSGateway(t, w, col)
	}
	if col.Conf.IsSet("receivers::cloudtrails3::shard") {
		checkShardedStatefulSet(t, m, w, c, col)
	}
}

// healthCheckGate makes the health_check extension follow component status; its http/component_health settings are
// refused without it.
const healthCheckGate = "--feature-gates=extension.healthcheck.useComponentStatus"

// featureGates are the --feature-gates arguments of a container.
func featureGates(args []string) []string {
	var gates []string
	for _, a := range args {
		if strings.HasPrefix(a, "--feature-gates") {
			gates = append(gates, a)
		}
	}
	return gates
}

// checkProbes: readiness calls health_check, which follows component status (component_health); liveness calls
// health_check/liveness, which does not (a restart cannot fix a missing permission); both need the feature gate.
func checkProbes(t *testing.T, w k8stest.Workload, c corev1.Container, col *k8stest.Collector) {
	t.Helper()
	assert.Contains(t, c.Args, healthCheckGate, "%s %s: health_check's http settings need the feature gate", w.Kind, w.Name)
	for _, tc := range []struct {
		probe     *corev1.Probe
		extension string
		follows   bool // follows recoverable and permanent errors
	}{
		{c.ReadinessProbe, "health_check", true},
		{c.LivenessProbe, "health_check/liveness", false},
	} {
		require.NotNil(t, tc.probe, "%s %s: probe on %s", w.Kind, w.Name, tc.extension)
		require.NotNil(t, tc.probe.HTTPGet, "%s %s: HTTP probe on %s", w.Kind, w.Name, tc.extension)
		ext, err := col.Conf.Sub("extensions::" + tc.extension)
		require.NoError(t, err)
		endpoint, _ := ext.Get("http::endpoint").(string)
		require.NotEmpty(t, endpoint, "%s: http::endpoint", tc.extension)
		assert.Equal(t, k8stest.PortOf(t, endpoint), k8stest.ContainerPort(t, c, tc.probe.HTTPGet.Port), "probe port vs %s endpoint", tc.extension)
		assert.Equal(t, true, ext.Get("http::status::enabled"), tc.extension)
		assert.Equal(t, ext.Get("http::status::path"), tc.probe.HTTPGet.Path, "probe path vs %s status path", tc.extension)
		assert.Equal(t, tc.follows, ext.Get("component_health::include_recoverable_errors") == true, "%s component_health", tc.extension)
		assert.Equal(t, tc.follows, ext.Get("component_health::include_permanent_errors") == true, "%s component_health", tc.extension)
	}
}

// checkSQSGateway: any number of replicas, no state, and the pipeline acknowledges only after the export.
func checkSQSGateway(t *testing.T, w k8stest.Workload, col *k8stest.Collector) {
	t.Helper()
	assert.Equal(t, "Deployment", w.Kind, "SQS mode needs no per-pod state: a Deployment")
	assert.False(t, col.Conf.IsSet("receivers::cloudtrails3::storage"))
	for _, p := range col.Conf.Get("service::pipelines::logs::processors").([]any) {
		assert.NotEqual(t, "batch", p, "the batch processor acknowledges before the export: messages would be deleted too early")
	}
	assert.Equal(t, true, col.Conf.Get("exporters::logzio::sending_queue::wait_for_result"),
		"the exporter must answer ConsumeLogs only once Logz.io accepted the records")
}

// checkShardedStatefulSet: the pod ordinal becomes shard.index and shard.count is the replica count.
func checkShardedStatefulSet(t *testing.T, m *k8stest.Objects, w k8stest.Workload, c corev1.Container, col *k8stest.Collector) {
	t.Helper()
	require.Equal(t, "StatefulSet", w.Kind, "sharded polling needs stable pod ordinals")
	assert.Contains(t, col.Raw, "index: ${env:SHARD_INDEX}")
	index := k8stest.FindEnv(c, "SHARD_INDEX")
	require.NotNil(t, index)
	require.NotNil(t, index.ValueFrom)
	require.NotNil(t, index.ValueFrom.FieldRef)
	assert.Equal(t, "metadata.labels['apps.kubernetes.io/pod-index']", index.ValueFrom.FieldRef.FieldPath)
	assert.EqualValues(t, w.Replicas, col.Conf.Get("receivers::cloudtrails3::shard::count"), "shard.count must equal spec.replicas")
	sts := m.StatefulSets[w.Name]
	svc, ok := m.Services[sts.Spec.ServiceName]
	require.True(t, ok, "the StatefulSet's serviceName %s", sts.Spec.ServiceName)
	assert.Equal(t, corev1.ClusterIPNone, svc.Spec.ClusterIP, "a headless Service")
	assert.True(t, col.Conf.IsSet("receivers::cloudtrails3::storage"), "positions kept in the storage extension")
	assert.Equal(t, true, col.Conf.Get("exporters::logzio::sending_queue::wait_for_result"),
		"S3 is the queue: a position moves only past objects Logz.io accepted, no copy of the records on disk")
	assert.False(t, col.Conf.IsSet("exporters::logzio::sending_queue::storage"), "no persistent queue on the CloudTrail path")
}

// factories of the components whose configuration is checked here (unknown keys are errors, then Validate).
var factories = map[string]map[string]interface {
	CreateDefaultConfig() component.Config
}{
	"receivers":  {"cloudtrails3": cloudtrails3receiver.NewFactory(), "firehosemetrics": firehosemetricsreceiver.NewFactory()},
	"processors": {"batch": batchprocessor.NewFactory()},
	"exporters":  {"logzio": logzioexporter.NewFactory()},
	"extensions": {"file_storage": filestorage.NewFactory()},
}

// inDistributionOnly are components of the distribution whose modules this repository's go.mod does not carry: their
// presence in the build manifest is checked instead.
var inDistributionOnly = map[string]string{
	"health_check":   "healthcheckextension",
	"memory_limiter": "memorylimiterprocessor",
}

func validateComponents(t *testing.T, col *k8stest.Collector) {
	t.Helper()
	builderConfig, err := os.ReadFile(filepath.Join("..", "..", "builder-config.yaml"))
	require.NoError(t, err)
	declared := map[string]bool{}
	for kind, known := range factories {
		sub, err := col.Conf.Sub(kind)
		require.NoError(t, err)
		for _, key := range sub.AllKeys() {
			name := strings.Split(key, confmap.KeyDelimiter)[0]
			if declared[kind+"/"+name] {
				continue
			}
			declared[kind+"/"+name] = true
			var id component.ID
			require.NoError(t, id.UnmarshalText([]byte(name)))
			f, ok := known[id.Type().String()]
			if !ok {
				module, ok := inDistributionOnly[id.Type().String()]
				require.True(t, ok, "%s %s is not a component this test knows", kind, name)
				assert.Contains(t, string(builderConfig), module, "%s %s must be in the distribution", kind, name)
				continue
			}
			cfg := f.CreateDefaultConfig()
			componentConf, err := sub.Sub(name)
			require.NoError(t, err)
			require.NoError(t, componentConf.Unmarshal(cfg), "%s %s", kind, name)
			require.NoError(t, confmap.Validate(cfg), "%s %s", kind, name)
		}
	}
	for _, ext := range col.Conf.Get("service::extensions").([]any) {
		assert.True(t, declared["extensions/"+ext.(string)], "service.extensions names undeclared %s", ext)
	}
	pipelines, err := col.Conf.Sub("service::pipelines")
	require.NoError(t, err)
	for name, p := range pipelines.ToStringMap() {
		for _, kind := range []string{"receivers", "processors", "exporters"} {
			list, _ := p.(map[string]any)[kind].([]any)
			for _, c := range list {
				assert.True(t, declared[kind+"/"+c.(string)], "pipeline %s names undeclared %s %s", name, kind, c)
			}
		}
	}
}

// distributionBinary is the collector built by `make build`; when present, every configuration is also checked by
// its `validate` command (which knows every component, health_check and memory_limiter included).
var distributionBinary = filepath.Join("..", "..", "bin", "otelcol-logzio-aws")

// validateWithDistribution runs `otelcol-logzio-aws validate` on the configuration with the container's feature
// gates, in the environment set by k8stest.ResolveConfig, when the binary has been built; it is skipped otherwise
// (make test builds it after the Go tests).
func validateWithDistribution(t *testing.T, col *k8stest.Collector, gates []string) {
	t.Helper()
	if _, err := os.Stat(distributionBinary); err != nil {
		t.Logf("%s not built: validating with the component factories only", distributionBinary)
		return
	}
	out, err := k8stest.Validate(t, distributionBinary, col, false, gates...)
	require.NoError(t, err, "otelcol-logzio-aws validate:\n%s", out)
}

func checkServiceSelectsAWorkload(t *testing.T, m *k8stest.Objects, s *corev1.Service) {
	t.Helper()
	require.True(t, selectsAWorkload(m, s.Spec.Selector), "Service %s selects no pods", s.Name)
	for _, w := range m.Workloads() {
		if !k8stest.Matches(s.Spec.Selector, w.Pod.Labels) {
			continue
		}
		for _, p := range s.Spec.Ports {
			k8stest.ContainerPort(t, w.Pod.Spec.Containers[0], p.TargetPort) // fails when the target port is not declared
		}
	}
}

func checkIngress(t *testing.T, m *k8stest.Objects, ing *networkingv1.Ingress) {
	t.Helper()
	for _, rule := range ing.Spec.Rules {
		for _, p := range rule.HTTP.Paths {
			svc, ok := m.Services[p.Backend.Service.Name]
			require.True(t, ok, "Ingress %s: backend Service %s", ing.Name, p.Backend.Service.Name)
			found := slices.ContainsFunc(svc.Spec.Ports, func(sp corev1.ServicePort) bool {
				return sp.Name == p.Backend.Service.Port.Name || sp.Port == p.Backend.Service.Port.Number
			})
			assert.True(t, found, "Ingress %s: Service %s has no port %v", ing.Name, svc.Name, p.Backend.Service.Port)
			for _, w := range m.Workloads() {
				if !k8stest.Matches(svc.Spec.Selector, w.Pod.Labels) {
					continue
				}
				c := w.Pod.Spec.Containers[0]
				raw, _ := k8stest.MountedConfig(t, m, w, c)
				col := k8stest.ResolveConfig(t, raw, c)
				if rp := col.Conf.Get("receivers::firehosemetrics::path"); rp != nil {
					assert.Equal(t, rp, p.Path, "Ingress path vs the receiver's path")
				}
			}
		}
		require.NotEmpty(t, ing.Spec.TLS, "Firehose delivers only to HTTPS endpoints")
		assert.Contains(t, ing.Spec.TLS[0].Hosts, rule.Host)
	}
}

func selectsAWorkload(m *k8stest.Objects, selector map[string]string) bool {
	return slices.ContainsFunc(m.Workloads(), func(w k8stest.Workload) bool { return k8stest.Matches(selector, w.Pod.Labels) })
}

// TestStrictDecodingRefusesUnknownFields makes sure the check above would catch a typo.
func TestStrictDecodingRefusesUnknownFields(t *testing.T) {
	doc := []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replica: 3\n")
	err := yaml.UnmarshalStrict(doc, &appsv1.Deployment{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown field "replica"`)
	require.NoError(t, yaml.UnmarshalStrict([]byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: 3\n"), &appsv1.Deployment{}))
}
