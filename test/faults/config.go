// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package faults // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"

import (
	"bytes"
	"strings"
	"text/template"
	"time"
)

// PipelineConfig is what varies between the scenarios' collector configurations.
type PipelineConfig struct {
	Ports      CollectorPorts
	StorageDir string
	Secrets    Secrets
	// KeepDamagedStorage renders file_storage with recreate: false (the scenarios use recreate: true, as the shipped
	// config does): a damaged file must then stop the start with an error that names it.
	KeepDamagedStorage bool

	// S3 side: the endpoint (moto, or the fault proxy in front of it), its region (us-east-1 when empty), the bucket
	// and where reading starts, in polling mode.
	S3Endpoint string
	Region     string
	Bucket     string
	StartTime  time.Time
	Workers    int
	// MaxObjectsInFlight: objects read or waiting for the listener's answer (2 × Workers when 0, as the shipped
	// config's 64 workers and 128 in flight).
	MaxObjectsInFlight int
	// ShardIndex of ShardCount replicas polling the bucket (ShardCount 0: no sharding).
	ShardIndex int
	ShardCount int
	// QueueURL, when set, switches the receiver to SQS notification mode on that queue, reached at SQSEndpoint (S3Endpoint
	// when empty): no bucket, start time or position.
	QueueURL    string
	SQSEndpoint string
	// EventSelection, when set, is the YAML of the receiver's event_selection (block or flow style, e.g.
	// `exclude: [{read_only: true}]`), rendered under cloudtrails3.
	EventSelection string

	// FilterReadOnly adds a filter processor to the logs pipeline that drops the records whose readOnly is true
	// (OTTL condition body["readOnly"] == true: the CloudTrail record is the log body).
	FilterReadOnly bool

	// Logz.io side: the sink URL and the exporter's retry intervals. The sending queue is the shipped config's: in
	// memory, each batch's result awaited by the receiver (wait_for_result), so that an object counts as read only
	// after the listener accepted its records. PersistentQueue switches to a queue in file_storage instead (for
	// sources that cannot replay, as the Firehose metrics pipeline uses it), which acknowledges on enqueue.
	PersistentQueue  bool
	SinkURL          string
	RetryInitial     time.Duration
	RetryMax         time.Duration
	NumConsumers     int
	BatchMaxRecords  int
	LogLevel         string
	FirehoseEndpoint string // when set, a metrics pipeline firehosemetrics → logzio is added
	MetricsSinkURL   string
}

// Defaults fills what a scenario left empty.
func (p PipelineConfig) withDefaults() PipelineConfig {
	if p.Workers == 0 {
		p.Workers = 4
	}
	if p.MaxObjectsInFlight == 0 {
		p.MaxObjectsInFlight = 2 * p.Workers
	}
	if p.RetryInitial == 0 {
		p.RetryInitial = time.Second
	}
	if p.RetryMax == 0 {
		p.RetryMax = 5 * time.Second
	}
	if p.NumConsumers == 0 {
		p.NumConsumers = 4
	}
	if p.BatchMaxRecords == 0 {
		p.BatchMaxRecords = 1000
	}
	if p.LogLevel == "" {
		p.LogLevel = "debug"
	}
	if p.Region == "" {
		p.Region = "us-east-1"
	}
	if p.SQSEndpoint == "" {
		p.SQSEndpoint = p.S3Endpoint
	}
	return p
}

