{{/*
Names and labels.
*/}}
{{- define "otelcol-logzio-aws.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "otelcol-logzio-aws.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "otelcol-logzio-aws.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "otelcol-logzio-aws.selectorLabels" -}}
app.kubernetes.io/name: {{ include "otelcol-logzio-aws.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "otelcol-logzio-aws.labels" -}}
helm.sh/chart: {{ include "otelcol-logzio-aws.chart" . }}
{{ include "otelcol-logzio-aws.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: otelcol-logzio-aws
otelcol-logzio-aws/mode: {{ .Values.mode }}
{{- end }}

{{/*
The Service (and Ingress) of the firehoselogs receiver.
*/}}
{{- define "otelcol-logzio-aws.firehoseLogsName" -}}
{{- printf "%s-firehose-logs" (include "otelcol-logzio-aws.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "otelcol-logzio-aws.serviceAccountName" -}}
{{- default (include "otelcol-logzio-aws.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{- define "otelcol-logzio-aws.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
Where the collector finds its configuration: the ConfigMap (key config.yaml) is mounted at this directory.
*/}}
{{- define "otelcol-logzio-aws.configDir" -}}/etc/otelcol-logzio-aws{{- end }}

{{/*
Per-mode defaults, as decided by the plain manifests in distributions/kubernetes.
*/}}
{{- define "otelcol-logzio-aws.replicas" -}}
{{- if kindIs "invalid" .Values.replicaCount }}
{{- if eq .Values.mode "firehose" }}2{{ else }}3{{ end }}
{{- else }}
{{- .Values.replicaCount | int }}
{{- end }}
{{- end }}

{{- define "otelcol-logzio-aws.terminationGracePeriodSeconds" -}}
{{- if kindIs "invalid" .Values.terminationGracePeriodSeconds }}
{{- if eq .Values.mode "firehose" }}60{{ else }}30{{ end }}
{{- else }}
{{- .Values.terminationGracePeriodSeconds | int }}
{{- end }}
{{- end }}

{{- define "otelcol-logzio-aws.memoryLimit" -}}
{{- $limits := .Values.resources.limits | default dict }}
{{- $memory := get $limits "memory" }}
{{- if or (kindIs "float64" $memory) (kindIs "int64" $memory) (kindIs "int" $memory) }}
{{- /* A number of bytes: YAML values files give float64, which toString would print as 5.36870912e+08. */}}
{{- $memory | int64 | toString }}
{{- else if $memory }}
{{- $memory | toString }}
{{- else if eq .Values.mode "firehose" }}1Gi
{{- else }}512Mi
{{- end }}
{{- end }}

{{/*
resources with limits.memory filled in.
*/}}
{{- define "otelcol-logzio-aws.resources" -}}
{{- $res := deepCopy (.Values.resources | default dict) }}
{{- $limits := deepCopy (get $res "limits" | default dict) }}
{{- $_ := set $limits "memory" (include "otelcol-logzio-aws.memoryLimit" .) }}
{{- $_ := set $res "limits" $limits }}
{{- toYaml $res }}
{{- end }}

{{/*
A Kubernetes memory quantity (512Mi, 1Gi, 1.5G, 536870912) in bytes, as a float.
*/}}
{{- define "otelcol-logzio-aws.quantityBytes" -}}
{{- $q := toString . }}
{{- if not (regexMatch "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$" $q) }}
{{- fail (printf "resources.limits.memory %q: expected a memory quantity such as 512Mi or 1Gi (or set goMemLimit)" $q) }}
{{- end }}
{{- $number := regexReplaceAll "^([0-9.]+).*$" $q "${1}" }}
{{- $unit := regexReplaceAll "^[0-9.]+" $q "" }}
{{- $factors := dict "" 1.0 "k" 1e3 "M" 1e6 "G" 1e9 "T" 1e12 "P" 1e15 "E" 1e18 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "Pi" 1125899906842624.0 "Ei" 1152921504606846976.0 }}
{{- mulf (float64 $number) (get $factors $unit) }}
{{- end }}

{{/*
GOMEMLIMIT: goMemLimit, or 80 % of the memory limit in whole MiB. The Go runtime then collects garbage harder as the heap
nears that mark, leaving a fifth of the limit for what the runtime does not count (stacks, fragmentation) before the
kernel's OOM killer would act.
*/}}
{{- define "otelcol-logzio-aws.goMemLimit" -}}
{{- if .Values.goMemLimit }}
{{- .Values.goMemLimit | toString }}
{{- else }}
{{- $bytes := include "otelcol-logzio-aws.quantityBytes" (include "otelcol-logzio-aws.memoryLimit" .) | float64 }}
{{- $mib := divf (mulf $bytes 0.8) 1048576.0 | floor | int64 }}
{{- if lt $mib 1 }}
{{- fail (printf "resources.limits.memory %s is too small for a collector" (include "otelcol-logzio-aws.memoryLimit" .)) }}
{{- end }}
{{- printf "%dMiB" $mib }}
{{- end }}
{{- end }}

{{/*
Checks across values that the schema cannot express; rendered (empty) by every workload template.
*/}}
{{- define "otelcol-logzio-aws.validate" -}}
{{- if not (has .Values.mode (list "sqs-gateway" "sharded-polling" "firehose")) }}
{{- fail (printf "mode %q: expected sqs-gateway, sharded-polling or firehose" .Values.mode) }}
{{- end }}
{{- if and (eq .Values.mode "sqs-gateway") .Values.storage.enabled }}
{{- fail "storage.enabled: sqs-gateway mode keeps no state (the SQS queue is the state); set it to false" }}
{{- end }}
{{- if and .Values.serviceMonitor.enabled .Values.podMonitor.enabled }}
{{- fail "serviceMonitor.enabled and podMonitor.enabled: enable one of them (both would scrape every pod twice)" }}
{{- end }}
{{- if and (ne .Values.mode "firehose") .Values.firehoseLogs.enabled }}
{{- fail "firehoseLogs.enabled: only for firehose mode (install the chart a second time with mode=firehose)" }}
{{- end }}
{{- if include "otelcol-logzio-aws.firehoseLogs" . }}
{{- $fl := .Values.firehoseLogs }}
{{- range $name, $port := dict "firehose.port" .Values.firehose.port "health.port" .Values.health.port "health.livenessPort" .Values.health.livenessPort "telemetry.port" .Values.telemetry.port }}
{{- if eq (int $port) (int $fl.port) }}
{{- fail (printf "firehoseLogs.port %d: %s listens there already; give firehoselogs a port of its own" (int $fl.port) $name) }}
{{- end }}
{{- end }}
{{- if and $fl.ingress.enabled $.Values.firehose.ingress.enabled (eq $fl.ingress.host $.Values.firehose.ingress.host) (eq $fl.path $.Values.firehose.path) }}
{{- fail (printf "firehoseLogs.ingress.host %q and path %q are the metric stream's (firehose.ingress): give the CloudWatch Logs stream another host or path (firehoseLogs.path)" $fl.ingress.host $fl.path) }}
{{- end }}
{{- end }}
{{- if and (ne .Values.mode "sharded-polling") .Values.cloudtrail.indexFromHostname }}
{{- fail "cloudtrail.indexFromHostname: only for sharded-polling mode" }}
{{- end }}
{{- if and (ne .Values.mode "firehose") .Values.cloudtrail.existingSecret.name (not .Values.cloudtrail.roleArn) }}
{{- fail "cloudtrail.existingSecret.name: an external ID is only used with cloudtrail.roleArn; set the role or remove the Secret's name" }}
{{- end }}
{{- if and (eq .Values.mode "sqs-gateway") .Values.cloudtrail.sqs.existingSecret.name (not .Values.cloudtrail.sqs.roleArn) }}
{{- fail "cloudtrail.sqs.existingSecret.name: an external ID is only used with cloudtrail.sqs.roleArn; set the role or remove the Secret's name" }}
{{- end }}
{{- end }}

{{/*
Does this release mount a file_storage volume? sharded-polling always (positions); firehose with storage.enabled
(the metrics exporter's persistent queue) or firehoseLogs.enabled (the logzio/cloudwatch exporter's queue, always
persistent).
*/}}
{{- define "otelcol-logzio-aws.storageEnabled" -}}
{{- if or (eq .Values.mode "sharded-polling") (and (eq .Values.mode "firehose") (or .Values.storage.enabled .Values.firehoseLogs.enabled)) }}true{{ end }}
{{- end }}

{{/*
Does this release run the firehoselogs receiver?
*/}}
{{- define "otelcol-logzio-aws.firehoseLogs" -}}
{{- if and (eq .Values.mode "firehose") .Values.firehoseLogs.enabled }}true{{ end }}
{{- end }}
