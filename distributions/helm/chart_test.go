// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package helm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/envprovider"
	"go.opentelemetry.io/collector/confmap/provider/yamlprovider"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
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

// secretRef is where an environment variable must come from.
type secretRef struct{ name, key string }

// modeCase is one sample values file (or several) and what its release must look like.
type modeCase struct {
	name           string
	values         []string
	set            []string
	mode           string
	workloadKind   string
	roleArn        string
	replicas       int32
	goMemLimit     string // "" = 80 % of the memory limit, computed here
	memoryLimit    string
	secrets        map[string]secretRef
	serviceMonitor bool
	podMonitor     bool
	ingress        bool
	persistent     bool // firehose: the exporter's queue on a storage volume
	check          func(t *testing.T, c *collector)
}

var cases = []modeCase{
	{
		name: "sqs-gateway", values: []string{"sqs-gateway.yaml"}, mode: "sqs-gateway", workloadKind: "Deployment",
		roleArn: "arn:aws:iam::111122223333:role/otelcol-cloudtrail-sqs", replicas: 3, memoryLimit: "512Mi",
		secrets:        map[string]secretRef{"LOGZIO_LOGS_TOKEN": {"logzio-tokens", "logs-token"}},
		serviceMonitor: true,
		check: func(t *testing.T, c *collector) {
			assert.Equal(t, "https://sqs.us-east-1.amazonaws.com/111122223333/cloudtrail-objects", c.get("receivers::cloudtrails3::sqs::queue_url"))
			assert.Equal(t, "my-trail-bucket", c.get("receivers::cloudtrails3::bucket"))
			assert.EqualValues(t, 5, c.get("receivers::cloudtrails3::sqs::max_receive_count"))
		},
	},
	{
		name: "sqs-gateway-config-override", values: []string{"sqs-gateway.yaml"}, mode: "sqs-gateway", workloadKind: "Deployment",
		set:     []string{"--set-json", `config={"exporters":{"logzio":{"timeout":"45s"}},"service":{"telemetry":{"logs":{"level":"warn"}}}}`, "--set", "resources.limits.memory=1500M"},
		roleArn: "arn:aws:iam::111122223333:role/otelcol-cloudtrail-sqs", replicas: 3, memoryLimit: "1500M",
		secrets:        map[string]secretRef{"LOGZIO_LOGS_TOKEN": {"logzio-tokens", "logs-token"}},
		serviceMonitor: true,
		check: func(t *testing.T, c *collector) {
			assert.Equal(t, "45s", c.get("exporters::logzio::timeout"), "config is merged over the generated configuration")
			assert.Equal(t, "warn", c.get("service::telemetry::logs::level"))
			assert.Equal(t, true, c.get("exporters::logzio::sending_queue::wait_for_result"), "generated settings beside the override stay")
		},
	},
	{
		name: "sharded-polling", values: []string{"sharded-polling.yaml"}, mode: "sharded-polling", workloadKind: "StatefulSet",
		roleArn: "arn:aws:iam::111122223333:role/otelcol-cloudtrail-poller", replicas: 4, memoryLimit: "1Gi",
		secrets:    map[string]secretRef{"LOGZIO_LOGS_TOKEN": {"shipping-tokens", "cloudtrail-token"}},
		podMonitor: true,
		check: func(t *testing.T, c *collector) {
			assert.Equal(t, "org-log-archive", c.get("receivers::cloudtrails3::bucket"))
			assert.Equal(t, "org-trail", c.get("receivers::cloudtrails3::prefix"))
			assert.Equal(t, "eu", c.get("exporters::logzio::region"))
			assert.NotNil(t, c.get("receivers::cloudtrails3::event_selection::exclude"), "eventSelection is passed through")
		},
	},
	{
		name: "firehose", values: []string{"firehose.yaml"}, mode: "firehose", workloadKind: "Deployment",
		roleArn: "arn:aws:iam::111122223333:role/otelcol-firehose", replicas: 2, memoryLimit: "1Gi",
		secrets: map[string]secretRef{
			"LOGZIO_METRICS_TOKEN":         {"logzio-tokens", "metrics-token"},
			"FIREHOSE_ACCESS_KEY":          {"firehose-access-key", "access-key"},
			"FIREHOSE_PREVIOUS_ACCESS_KEY": {"firehose-access-key", "previous-access-key"},
		},
		serviceMonitor: true, ingress: true,
		check: func(t *testing.T, c *collector) {
			assert.Equal(t, []any{"AWS/EC2", "AWS/Lambda"}, c.get("receivers::firehosemetrics::namespaces"))
			assert.Len(t, c.get("receivers::firehosemetrics::access_keys"), 2)
		},
	},
	{
		name: "firehose-storage", values: []string{"firehose-storage.yaml"}, mode: "firehose", workloadKind: "Deployment",
		roleArn: "arn:aws:iam::111122223333:role/otelcol-firehose", replicas: 3, memoryLimit: "1Gi", goMemLimit: "700MiB",
		secrets: map[string]secretRef{
			"LOGZIO_METRICS_TOKEN": {"logzio-tokens", "metrics-token"},
			"FIREHOSE_ACCESS_KEY":  {"firehose-access-key", "access-key"},
		},
		persistent: true,
	},
}

