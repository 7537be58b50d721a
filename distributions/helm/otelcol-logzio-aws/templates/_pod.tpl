{{/*
The pod template shared by the Deployment (sqs-gateway, firehose) and the StatefulSet (sharded-polling).
*/}}
{{- define "otelcol-logzio-aws.podTemplate" -}}
{{- $mode := .Values.mode -}}
metadata:
  labels:
    {{- include "otelcol-logzio-aws.labels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    # A configuration change rolls the pods.
    checksum/config: {{ include "otelcol-logzio-aws.configYaml" . | sha256sum }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "otelcol-logzio-aws.serviceAccountName" . }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if eq $mode "sqs-gateway" }}
  # Shutdown makes the messages being read visible again at once; give it time to do so.
  {{- end }}
  terminationGracePeriodSeconds: {{ include "otelcol-logzio-aws.terminationGracePeriodSeconds" . }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  containers:
    - name: otelcol
      image: {{ include "otelcol-logzio-aws.image" . }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      command: ["/usr/bin/otelcol-logzio-aws"]
      args:
        - --config={{ include "otelcol-logzio-aws.configDir" . }}/config.yaml
        # health_check follows component status (its http/component_health settings need this gate).
        - --feature-gates=extension.healthcheck.useComponentStatus
      env:
        {{- if eq $mode "firehose" }}
        - name: LOGZIO_METRICS_TOKEN
          valueFrom:
            secretKeyRef:
              name: {{ required "logzio.existingSecret.name is required: the Secret holding the Logz.io tokens" .Values.logzio.existingSecret.name }}
              key: {{ required "logzio.existingSecret.metricsTokenKey is required in firehose mode" .Values.logzio.existingSecret.metricsTokenKey }}
        - name: FIREHOSE_ACCESS_KEY
          valueFrom:
            secretKeyRef:
              name: {{ required "firehose.accessKey.existingSecret is required: the Secret holding the Firehose access key" .Values.firehose.accessKey.existingSecret }}
              key: {{ required "firehose.accessKey.key is required" .Values.firehose.accessKey.key }}
        {{- with .Values.firehose.accessKey.previousKey }}
        - name: FIREHOSE_PREVIOUS_ACCESS_KEY
          valueFrom:
            secretKeyRef:
              name: {{ $.Values.firehose.accessKey.existingSecret }}
              key: {{ . }}
        {{- end }}
        {{- if include "otelcol-logzio-aws.firehoseLogs" . }}
        # The logzio/cloudwatch exporter's token, and the access keys of the CloudWatch Logs stream (firehoselogs).
        - name: LOGZIO_LOGS_TOKEN
          valueFrom:
            secretKeyRef:
              name: {{ .Values.logzio.existingSecret.name }}
              key: {{ required "logzio.existingSecret.logsTokenKey is required with firehoseLogs.enabled" .Values.logzio.existingSecret.logsTokenKey }}
        - name: FIREHOSE_LOGS_ACCESS_KEY
          valueFrom:
            secretKeyRef:
              name: {{ required "firehoseLogs.accessKey.existingSecret is required with firehoseLogs.enabled: the Secret holding the access key of the CloudWatch Logs stream" .Values.firehoseLogs.accessKey.existingSecret }}
              key: {{ required "firehoseLogs.accessKey.key is required" .Values.firehoseLogs.accessKey.key }}
        {{- with .Values.firehoseLogs.accessKey.previousKey }}
        - name: FIREHOSE_LOGS_PREVIOUS_ACCESS_KEY
          valueFrom:
            secretKeyRef:
              name: {{ $.Values.firehoseLogs.accessKey.existingSecret }}
              key: {{ . }}
        {{- end }}
        {{- end }}
        {{- else }}
        - name: LOGZIO_LOGS_TOKEN
          valueFrom:
            secretKeyRef:
              name: {{ required "logzio.existingSecret.name is required: the Secret holding the Logz.io tokens" .Values.logzio.existingSecret.name }}
              key: {{ required "logzio.existingSecret.logsTokenKey is required" .Values.logzio.existingSecret.logsTokenKey }}
        {{- with .Values.cloudtrail.existingSecret.name }}
        # external_id of cloudtrail.roleArn.
        - name: CLOUDTRAIL_EXTERNAL_ID
          valueFrom:
            secretKeyRef:
              name: {{ . }}
              key: {{ required "cloudtrail.existingSecret.externalIdKey is required with cloudtrail.existingSecret.name" $.Values.cloudtrail.existingSecret.externalIdKey }}
        {{- end }}
        {{- if eq $mode "sqs-gateway" }}
        {{- with .Values.cloudtrail.sqs.existingSecret.name }}
        # external_id of cloudtrail.sqs.roleArn.
        - name: CLOUDTRAIL_SQS_EXTERNAL_ID
          valueFrom:
            secretKeyRef:
              name: {{ . }}
              key: {{ required "cloudtrail.sqs.existingSecret.externalIdKey is required with cloudtrail.sqs.existingSecret.name" $.Values.cloudtrail.sqs.existingSecret.externalIdKey }}
        {{- end }}
        {{- end }}
        {{- end }}
        {{- if eq $mode "sharded-polling" }}
        {{- if not .Values.cloudtrail.indexFromHostname }}
        # The pod's ordinal (0, 1, 2, ...) becomes shard.index (label set by Kubernetes 1.28+ on StatefulSet pods).
        - name: SHARD_INDEX
          valueFrom:
            fieldRef:
              fieldPath: metadata.labels['apps.kubernetes.io/pod-index']
        {{- end }}
        # shard.count: the StatefulSet's replicas.
        - name: SHARD_COUNT
          value: {{ include "otelcol-logzio-aws.replicas" . | quote }}
        {{- end }}
        - name: GOMEMLIMIT
          value: {{ include "otelcol-logzio-aws.goMemLimit" . | quote }}
        {{- with .Values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      ports:
        {{- if eq $mode "firehose" }}
        - name: firehose
          containerPort: {{ .Values.firehose.port }}
          protocol: TCP
        {{- if include "otelcol-logzio-aws.firehoseLogs" . }}
        - name: firehose-logs
          containerPort: {{ .Values.firehoseLogs.port }}
          protocol: TCP
        {{- end }}
        {{- end }}
        - name: health
          containerPort: {{ .Values.health.port }}
          protocol: TCP
        - name: liveness
          containerPort: {{ .Values.health.livenessPort }}
          protocol: TCP
        - name: metrics
          containerPort: {{ .Values.telemetry.port }}
          protocol: TCP
      # Component status (health_check): not ready while a component is failing.
      readinessProbe:
        httpGet:
          path: {{ .Values.health.path }}
          port: health
        {{- toYaml .Values.readinessProbe | nindent 8 }}
      # Process liveness (health_check/liveness): restarted only when the collector no longer answers.
      livenessProbe:
        httpGet:
          path: {{ .Values.health.path }}
          port: liveness
        {{- toYaml .Values.livenessProbe | nindent 8 }}
      resources:
        {{- include "otelcol-logzio-aws.resources" . | nindent 8 }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: config
          mountPath: {{ include "otelcol-logzio-aws.configDir" . }}
          readOnly: true
        {{- if include "otelcol-logzio-aws.storageEnabled" . }}
        - name: storage
          mountPath: {{ .Values.storage.directory }}
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ include "otelcol-logzio-aws.fullname" . }}
    {{- if and (eq $mode "firehose") (include "otelcol-logzio-aws.storageEnabled" .) }}
    {{- if eq .Values.storage.firehoseVolume "ephemeral" }}
    # A claim created and deleted with the pod: the queue survives container restarts, not the pod.
    - name: storage
      ephemeral:
        volumeClaimTemplate:
          spec:
            accessModes:
              {{- toYaml .Values.storage.accessModes | nindent 14 }}
            {{- with .Values.storage.storageClassName }}
            storageClassName: {{ . }}
            {{- end }}
            resources:
              requests:
                storage: {{ .Values.storage.size }}
    {{- else }}
    # Lives as long as the pod: the queue survives container restarts, not the pod.
    - name: storage
      emptyDir:
        sizeLimit: {{ .Values.storage.size }}
    {{- end }}
    {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
