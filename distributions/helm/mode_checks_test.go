// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package helm

import (
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/k8stest"
)

// checkLogsPipeline: the CloudTrail pipeline acknowledges an object (or deletes its message) only once Logz.io
// accepted its records: memory_limiter first, no batch processor, an in-memory queue with wait_for_result that
// batches inside itself.
func checkLogsPipeline(t *testing.T, col *k8stest.Collector) {
	t.Helper()
	assert.Equal(t, []any{"memory_limiter"}, col.Get("service::pipelines::logs::processors"))
	assert.Nil(t, col.Get("processors::batch"))
	q := "exporters::logzio::sending_queue::"
	assert.Equal(t, true, col.Get(q+"enabled"))
	assert.Equal(t, true, col.Get(q+"wait_for_result"))
	assert.Nil(t, col.Get(q+"storage"), "in-memory queue: the bucket or the SQS queue is the durable one")
	assert.EqualValues(t, 16, col.Get(q+"num_consumers"))
	assert.Equal(t, "200ms", col.Get(q+"batch::flush_timeout"))
	assert.Equal(t, "items", col.Get(q+"batch::sizer"))
	assert.EqualValues(t, 2000, col.Get(q+"batch::min_size"))
	assert.EqualValues(t, 2000, col.Get(q+"batch::max_size"))
	assert.Equal(t, "${env:LOGZIO_LOGS_TOKEN}", rawGet(t, col, "exporters::logzio::logs::token"), "the token is a reference, never a value")
}

func checkSQSGateway(t *testing.T, w k8stest.Workload, col *k8stest.Collector) {
	t.Helper()
	assert.False(t, col.Conf.IsSet("receivers::cloudtrails3::storage"), "the queue is the state")
	assert.Nil(t, col.Get("extensions::file_storage"))
	assert.Empty(t, w.Claims)
	for _, v := range w.Pod.Spec.Volumes {
		assert.NotNil(t, v.ConfigMap, "sqs-gateway pods have no volume but the configuration (%s)", v.Name)
	}
}

// checkShardedStatefulSet: the pod ordinal becomes shard.index, shard.count is the replica count, each pod keeps its
// positions on its own claim, and the StatefulSet has its headless Service.
func checkShardedStatefulSet(t *testing.T, r *rendered, w k8stest.Workload, c corev1.Container, col *k8stest.Collector) {
	t.Helper()
	assert.Equal(t, "${env:SHARD_INDEX}", rawGet(t, col, "receivers::cloudtrails3::shard::index"))
	assert.Equal(t, "${env:SHARD_COUNT}", rawGet(t, col, "receivers::cloudtrails3::shard::count"))
	index := k8stest.FindEnv(c, "SHARD_INDEX")
	require.NotNil(t, index)
	require.NotNil(t, index.ValueFrom)
	require.NotNil(t, index.ValueFrom.FieldRef)
	assert.Equal(t, "metadata.labels['apps.kubernetes.io/pod-index']", index.ValueFrom.FieldRef.FieldPath)
	count := k8stest.FindEnv(c, "SHARD_COUNT")
	require.NotNil(t, count)
	assert.Equal(t, strconv.Itoa(int(w.Replicas)), count.Value, "SHARD_COUNT must equal the StatefulSet's replicas")
	assert.EqualValues(t, w.Replicas, col.Get("receivers::cloudtrails3::shard::count"))

	sts := r.StatefulSets[w.Name]
	svc, ok := r.Services[sts.Spec.ServiceName]
	require.True(t, ok, "the StatefulSet's serviceName %s", sts.Spec.ServiceName)
	assert.Equal(t, corev1.ClusterIPNone, svc.Spec.ClusterIP, "a headless Service")

	assert.Equal(t, "file_storage", col.Get("receivers::cloudtrails3::storage"))
	checkStorageMount(t, w, c, col, true)
	require.Len(t, w.Claims, 1)
	size := w.Claims[0].Spec.Resources.Requests[corev1.ResourceStorage]
	assert.Equal(t, "2Gi", size.String())
	require.NotNil(t, w.Claims[0].Spec.StorageClassName)
	assert.Equal(t, "gp3", *w.Claims[0].Spec.StorageClassName)
}