func TestEveryModeRendersAConsistentRelease(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := helmTemplate(t, tc.values, tc.set...)
			require.NoError(t, err)
			r := decode(t, out)
			ws := r.workloads()
			require.Len(t, ws, 1, "one workload per release")
			w := ws[0]
			require.Equal(t, tc.workloadKind, w.kind)
			assert.Equal(t, tc.replicas, w.replicas)
			assert.Equal(t, w.selector.MatchLabels, pickLabels(w.pod.Labels, w.selector.MatchLabels), "selector vs pod labels")
			assert.Equal(t, tc.mode, w.pod.Labels["otelcol-logzio-aws/mode"])

			pod := w.pod.Spec
			require.Len(t, pod.Containers, 1)
			c := pod.Containers[0]
			checkServiceAccount(t, r, pod, tc.roleArn)
			checkSecurity(t, pod, c)
			checkSecretsComeFromSecrets(t, c, tc.secrets)
			checkGoMemLimit(t, c, tc)

			assert.Contains(t, c.Args, featureGate, "health_check's v2 settings need the feature gate")
			col := loadCollector(t, r, w, c)
			checkHealth(t, c, col)
			checkTelemetry(t, r, w, c, col, tc)
			checkPDB(t, r, w)
			for _, s := range r.services {
				checkServiceTargets(t, w, s)
			}

			switch tc.mode {
			case "sqs-gateway":
				checkSQSGateway(t, w, col)
				checkLogsPipeline(t, col)
			case "sharded-polling":
				checkShardedStatefulSet(t, r, w, c, col)
				checkLogsPipeline(t, col)
			case "firehose":
				checkFirehose(t, r, w, c, col, tc)
			}
			if tc.check != nil {
				tc.check(t, col)
			}
			validateWithDistribution(t, col, c)
		})
	}
}

