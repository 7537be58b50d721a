{{/*
The collector configuration of the release's mode (config.yaml of the ConfigMap). Secrets are never written here:
they are ${env:...} references that the container fills from existing Secrets (secretKeyRef).
*/}}
{{- define "otelcol-logzio-aws.config" -}}
{{- $mode := .Values.mode -}}
{{- $storage := include "otelcol-logzio-aws.storageEnabled" . -}}
{{- $firehoseLogs := include "otelcol-logzio-aws.firehoseLogs" . -}}
extensions:
  # Follows component status (the container runs with --feature-gates=extension.healthcheck.useComponentStatus):
  # {{ .Values.health.path }} answers 503 while starting or stopping, and 500 after a permanent error or a recoverable
  # error that lasted longer than recovery_duration (access denied, a bucket or queue missing, Logz.io refusing). The
  # readiness probe calls it: such a pod is taken out of service and shows as not ready.
  health_check:
    http:
      endpoint: 0.0.0.0:{{ .Values.health.port }}
      status:
        enabled: true
        path: {{ .Values.health.path | toJson }}
    component_health:
      include_permanent_errors: true
      include_recoverable_errors: true
      recovery_duration: {{ .Values.health.recoveryDuration | toJson }}
  # The liveness probe's: the same status without component_health answers 200 through recoverable and permanent
  # errors and fails only when the process no longer answers (or on a fatal error). A restart cannot fix a missing
  # permission or an outage, so liveness must not follow them.
  health_check/liveness:
    http:
      endpoint: 0.0.0.0:{{ .Values.health.livenessPort }}
      status:
        enabled: true
        path: {{ .Values.health.path | toJson }}
{{- if $storage }}
  file_storage:
    directory: {{ .Values.storage.directory | toJson }}
    create_directory: true
    # Each database file is checked before it is opened; a damaged one is moved aside (<file>.<time>.backup, logged at
    # ERROR with its name) and started afresh instead of failing every start.
    recreate: true
{{- end }}
receivers:
{{- if eq $mode "firehose" }}
  firehosemetrics:
    endpoint: 0.0.0.0:{{ .Values.firehose.port }}
    path: {{ .Values.firehose.path | toJson }}
    access_keys:
      - ${env:FIREHOSE_ACCESS_KEY}
{{- if .Values.firehose.accessKey.previousKey }}
      - ${env:FIREHOSE_PREVIOUS_ACCESS_KEY}
{{- end }}
    naming: {{ .Values.firehose.naming | toJson }}
{{- with .Values.firehose.namespaces }}
    namespaces: {{ toJson . }}
{{- end }}
{{- with .Values.firehose.p8sLogzioName }}
    p8s_logzio_name: {{ toJson . }}
{{- end }}
    max_concurrent_requests: {{ .Values.firehose.maxConcurrentRequests }}
    consume_timeout: {{ .Values.firehose.consumeTimeout | toJson }}
{{- with .Values.firehose.resourceTags }}
    resource_tags:
      {{- toYaml . | nindent 6 }}
{{- end }}
{{- if $firehoseLogs }}
{{- $fl := .Values.firehoseLogs }}
  # CloudWatch Logs subscriptions through their own Firehose stream (a trail's log group: CloudTrail within seconds).
  firehoselogs:
    endpoint: 0.0.0.0:{{ $fl.port }}
    path: {{ $fl.path | toJson }}
    # From the Secret firehoseLogs.accessKey through the container's environment, never written here.
    access_keys:
      - ${env:FIREHOSE_LOGS_ACCESS_KEY}
{{- if $fl.accessKey.previousKey }}
      - ${env:FIREHOSE_LOGS_PREVIOUS_ACCESS_KEY}
{{- end }}
    max_concurrent_requests: {{ $fl.maxConcurrentRequests }}
    consume_timeout: {{ $fl.consumeTimeout | toJson }}
    # Messages that are CloudTrail records become the documents the S3 path ships for them.
    cloudtrail:
      pass_through: {{ $fl.cloudtrail.passThrough }}
      semantic_attributes: {{ $fl.cloudtrail.semanticAttributes }}
      max_value_bytes: {{ $fl.cloudtrail.maxValueBytes | int64 }}
{{- with $fl.cloudtrail.eventSelection }}
      event_selection:
        {{- toYaml . | nindent 8 }}
{{- end }}
{{- end }}
{{- else }}
{{- $ct := .Values.cloudtrail }}
  cloudtrails3:
{{- if eq $mode "sharded-polling" }}
    bucket: {{ required "cloudtrail.bucket is required in sharded-polling mode: the name of the bucket the trail delivers to" $ct.bucket | toJson }}
{{- else if $ct.bucket }}
    # Only notifications of this bucket are read.
    bucket: {{ $ct.bucket | toJson }}
{{- end }}
{{- with $ct.prefix }}
    prefix: {{ toJson . }}
{{- end }}
{{- with $ct.region }}
    region: {{ toJson . }}
{{- end }}
{{- with $ct.startTime }}
    start_time: {{ toJson . }}
{{- end }}
{{- with $ct.accounts }}
    accounts: {{ toJson . }}
{{- end }}
{{- with $ct.regions }}
    regions: {{ toJson . }}
{{- end }}
{{- if $ct.includeInsights }}
    include_insights: true
{{- end }}
{{- if $ct.includeObjectKey }}
    include_object_key: true
{{- end }}
{{- if $ct.semanticAttributes }}
    semantic_attributes: true
{{- end }}
{{- with $ct.roleArn }}
    role_arn: {{ toJson . }}
{{- end }}
{{- if $ct.existingSecret.name }}
    # From the Secret cloudtrail.existingSecret through the container's environment, never written here.
    external_id: ${env:CLOUDTRAIL_EXTERNAL_ID}
{{- end }}
    workers: {{ $ct.workers }}
    max_objects_in_flight: {{ $ct.maxObjectsInFlight }}
    max_batch_records: {{ $ct.maxBatchRecords }}
    # The records' JSON goes to Logz.io as the file holds it (same documents, a third less CPU); false when a processor
    # reads body fields (filter, transform on body["..."]).
    pass_through: {{ $ct.passThrough }}
{{- with $ct.eventSelection }}
    event_selection:
      {{- toYaml . | nindent 6 }}
{{- end }}
{{- if eq $mode "sharded-polling" }}
    poll_interval: {{ $ct.pollInterval | toJson }}
    # Positions per account/region, on this pod's own volume.
    storage: file_storage
    # Each pod polls the account/region folders of its shard: the index is the pod's ordinal, the count the
    # StatefulSet's replicas (both set by the chart; change replicaCount only, never one of them alone).
    shard:
{{- if $ct.indexFromHostname }}
      index_from_hostname: true
{{- else }}
      index: ${env:SHARD_INDEX}
{{- end }}
      count: ${env:SHARD_COUNT}
{{- else }}
    # The queue is the state: no storage extension, any number of replicas.
    sqs:
      queue_url: {{ required "cloudtrail.sqs.queueUrl is required in sqs-gateway mode: the URL of the SQS queue the bucket's notifications go to" $ct.sqs.queueUrl | toJson }}
      wait_time: {{ $ct.sqs.waitTime | toJson }}
      max_messages: {{ $ct.sqs.maxMessages }}
      visibility_timeout: {{ $ct.sqs.visibilityTimeout | toJson }}
      max_visibility_extension: {{ $ct.sqs.maxVisibilityExtension | toJson }}
{{- if $ct.sqs.maxReceiveCount }}
      # Messages received more often than this are left to the queue's redrive policy (dead-letter queue).
      max_receive_count: {{ $ct.sqs.maxReceiveCount }}
{{- end }}
{{- with $ct.sqs.roleArn }}
      role_arn: {{ toJson . }}
{{- end }}
{{- if $ct.sqs.existingSecret.name }}
      # From the Secret cloudtrail.sqs.existingSecret through the container's environment, never written here.
      external_id: ${env:CLOUDTRAIL_SQS_EXTERNAL_ID}
{{- end }}
{{- end }}
{{- end }}
processors:
  # First in every pipeline: refuses data (the receiver keeps it and retries) before the pod runs out of memory.
  memory_limiter:
    check_interval: 1s
    limit_percentage: 80
    spike_limit_percentage: 20
