// Copyright The otelcol-logzio-aws Authors
// SPDX-License-Identifier: Apache-2.0

package scaleout // import "github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/scaleout"

import (
	"bytes"
	"text/template"
	"time"

	"github.com/otelcol-logzio-aws/otelcol-logzio-aws/test/faults"
)

// ReplicaConfig is one replica's collector configuration: the same for every replica of a deployment except the
// ports, the storage directory and, in sharded polling, the shard index.
type ReplicaConfig struct {
	Ports      faults.CollectorPorts
	StorageDir string
	Secrets    faults.Secrets

	// Endpoint and Region are moto_server's (S3 and SQS alike).
	Endpoint string
	Region   string
	// Bucket is polled when QueueURL is empty; in SQS mode objects come from the queue's notifications.
	Bucket    string
	QueueURL  string
	StartTime time.Time
	// ShardIndex of ShardCount, in polling mode (ShardCount 0: no sharding).
	ShardIndex int
	ShardCount int

	SinkURL string
}

// replicaTemplate is the distribution's default pipeline (memory_limiter, persistent sending queue with batching in
// the queue, receiver position in file_storage when polling) with short intervals for a test.
var replicaTemplate = template.Must(template.New("replica").Parse(`
extensions:
  health_check:
    endpoint: 127.0.0.1:{{.Ports.Health}}
  file_storage:
    directory: {{.StorageDir}}
    create_directory: true
    timeout: 10s

receivers:
  cloudtrails3:
    endpoint: {{.Endpoint}}
    region: {{.Region}}
    force_path_style: true
    access_key_id: {{.Secrets.AWSAccessKey}}
    secret_access_key: {{.Secrets.AWSSecretKey}}
    workers: 4
{{- if .QueueURL}}
    sqs:
      queue_url: {{.QueueURL}}
      endpoint: {{.Endpoint}}
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

processors:
  memory_limiter:
    check_interval: 1s
    limit_mib: 1024
    spike_limit_mib: 256

exporters:
  logzio:
    logs:
      token: {{.Secrets.LogsToken}}
      endpoint: {{.SinkURL}}
    timeout: 10s
    sending_queue:
      storage: file_storage
      num_consumers: 4
      queue_size: 1000
      batch:
        flush_timeout: 200ms
        sizer: items
        min_size: 1000
        max_size: 1000
    retry_on_failure:
      enabled: true
      initial_interval: 1s
      max_interval: 5s

service:
  extensions: [health_check, file_storage]
  telemetry:
    logs:
      level: info
    metrics:
      level: detailed
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: {{.Ports.Metrics}}
  pipelines:
    logs:
      receivers: [cloudtrails3]
      processors: [memory_limiter]
      exporters: [logzio]
`))

// Render returns the replica's collector configuration YAML.
func (c ReplicaConfig) Render() (string, error) {
	var buf bytes.Buffer
	err := replicaTemplate.Execute(&buf, c)
	return buf.String(), err
}