func checkServiceAccount(t *testing.T, r *rendered, pod corev1.PodSpec, roleArn string) {
	t.Helper()
	sa, ok := r.serviceAccounts[pod.ServiceAccountName]
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

// checkSecretsComeFromSecrets: every expected secret is a secretKeyRef to the named Secret and key, and no variable
// carries a literal value that looks like a secret.
func checkSecretsComeFromSecrets(t *testing.T, c corev1.Container, want map[string]secretRef) {
	t.Helper()
	for name, ref := range want {
		e := findEnv(c, name)
		require.NotNil(t, e, "env %s", name)
		assert.Empty(t, e.Value, "env %s must not carry a value", name)
		require.NotNil(t, e.ValueFrom, "env %s", name)
		require.NotNil(t, e.ValueFrom.SecretKeyRef, "env %s must come from a secretKeyRef", name)
		assert.Equal(t, ref.name, e.ValueFrom.SecretKeyRef.Name, "env %s: Secret", name)
		assert.Equal(t, ref.key, e.ValueFrom.SecretKeyRef.Key, "env %s: key", name)
	}
	secretLike := regexp.MustCompile(`TOKEN|KEY|SECRET|PASSWORD`)
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
	e := findEnv(c, "GOMEMLIMIT")
	require.NotNil(t, e)
	assert.Equal(t, goMemLimit, e.Value)
}

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

// checkHealth: health_check follows component status and the readiness probe calls its status path on its port; the
// liveness probe calls the status path of health_check/liveness, which has no component_health (so a failing AWS
// permission or a Logz.io outage makes pods unready, never restarts them).
func checkHealth(t *testing.T, c corev1.Container, col *collector) {
	t.Helper()
	assert.Equal(t, statusPath, col.get("extensions::health_check::http::status::path"))
	assert.Equal(t, true, col.get("extensions::health_check::http::status::enabled"))
	assert.Equal(t, true, col.get("extensions::health_check::component_health::include_permanent_errors"))
	assert.Equal(t, true, col.get("extensions::health_check::component_health::include_recoverable_errors"))
	assert.Equal(t, "5m", col.get("extensions::health_check::component_health::recovery_duration"))
	assert.Nil(t, col.get("extensions::health_check::endpoint"), "no v1 endpoint beside the v2 http block")
	assert.Equal(t, statusPath, col.get("extensions::health_check/liveness::http::status::path"))
	assert.Nil(t, col.get("extensions::health_check/liveness::component_health"), "liveness must not follow recoverable errors")
	assert.Subset(t, col.get("service::extensions"), []any{"health_check", "health_check/liveness"})

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
		endpoint, _ := col.get("extensions::" + p.extension + "::http::endpoint").(string)
		assert.Equal(t, portOf(t, endpoint), containerPort(t, c, p.probe.HTTPGet.Port), "%s probe port vs the %s endpoint", name, p.extension)
	}
}

// checkTelemetry: the collector's metrics listen on the container port named metrics, which the ServiceMonitor (through
// a Service) or the PodMonitor scrapes when enabled.
func checkTelemetry(t *testing.T, r *rendered, w workload, c corev1.Container, col *collector, tc modeCase) {
	t.Helper()
	readers, ok := col.get("service::telemetry::metrics::readers").([]any)
	require.True(t, ok && len(readers) == 1, "one metrics reader")
	prom := readers[0].(map[string]any)["pull"].(map[string]any)["exporter"].(map[string]any)["prometheus"].(map[string]any)
	assert.Equal(t, "0.0.0.0", prom["host"], "metrics reachable from outside the pod")
	assert.EqualValues(t, 8888, prom["port"])
	assert.EqualValues(t, 8888, containerPort(t, c, intstr.FromString("metrics")))

	require.Len(t, r.serviceMonitors, boolToInt(tc.serviceMonitor), "ServiceMonitor")
	require.Len(t, r.podMonitors, boolToInt(tc.podMonitor), "PodMonitor")
	for _, sm := range r.serviceMonitors {
		assert.Equal(t, []string{namespace}, sm.Spec.NamespaceSelector.MatchNames)
		require.Len(t, sm.Spec.Endpoints, 1)
		var target *corev1.Service
		for _, s := range r.services {
			if matches(sm.Spec.Selector.MatchLabels, s.Labels) {
				require.Nil(t, target, "ServiceMonitor %s selects one Service", sm.Name)
				target = s
			}
		}
		require.NotNil(t, target, "ServiceMonitor %s selects a Service", sm.Name)
		assert.True(t, matches(target.Spec.Selector, w.pod.Labels), "Service %s selects the pods", target.Name)
		i := slices.IndexFunc(target.Spec.Ports, func(p corev1.ServicePort) bool { return p.Name == sm.Spec.Endpoints[0].Port })
		require.GreaterOrEqual(t, i, 0, "Service %s has the port %s the ServiceMonitor scrapes", target.Name, sm.Spec.Endpoints[0].Port)
		assert.EqualValues(t, 8888, containerPort(t, c, target.Spec.Ports[i].TargetPort))
		assert.Equal(t, "/metrics", sm.Spec.Endpoints[0].Path)
	}
	for _, pm := range r.podMonitors {
		assert.Equal(t, []string{namespace}, pm.Spec.NamespaceSelector.MatchNames)
		assert.True(t, matches(pm.Spec.Selector.MatchLabels, w.pod.Labels), "PodMonitor %s selects the pods", pm.Name)
		require.Len(t, pm.Spec.PodMetricsEndpoints, 1)
		assert.EqualValues(t, 8888, containerPort(t, c, intstr.FromString(pm.Spec.PodMetricsEndpoints[0].Port)))
		assert.Equal(t, "/metrics", pm.Spec.PodMetricsEndpoints[0].Path)
	}
}