// configTemplate is close to the distribution's default configuration (memory_limiter, persistent position in
// file_storage, a sending queue whose result the receiver awaits), without the batch processor: a batch processor
// acknowledges data to the receiver before it is sent, so a kill -9 would lose what it holds. Batching is done by the
// exporter's queue, which answers each caller only after its records were sent (or, persistent, after they are on disk).
var configTemplate = template.Must(template.New("config").Funcs(template.FuncMap{"indent": indent}).Parse(`
extensions:
  health_check:
    endpoint: 127.0.0.1:{{.Ports.Health}}
  file_storage:
    directory: {{.StorageDir}}
    create_directory: true
    recreate: {{not .KeepDamagedStorage}}
    timeout: 10s

receivers:
{{- if or .Bucket .QueueURL}}
  cloudtrails3:
    endpoint: {{.S3Endpoint}}
    region: {{.Region}}
    force_path_style: true
    access_key_id: {{.Secrets.AWSAccessKey}}
    secret_access_key: {{.Secrets.AWSSecretKey}}
    workers: {{.Workers}}
    max_objects_in_flight: {{.MaxObjectsInFlight}}
    # As shipped: records go to the exporter as their JSON text, except where a processor reads body fields.
    pass_through: {{not .FilterReadOnly}}
{{- if .EventSelection}}
    event_selection:
{{indent 6 .EventSelection}}
{{- end}}
{{- if .QueueURL}}
    sqs:
      queue_url: {{.QueueURL}}
      endpoint: {{.SQSEndpoint}}
      wait_time: 2s
      visibility_timeout: 30s
{{- else}}
    bucket: {{.Bucket}}
    start_time: {{.StartTime.UTC.Format "2006-01-02T15:04:05Z07:00"}}
    poll_interval: 1s
    discovery_interval: 5s
    storage: file_storage
{{- if .ShardCount}}
    shard:
      index: {{.ShardIndex}}
      count: {{.ShardCount}}
{{- end}}
{{- end}}
{{- end}}
{{- if .FirehoseEndpoint}}
  firehosemetrics:
    endpoint: {{.FirehoseEndpoint}}
    access_keys: [{{.Secrets.FirehoseKey}}, {{.Secrets.FirehoseKeyV2}}]
    max_request_body_size: 4194304
    read_header_timeout: 5s
    read_timeout: 10s
    write_timeout: 10s
{{- end}}

processors:
  memory_limiter:
    check_interval: 1s
    limit_mib: 1536
    spike_limit_mib: 384
{{- if .FilterReadOnly}}
  filter/readonly:
    logs:
      log_record:
        - 'body["readOnly"] == true'
{{- end}}

exporters:
  logzio:
    logs:
      token: {{.Secrets.LogsToken}}
      endpoint: {{.SinkURL}}
{{- if .MetricsSinkURL}}
    metrics:
      token: {{.Secrets.LogsToken}}
      endpoint: {{.MetricsSinkURL}}
{{- end}}
    timeout: 10s
    sending_queue:
{{- if .PersistentQueue}}
      storage: file_storage
{{- else}}
      wait_for_result: true
{{- end}}
      num_consumers: {{.NumConsumers}}
      queue_size: 1000
      batch:
        flush_timeout: 500ms
        sizer: items
        min_size: {{.BatchMaxRecords}}
        max_size: {{.BatchMaxRecords}}
    retry_on_failure:
      enabled: true
      initial_interval: {{.RetryInitial}}
      max_interval: {{.RetryMax}}
      max_elapsed_time: 30m

service:
  extensions: [health_check, file_storage]
  telemetry:
    logs:
      level: {{.LogLevel}}
    metrics:
      level: detailed
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: {{.Ports.Metrics}}
  pipelines:
{{- if or .Bucket .QueueURL}}
    logs:
      receivers: [cloudtrails3]
      processors: [memory_limiter{{if .FilterReadOnly}}, filter/readonly{{end}}]
      exporters: [logzio]
{{- end}}
{{- if .FirehoseEndpoint}}
    metrics:
      receivers: [firehosemetrics]
      processors: [memory_limiter]
      exporters: [logzio]
{{- end}}
`))

// indent prefixes every non-empty line of s with n spaces (for YAML nested in the template).
func indent(n int, s string) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

// Render returns the collector configuration YAML.
func (p PipelineConfig) Render() (string, error) {
	var buf bytes.Buffer
	err := configTemplate.Execute(&buf, p.withDefaults())
	return buf.String(), err
}
