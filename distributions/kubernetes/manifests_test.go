// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package kubernetes

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/envprovider"
	"go.opentelemetry.io/collector/confmap/provider/yamlprovider"
	"go.opentelemetry.io/collector/processor/batchprocessor"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/exporter/logzioexporter"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/cloudtrails3receiver"
	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/receiver/firehosemetricsreceiver"
)

// manifest is one file of this directory, every document decoded strictly into its k8s.io/api type.
type manifest struct {
	file            string
	serviceAccounts map[string]*corev1.ServiceAccount
	configMaps      map[string]*corev1.ConfigMap
	services        map[string]*corev1.Service
	deployments     map[string]*appsv1.Deployment
	statefulSets    map[string]*appsv1.StatefulSet
	ingresses       map[string]*networkingv1.Ingress
	pdbs            map[string]*policyv1.PodDisruptionBudget
}

// kinds maps apiVersion/kind to a new object of the matching type; anything else is refused.
var kinds = map[string]func() any{
	"v1/ServiceAccount":             func() any { return &corev1.ServiceAccount{} },
	"v1/ConfigMap":                  func() any { return &corev1.ConfigMap{} },
	"v1/Service":                    func() any { return &corev1.Service{} },
	"apps/v1/Deployment":            func() any { return &appsv1.Deployment{} },
	"apps/v1/StatefulSet":           func() any { return &appsv1.StatefulSet{} },
	"networking.k8s.io/v1/Ingress":  func() any { return &networkingv1.Ingress{} },
	"policy/v1/PodDisruptionBudget": func() any { return &policyv1.PodDisruptionBudget{} },
}

var documentSeparator = regexp.MustCompile(`(?m)^---\s*$`)

func loadManifest(t *testing.T, file string) *manifest {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	m := &manifest{
		file:            file,
		serviceAccounts: map[string]*corev1.ServiceAccount{},
		configMaps:      map[string]*corev1.ConfigMap{},
		services:        map[string]*corev1.Service{},
		deployments:     map[string]*appsv1.Deployment{},
		statefulSets:    map[string]*appsv1.StatefulSet{},
		ingresses:       map[string]*networkingv1.Ingress{},
		pdbs:            map[string]*policyv1.PodDisruptionBudget{},
	}
	for i, doc := range documentSeparator.Split(string(data), -1) {
		if strings.TrimSpace(stripComments(doc)) == "" {
			continue
		}
		var tm metav1.TypeMeta
		require.NoError(t, yaml.Unmarshal([]byte(doc), &tm), "%s document %d", file, i)
		newObject, ok := kinds[tm.APIVersion+"/"+tm.Kind]
		require.True(t, ok, "%s document %d: unexpected apiVersion/kind %s/%s", file, i, tm.APIVersion, tm.Kind)
		obj := newObject()
		require.NoError(t, yaml.UnmarshalStrict([]byte(doc), obj), "%s document %d (%s): unknown or duplicate field", file, i, tm.Kind)
		var name string
		switch o := obj.(type) {
		case *corev1.ServiceAccount:
			name, m.serviceAccounts[o.Name] = o.Name, o
		case *corev1.ConfigMap:
			name, m.configMaps[o.Name] = o.Name, o
		case *corev1.Service:
			name, m.services[o.Name] = o.Name, o
		case *appsv1.Deployment:
			name, m.deployments[o.Name] = o.Name, o
		case *appsv1.StatefulSet:
			name, m.statefulSets[o.Name] = o.Name, o
		case *networkingv1.Ingress:
			name, m.ingresses[o.Name] = o.Name, o
		case *policyv1.PodDisruptionBudget:
			name, m.pdbs[o.Name] = o.Name, o
		}
		require.NotEmpty(t, name, "%s document %d (%s) has no metadata.name", file, i, tm.Kind)
	}
	return m
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

// workload is a Deployment or StatefulSet: its pod template, replicas and kind.
type workload struct {
	kind, name string
	replicas   int32
	selector   *metav1.LabelSelector
	pod        corev1.PodTemplateSpec
	claims     []corev1.PersistentVolumeClaim
}

func (m *manifest) workloads() []workload {
	var out []workload
	for _, d := range m.deployments {
		out = append(out, workload{kind: "Deployment", name: d.Name, replicas: ptrValue(d.Spec.Replicas), selector: d.Spec.Selector, pod: d.Spec.Template})
	}
	for _, s := range m.statefulSets {
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

func TestEveryManifestDecodesStrictlyAndAgreesWithItsCollectorConfig(t *testing.T) {
	files, err := filepath.Glob("*.yaml")
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"firehose.yaml", "sharded-polling.yaml", "sqs-gateway.yaml"}, files)
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			m := loadManifest(t, file)
			require.NotEmpty(t, m.workloads(), "a workload")
			for _, w := range m.workloads() {
				checkWorkload(t, m, w)
			}
			for _, s := range m.services {
				checkServiceSelectsAWorkload(t, m, s)
			}
			for _, ing := range m.ingresses {
				checkIngress(t, m, ing)
			}
			for _, pdb := range m.pdbs {
				assert.True(t, selectsAWorkload(m, pdb.Spec.Selector.MatchLabels), "PodDisruptionBudget %s selects no pods", pdb.Name)
			}
		})
	}
}