func checkPDB(t *testing.T, r *rendered, w workload) {
	t.Helper()
	require.Len(t, r.pdbs, 1, "a PodDisruptionBudget")
	for _, pdb := range r.pdbs {
		assert.True(t, matches(pdb.Spec.Selector.MatchLabels, w.pod.Labels), "PodDisruptionBudget %s selects the pods", pdb.Name)
		assert.True(t, pdb.Spec.MaxUnavailable != nil || pdb.Spec.MinAvailable != nil)
	}
}

// checkServiceTargets: a Service selects the pods and every target port is a declared container port.
func checkServiceTargets(t *testing.T, w workload, s *corev1.Service) {
	t.Helper()
	require.True(t, matches(s.Spec.Selector, w.pod.Labels), "Service %s selects no pods", s.Name)
	for _, p := range s.Spec.Ports {
		containerPort(t, w.pod.Spec.Containers[0], p.TargetPort)
	}
}

// checkLogsPipeline: the CloudTrail pipeline acknowledges an object (or deletes its message) only once Logz.io
// accepted its records: memory_limiter first, no batch processor, an in-memory queue with wait_for_result that
// batches inside itself.
func checkLogsPipeline(t *testing.T, col *collector) {
	t.Helper()
	assert.Equal(t, []any{"memory_limiter"}, col.get("service::pipelines::logs::processors"))
	assert.Nil(t, col.get("processors::batch"))
	q := "exporters::logzio::sending_queue::"
	assert.Equal(t, true, col.get(q+"enabled"))
	assert.Equal(t, true, col.get(q+"wait_for_result"))
	assert.Nil(t, col.get(q+"storage"), "in-memory queue: the bucket or the SQS queue is the durable one")
	assert.EqualValues(t, 16, col.get(q+"num_consumers"))
	assert.Equal(t, "200ms", col.get(q+"batch::flush_timeout"))
	assert.Equal(t, "items", col.get(q+"batch::sizer"))
	assert.EqualValues(t, 2000, col.get(q+"batch::min_size"))
	assert.EqualValues(t, 2000, col.get(q+"batch::max_size"))
	assert.Equal(t, "${env:LOGZIO_LOGS_TOKEN}", rawGet(t, col, "exporters::logzio::logs::token"), "the token is a reference, never a value")
}

func checkSQSGateway(t *testing.T, w workload, col *collector) {
	t.Helper()
	assert.False(t, col.conf.IsSet("receivers::cloudtrails3::storage"), "the queue is the state")
	assert.Nil(t, col.get("extensions::file_storage"))
	assert.Empty(t, w.claims)
	for _, v := range w.pod.Spec.Volumes {
		assert.NotNil(t, v.ConfigMap, "sqs-gateway pods have no volume but the configuration (%s)", v.Name)
	}
}

// checkShardedStatefulSet: the pod ordinal becomes shard.index, shard.count is the replica count, each pod keeps its
// positions on its own claim, and the StatefulSet has its headless Service.
func checkShardedStatefulSet(t *testing.T, r *rendered, w workload, c corev1.Container, col *collector) {
	t.Helper()
	assert.Equal(t, "${env:SHARD_INDEX}", rawGet(t, col, "receivers::cloudtrails3::shard::index"))
	assert.Equal(t, "${env:SHARD_COUNT}", rawGet(t, col, "receivers::cloudtrails3::shard::count"))
	index := findEnv(c, "SHARD_INDEX")
	require.NotNil(t, index)
	require.NotNil(t, index.ValueFrom)
	require.NotNil(t, index.ValueFrom.FieldRef)
	assert.Equal(t, "metadata.labels['apps.kubernetes.io/pod-index']", index.ValueFrom.FieldRef.FieldPath)
	count := findEnv(c, "SHARD_COUNT")
	require.NotNil(t, count)
	assert.Equal(t, strconv.Itoa(int(w.replicas)), count.Value, "SHARD_COUNT must equal the StatefulSet's replicas")
	assert.EqualValues(t, w.replicas, col.get("receivers::cloudtrails3::shard::count"))

	sts := r.statefulSets[w.name]
	svc, ok := r.services[sts.Spec.ServiceName]
	require.True(t, ok, "the StatefulSet's serviceName %s", sts.Spec.ServiceName)
	assert.Equal(t, corev1.ClusterIPNone, svc.Spec.ClusterIP, "a headless Service")

	assert.Equal(t, "file_storage", col.get("receivers::cloudtrails3::storage"))
	checkStorageMount(t, w, c, col, true)
	require.Len(t, w.claims, 1)
	size := w.claims[0].Spec.Resources.Requests[corev1.ResourceStorage]
	assert.Equal(t, "2Gi", size.String())
	require.NotNil(t, w.claims[0].Spec.StorageClassName)
	assert.Equal(t, "gp3", *w.claims[0].Spec.StorageClassName)
}