exporters:
  logzio:
    region: {{ .Values.logzio.region | toJson }}
{{- if eq $mode "firehose" }}
    metrics:
      token: ${env:LOGZIO_METRICS_TOKEN}
{{- with .Values.logzio.metrics.externalLabels }}
      external_labels:
        {{- toYaml . | nindent 8 }}
{{- end }}
    sending_queue:
      enabled: true
{{- if .Values.storage.enabled }}
      # Persistent queue on the pod's storage volume: Firehose is answered 200 once the data is on the volume.
      storage: file_storage
{{- else }}
      # In memory, and ConsumeMetrics returns only once Logz.io accepted the data: Firehose is answered 200 only after
      # delivery, and retries (then backs the batch up to S3) otherwise. Nothing is lost with a pod.
      wait_for_result: true
{{- end }}
{{- else }}
    logs:
      token: ${env:LOGZIO_LOGS_TOKEN}
      type: {{ .Values.logzio.logs.type | toJson }}
    # In-memory queue, and ConsumeLogs returns only once Logz.io accepted the records (wait_for_result). The bucket
    # (sharded-polling) or the SQS queue (sqs-gateway) already is a durable queue: an object is marked read, or its
    # message deleted, only after every batch of it was accepted, so a crash loses nothing and the data is not
    # written to disk a second time. A persistent queue would acknowledge as soon as the records are on the pod's
    # disk; an in-memory queue without wait_for_result would acknowledge before anything is safe.
    sending_queue:
      enabled: true
      wait_for_result: true
      num_consumers: 16
      # Batching inside the queue, not a batch processor: the batch processor answers ConsumeLogs at once, before the
      # export, which would mark objects read (delete messages) too early. Batches of the receiver's workers are merged
      # into requests of 2000 records; a lone batch waits at most flush_timeout.
      batch:
        flush_timeout: 200ms
        sizer: items
        min_size: 2000
        max_size: 2000
{{- end }}
{{- if $firehoseLogs }}
  # The firehoselogs pipeline's own exporter: its own Logz.io type, and a queue on the pod's storage volume, as
  # Firehose cannot send again what was answered 200 (what the volume holds survives a container restart).
  logzio/cloudwatch:
    region: {{ .Values.logzio.region | toJson }}
    logs:
      token: ${env:LOGZIO_LOGS_TOKEN}
      type: {{ .Values.firehoseLogs.logzioType | toJson }}
    sending_queue:
      enabled: true
      storage: file_storage
      batch:
        flush_timeout: 1s
        sizer: items
        min_size: 2000
        max_size: 2000
{{- end }}
service:
  extensions: [health_check, health_check/liveness{{ if $storage }}, file_storage{{ end }}]
  telemetry:
    logs:
      level: {{ .Values.telemetry.logLevel | toJson }}
    # Prometheus metrics of the collector on every interface (port `metrics` of the pod, scraped by the
    # ServiceMonitor or PodMonitor when enabled).
    metrics:
      level: {{ .Values.telemetry.metricsLevel | toJson }}
      readers:
        - pull:
            exporter:
              prometheus:
                host: 0.0.0.0
                port: {{ .Values.telemetry.port }}
  pipelines:
{{- if eq $mode "firehose" }}
    metrics:
      receivers: [firehosemetrics]
      processors: [memory_limiter]
      exporters: [logzio]
{{- if $firehoseLogs }}
    logs/cloudwatch:
      receivers: [firehoselogs]
      processors: [memory_limiter]
      exporters: [logzio/cloudwatch]
{{- end }}
{{- else }}
    logs:
      receivers: [cloudtrails3]
      processors: [memory_limiter]
      exporters: [logzio]
{{- end }}
{{- end }}

{{/*
The configuration as written to the ConfigMap: the generated one, or with .Values.config merged over it.
*/}}
{{- define "otelcol-logzio-aws.configYaml" -}}
{{- $generated := include "otelcol-logzio-aws.config" . }}
{{- if .Values.config }}
{{- $merged := mergeOverwrite (fromYaml $generated) (deepCopy .Values.config) }}
{{- toYaml $merged }}
{{- else }}
{{- $generated }}
{{- end }}
{{- end }}