// checkStorageMount: file_storage writes to a writable volume, never to the read-only root file system; perPod: a
// PersistentVolumeClaim of the StatefulSet's volumeClaimTemplates.
func checkStorageMount(t *testing.T, w k8stest.Workload, c corev1.Container, col *k8stest.Collector, perPod bool) {
	t.Helper()
	assert.Contains(t, col.Get("service::extensions"), "file_storage")
	dir, _ := col.Get("extensions::file_storage::directory").(string)
	require.NotEmpty(t, dir, "file_storage directory")
	mount, ok := k8stest.FindMount(c, dir)
	require.True(t, ok, "file_storage directory %s is not a mounted volume", dir)
	assert.False(t, mount.ReadOnly)
	claimed := slices.ContainsFunc(w.Claims, func(pvc corev1.PersistentVolumeClaim) bool { return pvc.Name == mount.Name })
	if perPod {
		assert.True(t, claimed, "file_storage must be on a per-pod PersistentVolumeClaim (volumeClaimTemplates)")
	} else {
		vol := k8stest.FindVolume(w.Pod.Spec, mount.Name)
		require.NotNil(t, vol, "volume %s", mount.Name)
		assert.True(t, vol.EmptyDir != nil || vol.Ephemeral != nil, "a volume of the pod's lifetime")
	}
}

// firehoseReceivers are the Firehose receivers by the name of their container port.
var firehoseReceivers = map[string]string{"firehose": "firehosemetrics", "firehose-logs": "firehoselogs"}

// checkFirehose: the receiver's port behind the Service and the TLS Ingress, and the exporter's queue persistent only
// with a storage volume (otherwise in memory with wait_for_result, so Firehose gets 200 only after delivery); with
// firehoseLogs, the CloudWatch Logs receiver beside it (checkFirehoseLogs).
func checkFirehose(t *testing.T, r *rendered, w k8stest.Workload, c corev1.Container, col *k8stest.Collector, tc modeCase) {
	t.Helper()
	endpoint, _ := col.Get("receivers::firehosemetrics::endpoint").(string)
	assert.Equal(t, k8stest.PortOf(t, endpoint), k8stest.ContainerPort(t, c, intstr.FromString("firehose")))
	checkAccessKeys(t, c, col, "firehosemetrics", "FIREHOSE_")
	assert.Equal(t, "${env:LOGZIO_METRICS_TOKEN}", rawGet(t, col, "exporters::logzio::metrics::token"))
	assert.Equal(t, []any{"memory_limiter"}, col.Get("service::pipelines::metrics::processors"))
	assert.Equal(t, []any{"logzio"}, col.Get("service::pipelines::metrics::exporters"))
	assert.Nil(t, col.Get("service::pipelines::logs"))

	firehoseService := serviceOf(t, r, "firehose")
	require.NotNil(t, firehoseService, "a Service in front of the receiver")

	q := "exporters::logzio::sending_queue::"
	if tc.persistent {
		assert.Equal(t, "file_storage", col.Get(q+"storage"))
		checkStorageMount(t, w, c, col, false)
	} else {
		assert.Nil(t, col.Get(q+"storage"))
		assert.Equal(t, true, col.Get(q+"wait_for_result"), "Firehose must get 200 only once Logz.io accepted the data")
		if !tc.firehoseLogs {
			assert.Nil(t, col.Get("extensions::file_storage"))
			assert.Nil(t, k8stest.FindVolume(w.Pod.Spec, "storage"), "no storage volume")
		}
	}

	if tc.firehoseLogs {
		checkFirehoseLogs(t, r, w, c, col)
	} else {
		assert.Nil(t, col.Get("receivers::firehoselogs"))
		assert.Nil(t, col.Get("exporters::logzio/cloudwatch"))
		assert.Nil(t, col.Get("service::pipelines::logs/cloudwatch"))
		assert.Nil(t, serviceOf(t, r, "firehose-logs"))
		assert.False(t, slices.ContainsFunc(c.Ports, func(p corev1.ContainerPort) bool { return p.Name == "firehose-logs" }))
	}

	require.Len(t, r.Ingresses, boolToInt(tc.ingress)+boolToInt(tc.logsIngress), "Ingress")
	served := map[string]bool{}
	for _, ing := range r.Ingresses {
		require.NotEmpty(t, ing.Spec.TLS, "Firehose delivers only to HTTPS endpoints")
		for _, rule := range ing.Spec.Rules {
			assert.Contains(t, ing.Spec.TLS[0].Hosts, rule.Host)
			assert.NotEmpty(t, ing.Spec.TLS[0].SecretName)
			for _, p := range rule.HTTP.Paths {
				svc, ok := r.Services[p.Backend.Service.Name]
				require.True(t, ok, "Ingress backend Service %s", p.Backend.Service.Name)
				i := slices.IndexFunc(svc.Spec.Ports, func(sp corev1.ServicePort) bool { return sp.Name == p.Backend.Service.Port.Name })
				require.GreaterOrEqual(t, i, 0, "Service %s has no port %s", svc.Name, p.Backend.Service.Port.Name)
				target := svc.Spec.Ports[i].TargetPort.String()
				receiver, ok := firehoseReceivers[target]
				require.True(t, ok, "Ingress %s leads to port %s of the pods, which is no Firehose receiver's", ing.Name, target)
				assert.Equal(t, col.Get("receivers::"+receiver+"::path"), p.Path, "Ingress %s path vs the %s receiver's path", ing.Name, receiver)
				assert.False(t, served[receiver], "one Ingress per receiver")
				served[receiver] = true
			}
		}
	}
	assert.Equal(t, tc.ingress, served["firehosemetrics"], "an Ingress in front of firehosemetrics")
	assert.Equal(t, tc.logsIngress, served["firehoselogs"], "an Ingress in front of firehoselogs")
}