// checkStorageMount: file_storage writes to a writable volume, never to the read-only root file system; perPod: a
// PersistentVolumeClaim of the StatefulSet's volumeClaimTemplates.
func checkStorageMount(t *testing.T, w workload, c corev1.Container, col *collector, perPod bool) {
	t.Helper()
	assert.Contains(t, col.get("service::extensions"), "file_storage")
	dir, _ := col.get("extensions::file_storage::directory").(string)
	require.NotEmpty(t, dir, "file_storage directory")
	mount, ok := findMount(c, dir)
	require.True(t, ok, "file_storage directory %s is not a mounted volume", dir)
	assert.False(t, mount.ReadOnly)
	claimed := slices.ContainsFunc(w.claims, func(pvc corev1.PersistentVolumeClaim) bool { return pvc.Name == mount.Name })
	if perPod {
		assert.True(t, claimed, "file_storage must be on a per-pod PersistentVolumeClaim (volumeClaimTemplates)")
	} else {
		vol := findVolume(w.pod.Spec, mount.Name)
		require.NotNil(t, vol, "volume %s", mount.Name)
		assert.True(t, vol.EmptyDir != nil || vol.Ephemeral != nil, "a volume of the pod's lifetime")
	}
}

// checkFirehose: the receiver's port behind the Service and the TLS Ingress, and the exporter's queue persistent only
// with a storage volume (otherwise in memory with wait_for_result, so Firehose gets 200 only after delivery).
func checkFirehose(t *testing.T, r *rendered, w workload, c corev1.Container, col *collector, tc modeCase) {
	t.Helper()
	endpoint, _ := col.get("receivers::firehosemetrics::endpoint").(string)
	assert.Equal(t, portOf(t, endpoint), containerPort(t, c, intstr.FromString("firehose")))
	for _, key := range rawList(t, col, "receivers::firehosemetrics::access_keys") {
		assert.Regexp(t, `^\$\{env:FIREHOSE_[A-Z_]*ACCESS_KEY\}$`, key, "access keys are references, never values")
	}
	assert.Equal(t, "${env:LOGZIO_METRICS_TOKEN}", rawGet(t, col, "exporters::logzio::metrics::token"))
	assert.Equal(t, []any{"memory_limiter"}, col.get("service::pipelines::metrics::processors"))
	assert.Nil(t, col.get("service::pipelines::logs"))

	var firehoseService *corev1.Service
	for _, s := range r.services {
		for _, p := range s.Spec.Ports {
			if p.TargetPort == intstr.FromString("firehose") {
				firehoseService = s
			}
		}
	}
	require.NotNil(t, firehoseService, "a Service in front of the receiver")

	q := "exporters::logzio::sending_queue::"
	if tc.persistent {
		assert.Equal(t, "file_storage", col.get(q+"storage"))
		checkStorageMount(t, w, c, col, false)
	} else {
		assert.Nil(t, col.get(q+"storage"))
		assert.Equal(t, true, col.get(q+"wait_for_result"), "Firehose must get 200 only once Logz.io accepted the data")
		assert.Nil(t, col.get("extensions::file_storage"))
	}

	require.Len(t, r.ingresses, boolToInt(tc.ingress), "Ingress")
	for _, ing := range r.ingresses {
		require.NotEmpty(t, ing.Spec.TLS, "Firehose delivers only to HTTPS endpoints")
		for _, rule := range ing.Spec.Rules {
			assert.Contains(t, ing.Spec.TLS[0].Hosts, rule.Host)
			assert.NotEmpty(t, ing.Spec.TLS[0].SecretName)
			for _, p := range rule.HTTP.Paths {
				assert.Equal(t, col.get("receivers::firehosemetrics::path"), p.Path, "Ingress path vs the receiver's path")
				svc, ok := r.services[p.Backend.Service.Name]
				require.True(t, ok, "Ingress backend Service %s", p.Backend.Service.Name)
				assert.Equal(t, firehoseService.Name, svc.Name)
				i := slices.IndexFunc(svc.Spec.Ports, func(sp corev1.ServicePort) bool { return sp.Name == p.Backend.Service.Port.Name })
				require.GreaterOrEqual(t, i, 0, "Service %s has no port %s", svc.Name, p.Backend.Service.Port.Name)
				assert.Equal(t, intstr.FromString("firehose"), svc.Spec.Ports[i].TargetPort)
			}
		}
	}
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

// TestMissingOrConflictingValuesFailWithTheirName: `helm template` refuses a release that lacks a value its mode
// needs, naming the value.
func TestMissingOrConflictingValuesFailWithTheirName(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"sharded-polling without bucket", []string{"--set", "mode=sharded-polling"}, "cloudtrail.bucket is required"},
		{"sqs-gateway without queue", []string{"--set", "mode=sqs-gateway"}, "cloudtrail.sqs.queueUrl is required"},
		{"firehose ingress without host", []string{"--set", "mode=firehose", "--set", "firehose.ingress.enabled=true"}, "firehose.ingress.host is required"},
		{"logs token Secret unnamed", []string{"--set", "mode=sharded-polling", "--set", "cloudtrail.bucket=b", "--set", "logzio.existingSecret.name="}, "logzio.existingSecret.name is required"},
		{"sqs-gateway with storage", []string{"--set", "cloudtrail.sqs.queueUrl=https://sqs.us-east-1.amazonaws.com/1/q", "--set", "storage.enabled=true"}, "storage.enabled"},
		{"both monitors", []string{"-f", "testdata/firehose.yaml", "--set", "podMonitor.enabled=true"}, "enable one of them"},
		{"unknown mode", []string{"--set", "mode=polling"}, "at '/mode'"},
		{"misspelt value", []string{"--set", "cloudtrail.bukcet=b"}, "bukcet"},
		{"bad memory limit", []string{"-f", "testdata/firehose.yaml", "--set", "resources.limits.memory=lots"}, "resources.limits.memory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := helmTemplate(t, nil, tc.args...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestGoMemLimitFollowsTheMemoryLimit: 80 % of limits.memory in whole MiB, for binary and decimal quantities and a
// plain number of bytes (which a values file hands to the templates as a float).
func TestGoMemLimitFollowsTheMemoryLimit(t *testing.T) {
	for _, tc := range []struct{ flag, limit, want string }{
		{"--set-string", "512Mi", "409MiB"},
		{"--set-string", "1Gi", "819MiB"},
		{"--set-string", "2Gi", "1638MiB"},
		{"--set-string", "1500M", "1144MiB"},
		{"--set-string", "1.5Gi", "1228MiB"},
		{"--set-string", "536870912", "409MiB"},
		{"--set-json", "536870912", "409MiB"},
	} {
		t.Run(tc.flag+"="+tc.limit, func(t *testing.T) {
			out, err := helmTemplate(t, []string{"sqs-gateway.yaml"}, tc.flag, "resources.limits.memory="+tc.limit)
			require.NoError(t, err)
			c := decode(t, out).workloads()[0].pod.Spec.Containers[0]
			q := resource.MustParse(tc.limit)
			assert.Equal(t, fmt.Sprintf("%dMiB", q.Value()*8/10/(1<<20)), tc.want, "the expectation itself")
			assert.Equal(t, tc.want, findEnv(c, "GOMEMLIMIT").Value)
			limit := c.Resources.Limits[corev1.ResourceMemory]
			assert.Equal(t, q.Value(), limit.Value(), "the limit as given")
		})
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

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
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