// collector is the collector configuration a container runs, resolved with the container's environment.
type collector struct {
	raw  string
	conf *confmap.Conf
}

func checkWorkload(t *testing.T, m *manifest, w workload) {
	t.Helper()
	pod := w.pod.Spec
	assert.Equal(t, w.selector.MatchLabels, pickLabels(w.pod.Labels, w.selector.MatchLabels), "%s %s: selector must match the pod template's labels", w.kind, w.name)
	if pod.ServiceAccountName != "" {
		assert.Contains(t, m.serviceAccounts, pod.ServiceAccountName, "%s %s: service account", w.kind, w.name)
	}
	require.Len(t, pod.Containers, 1)
	c := pod.Containers[0]
	assert.True(t, *c.SecurityContext.ReadOnlyRootFilesystem)
	assert.False(t, *c.SecurityContext.AllowPrivilegeEscalation)

	// The config path in args is a file of the ConfigMap mounted at its directory.
	configPath := ""
	for _, a := range c.Args {
		if p, ok := strings.CutPrefix(a, "--config="); ok {
			configPath = p
		}
	}
	require.NotEmpty(t, configPath, "%s %s: --config=<path> in args", w.kind, w.name)
	mount, ok := findMount(c, path.Dir(configPath))
	require.True(t, ok, "%s %s: nothing is mounted at %s", w.kind, w.name, path.Dir(configPath))
	vol := findVolume(pod, mount.Name)
	require.NotNil(t, vol, "volume %s", mount.Name)
	require.NotNil(t, vol.ConfigMap, "volume %s must be the ConfigMap with the collector config", mount.Name)
	cm, ok := m.configMaps[vol.ConfigMap.Name]
	require.True(t, ok, "ConfigMap %s is not in %s", vol.ConfigMap.Name, m.file)
	raw, ok := cm.Data[path.Base(configPath)]
	require.True(t, ok, "ConfigMap %s has no key %s", cm.Name, path.Base(configPath))

	col := resolveConfig(t, raw, c)
	validateComponents(t, col)
	validateWithDistribution(t, raw, featureGates(c.Args))
	checkProbes(t, w, c, col)

	// file_storage writes to a volume, never to the read-only root file system.
	if dir := col.conf.Get("extensions::file_storage::directory"); dir != nil {
		mount, ok := findMount(c, dir.(string))
		require.True(t, ok, "%s %s: file_storage directory %s is not a mounted volume", w.kind, w.name, dir)
		assert.False(t, mount.ReadOnly)
		claimed := slices.ContainsFunc(w.claims, func(pvc corev1.PersistentVolumeClaim) bool { return pvc.Name == mount.Name })
		assert.True(t, claimed, "%s %s: file_storage must be on a per-pod PersistentVolumeClaim (volumeClaimTemplates)", w.kind, w.name)
	}

	// The firehose receiver listens on a declared container port.
	if ep := col.conf.Get("receivers::firehosemetrics::endpoint"); ep != nil {
		assert.Equal(t, portOf(t, ep.(string)), containerPort(t, c, intstr.FromString("firehose")))
	}

	if col.conf.IsSet("receivers::cloudtrails3::sqs::queue_url") {
		checkSQSGateway(t, w, col)
	}
	if col.conf.IsSet("receivers::cloudtrails3::shard") {
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
func checkProbes(t *testing.T, w workload, c corev1.Container, col collector) {
	t.Helper()
	assert.Contains(t, c.Args, healthCheckGate, "%s %s: health_check's http settings need the feature gate", w.kind, w.name)
	for _, tc := range []struct {
		probe     *corev1.Probe
		extension string
		follows   bool // follows recoverable and permanent errors
	}{
		{c.ReadinessProbe, "health_check", true},
		{c.LivenessProbe, "health_check/liveness", false},
	} {
		require.NotNil(t, tc.probe, "%s %s: probe on %s", w.kind, w.name, tc.extension)
		require.NotNil(t, tc.probe.HTTPGet, "%s %s: HTTP probe on %s", w.kind, w.name, tc.extension)
		ext, err := col.conf.Sub("extensions::" + tc.extension)
		require.NoError(t, err)
		endpoint, _ := ext.Get("http::endpoint").(string)
		require.NotEmpty(t, endpoint, "%s: http::endpoint", tc.extension)
		assert.Equal(t, portOf(t, endpoint), containerPort(t, c, tc.probe.HTTPGet.Port), "probe port vs %s endpoint", tc.extension)
		assert.Equal(t, true, ext.Get("http::status::enabled"), tc.extension)
		assert.Equal(t, ext.Get("http::status::path"), tc.probe.HTTPGet.Path, "probe path vs %s status path", tc.extension)
		assert.Equal(t, tc.follows, ext.Get("component_health::include_recoverable_errors") == true, "%s component_health", tc.extension)
		assert.Equal(t, tc.follows, ext.Get("component_health::include_permanent_errors") == true, "%s component_health", tc.extension)
	}
}

// checkSQSGateway: any number of replicas, no state, and the pipeline acknowledges only after the export.
func checkSQSGateway(t *testing.T, w workload, col collector) {
	t.Helper()
	assert.Equal(t, "Deployment", w.kind, "SQS mode needs no per-pod state: a Deployment")
	assert.False(t, col.conf.IsSet("receivers::cloudtrails3::storage"))
	for _, p := range col.conf.Get("service::pipelines::logs::processors").([]any) {
		assert.NotEqual(t, "batch", p, "the batch processor acknowledges before the export: messages would be deleted too early")
	}
	assert.Equal(t, true, col.conf.Get("exporters::logzio::sending_queue::wait_for_result"),
		"the exporter must answer ConsumeLogs only once Logz.io accepted the records")
}

// checkShardedStatefulSet: the pod ordinal becomes shard.index and shard.count is the replica count.
func checkShardedStatefulSet(t *testing.T, m *manifest, w workload, c corev1.Container, col collector) {
	t.Helper()
	require.Equal(t, "StatefulSet", w.kind, "sharded polling needs stable pod ordinals")
	assert.Contains(t, col.raw, "index: ${env:SHARD_INDEX}")
	index := findEnv(c, "SHARD_INDEX")
	require.NotNil(t, index)
	require.NotNil(t, index.ValueFrom)
	require.NotNil(t, index.ValueFrom.FieldRef)
	assert.Equal(t, "metadata.labels['apps.kubernetes.io/pod-index']", index.ValueFrom.FieldRef.FieldPath)
	assert.EqualValues(t, w.replicas, col.conf.Get("receivers::cloudtrails3::shard::count"), "shard.count must equal spec.replicas")
	sts := m.statefulSets[w.name]
	svc, ok := m.services[sts.Spec.ServiceName]
	require.True(t, ok, "the StatefulSet's serviceName %s", sts.Spec.ServiceName)
	assert.Equal(t, corev1.ClusterIPNone, svc.Spec.ClusterIP, "a headless Service")
	assert.True(t, col.conf.IsSet("receivers::cloudtrails3::storage"), "positions kept in the storage extension")
	assert.Equal(t, true, col.conf.Get("exporters::logzio::sending_queue::wait_for_result"),
		"S3 is the queue: a position moves only past objects Logz.io accepted, no copy of the records on disk")
	assert.False(t, col.conf.IsSet("exporters::logzio::sending_queue::storage"), "no persistent queue on the CloudTrail path")
}

// resolveConfig resolves ${env:…} with the container's environment (secrets and downward-API values get sample
// values) and fails on a variable the container does not set and the config gives no default for.
func resolveConfig(t *testing.T, raw string, c corev1.Container) collector {
	t.Helper()
	for _, match := range regexp.MustCompile(`\$\{env:([A-Za-z0-9_]+)(:-[^}]*)?\}`).FindAllStringSubmatch(raw, -1) {
		if match[2] == "" {
			assert.NotNil(t, findEnv(c, match[1]), "the config needs env %s, which the container does not set", match[1])
		}
	}
	for _, e := range c.Env {
		value := e.Value
		switch {
		case e.ValueFrom == nil:
		case e.ValueFrom.SecretKeyRef != nil:
			value = "secret-from-" + e.ValueFrom.SecretKeyRef.Name
		case e.ValueFrom.FieldRef != nil:
			value = "1" // a pod ordinal
		case e.ValueFrom.ResourceFieldRef != nil:
			value = "536870912"
		}
		t.Setenv(e.Name, value)
	}
	resolver, err := confmap.NewResolver(confmap.ResolverSettings{
		URIs:              []string{"yaml:" + raw},
		ProviderFactories: []confmap.ProviderFactory{yamlprovider.NewFactory(), envprovider.NewFactory()},
		DefaultScheme:     "env",
	})
	require.NoError(t, err)
	conf, err := resolver.Resolve(context.Background())
	require.NoError(t, err)
	return collector{raw: raw, conf: conf}
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

func validateComponents(t *testing.T, col collector) {
	t.Helper()
	builderConfig, err := os.ReadFile(filepath.Join("..", "..", "builder-config.yaml"))
	require.NoError(t, err)
	declared := map[string]bool{}
	for kind, known := range factories {
		sub, err := col.conf.Sub(kind)
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
	for _, ext := range col.conf.Get("service::extensions").([]any) {
		assert.True(t, declared["extensions/"+ext.(string)], "service.extensions names undeclared %s", ext)
	}
	pipelines, err := col.conf.Sub("service::pipelines")
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
// gates, in the environment set by resolveConfig, when the binary has been built; it is skipped otherwise (make test
// builds it after the Go tests).
func validateWithDistribution(t *testing.T, raw string, gates []string) {
	t.Helper()
	if _, err := os.Stat(distributionBinary); err != nil {
		t.Logf("%s not built: validating with the component factories only", distributionBinary)
		return
	}
	file := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(file, []byte(raw), 0o600))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, distributionBinary, append([]string{"validate", "--config=" + file}, gates...)...).CombinedOutput()
	require.NoError(t, err, "otelcol-logzio-aws validate:\n%s", out)
}

func checkServiceSelectsAWorkload(t *testing.T, m *manifest, s *corev1.Service) {
	t.Helper()
	require.True(t, selectsAWorkload(m, s.Spec.Selector), "Service %s selects no pods", s.Name)
	for _, w := range m.workloads() {
		if !matches(s.Spec.Selector, w.pod.Labels) {
			continue
		}
		for _, p := range s.Spec.Ports {
			containerPort(t, w.pod.Spec.Containers[0], p.TargetPort) // fails when the target port is not declared
		}
	}
}

func checkIngress(t *testing.T, m *manifest, ing *networkingv1.Ingress) {
	t.Helper()
	for _, rule := range ing.Spec.Rules {
		for _, p := range rule.HTTP.Paths {
			svc, ok := m.services[p.Backend.Service.Name]
			require.True(t, ok, "Ingress %s: backend Service %s", ing.Name, p.Backend.Service.Name)
			found := slices.ContainsFunc(svc.Spec.Ports, func(sp corev1.ServicePort) bool {
				return sp.Name == p.Backend.Service.Port.Name || sp.Port == p.Backend.Service.Port.Number
			})
			assert.True(t, found, "Ingress %s: Service %s has no port %v", ing.Name, svc.Name, p.Backend.Service.Port)
			for _, w := range m.workloads() {
				if !matches(svc.Spec.Selector, w.pod.Labels) {
					continue
				}
				c := w.pod.Spec.Containers[0]
				_, file, _ := strings.Cut(c.Args[0], "=")
				raw := m.configMaps[findVolume(w.pod.Spec, mustMount(t, c, path.Dir(file)).Name).ConfigMap.Name].Data[path.Base(file)]
				col := resolveConfig(t, raw, c)
				if rp := col.conf.Get("receivers::firehosemetrics::path"); rp != nil {
					assert.Equal(t, rp, p.Path, "Ingress path vs the receiver's path")
				}
			}
		}
		require.NotEmpty(t, ing.Spec.TLS, "Firehose delivers only to HTTPS endpoints")
		assert.Contains(t, ing.Spec.TLS[0].Hosts, rule.Host)
	}
}

func selectsAWorkload(m *manifest, selector map[string]string) bool {
	return slices.ContainsFunc(m.workloads(), func(w workload) bool { return matches(selector, w.pod.Labels) })
}

func matches(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func pickLabels(labels, keys map[string]string) map[string]string {
	out := map[string]string{}
	for k := range keys {
		if v, ok := labels[k]; ok {
			out[k] = v
		}
	}
	return out
}

func findMount(c corev1.Container, dir string) (corev1.VolumeMount, bool) {
	for _, m := range c.VolumeMounts {
		if path.Clean(m.MountPath) == path.Clean(dir) {
			return m, true
		}
	}
	return corev1.VolumeMount{}, false
}

func mustMount(t *testing.T, c corev1.Container, dir string) corev1.VolumeMount {
	t.Helper()
	m, ok := findMount(c, dir)
	require.True(t, ok, "nothing mounted at %s", dir)
	return m
}

func findVolume(pod corev1.PodSpec, name string) *corev1.Volume {
	for i := range pod.Volumes {
		if pod.Volumes[i].Name == name {
			return &pod.Volumes[i]
		}
	}
	return nil
}

func findEnv(c corev1.Container, name string) *corev1.EnvVar {
	for i := range c.Env {
		if c.Env[i].Name == name {
			return &c.Env[i]
		}
	}
	return nil
}

// containerPort resolves a port reference (number or name) to a declared container port number.
func containerPort(t *testing.T, c corev1.Container, ref intstr.IntOrString) int {
	t.Helper()
	for _, p := range c.Ports {
		if (ref.Type == intstr.String && p.Name == ref.StrVal) || (ref.Type == intstr.Int && p.ContainerPort == ref.IntVal) {
			return int(p.ContainerPort)
		}
	}
	t.Fatalf("container %s declares no port %s", c.Name, ref.String())
	return 0
}

func portOf(t *testing.T, endpoint string) int {
	t.Helper()
	_, port, err := net.SplitHostPort(endpoint)
	require.NoError(t, err, endpoint)
	n, err := strconv.Atoi(port)
	require.NoError(t, err)
	return n
}

// TestStrictDecodingRefusesUnknownFields makes sure the check above would catch a typo.
func TestStrictDecodingRefusesUnknownFields(t *testing.T) {
	doc := []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replica: 3\n")
	err := yaml.UnmarshalStrict(doc, &appsv1.Deployment{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown field "replica"`)
	require.NoError(t, yaml.UnmarshalStrict([]byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: 3\n"), &appsv1.Deployment{}))
}