// checkFirehoseLogs: the CloudWatch Logs receiver listens on its own container port behind a Service of its own; its
// access keys come from a Secret through the environment; its pipeline logs/cloudwatch goes through memory_limiter to
// its own exporter, whose queue is persistent on the file_storage volume (Firehose cannot send again what was answered
// 200), whatever storage.enabled says about the metrics exporter's.
func checkFirehoseLogs(t *testing.T, r *rendered, w k8stest.Workload, c corev1.Container, col *k8stest.Collector) {
	t.Helper()
	endpoint, _ := col.Get("receivers::firehoselogs::endpoint").(string)
	port := k8stest.ContainerPort(t, c, intstr.FromString("firehose-logs"))
	assert.Equal(t, k8stest.PortOf(t, endpoint), port)
	assert.NotEqual(t, k8stest.ContainerPort(t, c, intstr.FromString("firehose")), port, "a port of its own")
	checkAccessKeys(t, c, col, "firehoselogs", "FIREHOSE_LOGS_")

	svc := serviceOf(t, r, "firehose-logs")
	require.NotNil(t, svc, "a Service in front of firehoselogs")
	assert.NotEqual(t, serviceOf(t, r, "firehose").Name, svc.Name, "a Service of its own (one load balancer per stream)")
	require.Len(t, svc.Spec.Ports, 1)

	p := "service::pipelines::logs/cloudwatch::"
	assert.Equal(t, []any{"firehoselogs"}, col.Get(p+"receivers"))
	assert.Equal(t, []any{"memory_limiter"}, col.Get(p+"processors"))
	assert.Equal(t, []any{"logzio/cloudwatch"}, col.Get(p+"exporters"))
	assert.Equal(t, []any{"firehosemetrics"}, col.Get("service::pipelines::metrics::receivers"), "the metrics pipeline is unchanged")

	e := "exporters::logzio/cloudwatch::"
	assert.Equal(t, "${env:LOGZIO_LOGS_TOKEN}", rawGet(t, col, e+"logs::token"), "the token is a reference, never a value")
	assert.Nil(t, col.Get(e+"metrics"))
	assert.Equal(t, true, col.Get(e+"sending_queue::enabled"))
	assert.Equal(t, "file_storage", col.Get(e+"sending_queue::storage"), "Firehose cannot send again what was answered 200")
	assert.Nil(t, col.Get(e+"sending_queue::wait_for_result"))
	assert.EqualValues(t, 2000, col.Get(e+"sending_queue::batch::max_size"))
	checkStorageMount(t, w, c, col, false)
}

// checkAccessKeys: every access key of a Firehose receiver is nothing but an ${env:NAME} reference (NAME starting
// with prefix and ending in ACCESS_KEY) to a variable the container takes from a Secret, never a value.
func checkAccessKeys(t *testing.T, c corev1.Container, col *k8stest.Collector, receiver, prefix string) {
	t.Helper()
	keys := rawList(t, col, "receivers::"+receiver+"::access_keys")
	require.NotEmpty(t, keys)
	for _, key := range keys {
		m := envReference.FindStringSubmatch(key)
		if !assert.NotNil(t, m, "%s access key %q: an ${env:...} reference, never a value", receiver, key) {
			continue
		}
		assert.Regexp(t, `^`+prefix+`[A-Z_]*ACCESS_KEY$`, m[1])
		e := k8stest.FindEnv(c, m[1])
		if assert.NotNil(t, e, "%s references %s, which the container does not set", receiver, m[1]) {
			assert.True(t, e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil, "env %s must come from a secretKeyRef", m[1])
		}
	}
}

// serviceOf is the one Service whose port leads to the pods' container port named target, nil without one.
func serviceOf(t *testing.T, r *rendered, target string) *corev1.Service {
	t.Helper()
	var found *corev1.Service
	for _, s := range r.Services {
		for _, p := range s.Spec.Ports {
			if p.TargetPort == intstr.FromString(target) {
				require.Nil(t, found, "one Service leads to port %s", target)
				found = s
			}
		}
	}
	return found
}
