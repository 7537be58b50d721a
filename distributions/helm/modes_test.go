// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package helm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/internal/k8stest"
)

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
	externalIDs    map[string]string // external_id keys of the configuration -> the variable each references
	serviceMonitor bool
	podMonitor     bool
	ingress        bool
	persistent     bool // firehose: the exporter's queue on a storage volume
	firehoseLogs   bool // firehose: the firehoselogs receiver, its exporter and pipeline
	logsIngress    bool // firehose: the firehoselogs receiver's Ingress
	check          func(t *testing.T, c *k8stest.Collector)
}

var cases = []modeCase{
	{
		name: "sqs-gateway", values: []string{"sqs-gateway.yaml"}, mode: "sqs-gateway", workloadKind: "Deployment",
		roleArn: "arn:aws:iam::111122223333:role/otelcol-cloudtrail-sqs", replicas: 3, memoryLimit: "512Mi",
		secrets:        map[string]secretRef{"LOGZIO_LOGS_TOKEN": {"logzio-tokens", "logs-token"}},
		serviceMonitor: true,
		check: func(t *testing.T, c *k8stest.Collector) {
			assert.Equal(t, "https://sqs.us-east-1.amazonaws.com/111122223333/cloudtrail-objects", c.Get("receivers::cloudtrails3::sqs::queue_url"))
			assert.Equal(t, "my-trail-bucket", c.Get("receivers::cloudtrails3::bucket"))
			assert.EqualValues(t, 5, c.Get("receivers::cloudtrails3::sqs::max_receive_count"))
		},
	},
	{
		name: "sqs-gateway-config-override", values: []string{"sqs-gateway.yaml"}, mode: "sqs-gateway", workloadKind: "Deployment",
		set:     []string{"--set-json", `config={"exporters":{"logzio":{"timeout":"45s"}},"service":{"telemetry":{"logs":{"level":"warn"}}}}`, "--set", "resources.limits.memory=1500M"},
		roleArn: "arn:aws:iam::111122223333:role/otelcol-cloudtrail-sqs", replicas: 3, memoryLimit: "1500M",
		secrets:        map[string]secretRef{"LOGZIO_LOGS_TOKEN": {"logzio-tokens", "logs-token"}},
		serviceMonitor: true,
		check: func(t *testing.T, c *k8stest.Collector) {
			assert.Equal(t, "45s", c.Get("exporters::logzio::timeout"), "config is merged over the generated configuration")
			assert.Equal(t, "warn", c.Get("service::telemetry::logs::level"))
			assert.Equal(t, true, c.Get("exporters::logzio::sending_queue::wait_for_result"), "generated settings beside the override stay")
		},
	},
	{
		name: "sqs-gateway-cross-account", values: []string{"sqs-gateway-cross-account.yaml"}, mode: "sqs-gateway", workloadKind: "Deployment",
		roleArn: "arn:aws:iam::111122223333:role/otelcol-cloudtrail-sqs", replicas: 3, memoryLimit: "512Mi",
		secrets: map[string]secretRef{
			"LOGZIO_LOGS_TOKEN":          {"logzio-tokens", "logs-token"},
			"CLOUDTRAIL_EXTERNAL_ID":     {"cloudtrail-external-ids", "bucket-external-id"},
			"CLOUDTRAIL_SQS_EXTERNAL_ID": {"cloudtrail-external-ids", "queue-external-id"},
		},
		externalIDs: map[string]string{
			"receivers::cloudtrails3::external_id":      "CLOUDTRAIL_EXTERNAL_ID",
			"receivers::cloudtrails3::sqs::external_id": "CLOUDTRAIL_SQS_EXTERNAL_ID",
		},
		check: func(t *testing.T, c *k8stest.Collector) {
			assert.Equal(t, "arn:aws:iam::444455556666:role/cloudtrail-bucket-reader", c.Get("receivers::cloudtrails3::role_arn"))
			assert.Equal(t, "arn:aws:iam::777788889999:role/cloudtrail-queue-reader", c.Get("receivers::cloudtrails3::sqs::role_arn"))
		},
	},
	{
		name: "sharded-polling", values: []string{"sharded-polling.yaml"}, mode: "sharded-polling", workloadKind: "StatefulSet",
		roleArn: "arn:aws:iam::111122223333:role/otelcol-cloudtrail-poller", replicas: 4, memoryLimit: "1Gi",
		secrets: map[string]secretRef{
			"LOGZIO_LOGS_TOKEN":      {"shipping-tokens", "cloudtrail-token"},
			"CLOUDTRAIL_EXTERNAL_ID": {"archive-access", "archive-external-id"},
		},
		externalIDs: map[string]string{"receivers::cloudtrails3::external_id": "CLOUDTRAIL_EXTERNAL_ID"},
		podMonitor:  true,
		check: func(t *testing.T, c *k8stest.Collector) {
			assert.Equal(t, "org-log-archive", c.Get("receivers::cloudtrails3::bucket"))
			assert.Equal(t, "arn:aws:iam::444455556666:role/cloudtrail-archive-reader", c.Get("receivers::cloudtrails3::role_arn"))
			assert.Equal(t, "org-trail", c.Get("receivers::cloudtrails3::prefix"))
			assert.Equal(t, "eu", c.Get("exporters::logzio::region"))
			assert.NotNil(t, c.Get("receivers::cloudtrails3::event_selection::exclude"), "eventSelection is passed through")
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
		check: func(t *testing.T, c *k8stest.Collector) {
			assert.Equal(t, []any{"AWS/EC2", "AWS/Lambda"}, c.Get("receivers::firehosemetrics::namespaces"))
			assert.Len(t, c.Get("receivers::firehosemetrics::access_keys"), 2)
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
	{
		name: "firehose-logs", values: []string{"firehose-logs.yaml"}, mode: "firehose", workloadKind: "Deployment",
		roleArn: "arn:aws:iam::111122223333:role/otelcol-firehose", replicas: 2, memoryLimit: "1Gi",
		secrets: map[string]secretRef{
			"LOGZIO_METRICS_TOKEN":              {"logzio-tokens", "metrics-token"},
			"FIREHOSE_ACCESS_KEY":               {"firehose-access-key", "access-key"},
			"LOGZIO_LOGS_TOKEN":                 {"logzio-tokens", "logs-token"},
			"FIREHOSE_LOGS_ACCESS_KEY":          {"cloudwatch-logs-stream", "access-key"},
			"FIREHOSE_LOGS_PREVIOUS_ACCESS_KEY": {"cloudwatch-logs-stream", "previous-access-key"},
		},
		ingress: true, firehoseLogs: true, logsIngress: true,
		check: func(t *testing.T, c *k8stest.Collector) {
			r := "receivers::firehoselogs::"
			assert.Equal(t, "/", c.Get(r+"path"))
			assert.Len(t, c.Get(r+"access_keys"), 2)
			assert.Equal(t, true, c.Get(r+"cloudtrail::pass_through"), "passThrough defaults to true")
			assert.Equal(t, true, c.Get(r+"cloudtrail::semantic_attributes"))
			assert.EqualValues(t, 32700, c.Get(r+"cloudtrail::max_value_bytes"))
			assert.Equal(t, []any{map[string]any{"read_only": true}}, c.Get(r+"cloudtrail::event_selection::exclude"), "eventSelection is passed as written")
			assert.Equal(t, "cloudwatch-logs", c.Get("exporters::logzio/cloudwatch::logs::type"), "its own type by default")
			assert.Equal(t, c.Get("exporters::logzio::region"), c.Get("exporters::logzio/cloudwatch::region"))
		},
	},
	{
		name: "firehose-logs-storage", values: []string{"firehose-storage.yaml"}, mode: "firehose", workloadKind: "Deployment",
		set: []string{
			"--set", "firehoseLogs.enabled=true", "--set", "firehoseLogs.port=5000", "--set", "firehoseLogs.path=/cloudwatch-logs",
			"--set", "firehoseLogs.logzioType=cloudtrail", "--set", "firehoseLogs.cloudtrail.passThrough=false",
			"--set", "firehoseLogs.cloudtrail.maxValueBytes=0", "--set", "logzio.region=eu",
			"--set", "logzio.existingSecret.logsTokenKey=cloudtrail-token",
		},
		roleArn: "arn:aws:iam::111122223333:role/otelcol-firehose", replicas: 3, memoryLimit: "1Gi", goMemLimit: "700MiB",
		secrets: map[string]secretRef{
			"LOGZIO_METRICS_TOKEN":     {"logzio-tokens", "metrics-token"},
			"FIREHOSE_ACCESS_KEY":      {"firehose-access-key", "access-key"},
			"LOGZIO_LOGS_TOKEN":        {"logzio-tokens", "cloudtrail-token"},
			"FIREHOSE_LOGS_ACCESS_KEY": {"firehose-logs-access-key", "access-key"},
		},
		persistent: true, firehoseLogs: true,
		check: func(t *testing.T, c *k8stest.Collector) {
			r := "receivers::firehoselogs::"
			assert.Equal(t, "0.0.0.0:5000", c.Get(r+"endpoint"))
			assert.Equal(t, "/cloudwatch-logs", c.Get(r+"path"))
			assert.Len(t, c.Get(r+"access_keys"), 1)
			assert.Equal(t, false, c.Get(r+"cloudtrail::pass_through"))
			assert.Equal(t, false, c.Get(r+"cloudtrail::semantic_attributes"))
			assert.EqualValues(t, 0, c.Get(r+"cloudtrail::max_value_bytes"), "0 keeps strings whole")
			assert.Nil(t, c.Get(r+"cloudtrail::event_selection"))
			assert.Equal(t, "cloudtrail", c.Get("exporters::logzio/cloudwatch::logs::type"), "the only CloudTrail path: Logz.io's CloudTrail type")
			assert.Equal(t, "eu", c.Get("exporters::logzio/cloudwatch::region"))
		},
	},
}

func TestEveryModeRendersAConsistentRelease(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := helmTemplate(t, tc.values, tc.set...)
			require.NoError(t, err)
			r := decode(t, out)
			ws := r.Workloads()
			require.Len(t, ws, 1, "one workload per release")
			w := ws[0]
			require.Equal(t, tc.workloadKind, w.Kind)
			assert.Equal(t, tc.replicas, w.Replicas)
			assert.Equal(t, w.Selector.MatchLabels, k8stest.PickLabels(w.Pod.Labels, w.Selector.MatchLabels), "selector vs pod labels")
			assert.Equal(t, tc.mode, w.Pod.Labels["otelcol-logzio-aws/mode"])

			pod := w.Pod.Spec
			require.Len(t, pod.Containers, 1)
			c := pod.Containers[0]
			checkServiceAccount(t, r, pod, tc.roleArn)
			checkSecurity(t, pod, c)
			checkSecretsComeFromSecrets(t, c, tc.secrets)
			checkGoMemLimit(t, c, tc)

			assert.Contains(t, c.Args, featureGate, "health_check's v2 settings need the feature gate")
			col := loadCollector(t, r, w, c)
			checkExternalIDs(t, r, c, col, tc)
			checkHealth(t, c, col)
			checkTelemetry(t, r, w, c, col, tc)
			checkPDB(t, r, w)
			for _, s := range r.Services {
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
