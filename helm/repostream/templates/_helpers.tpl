{{/* Chart name, overridable. */}}
{{- define "repostream.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-scoped base name of every resource. */}}
{{- define "repostream.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "repostream.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "repostream.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels on every resource. Call with (dict "ctx" . "component" "bridge"). */}}
{{- define "repostream.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: repostream
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
{{ include "repostream.selectorLabels" . }}
{{- end -}}

{{/* Labels that select one component's pods. */}}
{{- define "repostream.selectorLabels" -}}
app.kubernetes.io/name: {{ include "repostream.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Image reference. Call with (dict "ctx" . "image" .Values.bridge.image). */}}
{{- define "repostream.image" -}}
{{- $tag := .image.tag | default .ctx.Values.image.tag | default .ctx.Chart.AppVersion -}}
{{- if .ctx.Values.image.registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" .ctx.Values.image.registry) .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* Names of the Secrets the chart reads (never creates). */}}
{{- define "repostream.githubSecret" -}}
{{- .Values.github.existingSecret | default (printf "%s-github" (include "repostream.fullname" .)) -}}
{{- end -}}
{{- define "repostream.webhookSecret" -}}
{{- .Values.bridge.webhook.existingSecret | default (printf "%s-webhook" (include "repostream.fullname" .)) -}}
{{- end -}}
{{- define "repostream.adminSecret" -}}
{{- .Values.executor.admin.existingSecret | default (printf "%s-executor-admin" (include "repostream.fullname" .)) -}}
{{- end -}}

{{- define "repostream.flinkServiceAccount" -}}
{{- if .Values.flink.serviceAccount.create -}}
{{- .Values.flink.serviceAccount.name | default (printf "%s-flink" (include "repostream.fullname" .)) -}}
{{- else -}}
{{- .Values.flink.serviceAccount.name | default "flink" -}}
{{- end -}}
{{- end -}}

{{/* The bridge's YAML configuration file (BridgeConfigLoader's format): no secrets in it. */}}
{{- define "repostream.bridgeConfig" -}}
{{- $config := deepCopy .Values.bridge.config -}}
{{- if .Values.kafka.clientProperties -}}
{{- $kafka := get $config "kafka" | default dict -}}
{{- $_ := set $kafka "properties" .Values.kafka.clientProperties -}}
{{- $_ := set $config "kafka" $kafka -}}
{{- end -}}
{{- if include "repostream.bridgePolls" . -}}
{{- $poll := dict
  "api_url" .Values.github.apiUrl
  "repos" .Values.bridge.poll.repos
  "interval" .Values.bridge.poll.interval
  "state_file" "/var/lib/repostream/poll/state.json"
  "hooks" .Values.bridge.poll.hooks -}}
{{- if eq .Values.github.auth "app" -}}
{{- $_ := set $poll "app" (dict
  "app_id" (int64 .Values.github.app.id)
  "installation_id" (int64 .Values.github.app.installationId)
  "private_key_file" (include "repostream.githubCredentialFile" .)) -}}
{{- else -}}
{{- $_ := set $poll "token_file" (include "repostream.githubCredentialFile" .) -}}
{{- end -}}
{{- $_ := set $config "poll" $poll -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}

{{/* Non-empty when the bridge polls GitHub (and so needs the GitHub token). */}}
{{- define "repostream.bridgePolls" -}}
{{- if or .Values.bridge.poll.repos .Values.bridge.poll.hooks -}}true{{- end -}}
{{- end -}}

{{/* Where the GitHub credential (token or App private key) is mounted, and from which key. */}}
{{- define "repostream.githubCredentialKey" -}}
{{- if eq .Values.github.auth "app" -}}{{ .Values.github.app.privateKeyKey }}{{- else -}}{{ .Values.github.tokenKey }}{{- end -}}
{{- end -}}
{{- define "repostream.githubCredentialFile" -}}
{{- if eq .Values.github.auth "app" -}}/etc/repostream/github/private-key.pem{{- else -}}/etc/repostream/github/token{{- end -}}
{{- end -}}

{{/* The volume with the GitHub credential, as a file. */}}
{{- define "repostream.githubCredentialVolume" -}}
- name: github-credential
  secret:
    secretName: {{ include "repostream.githubSecret" . }}
    defaultMode: 0400
    items:
      - key: {{ include "repostream.githubCredentialKey" . }}
        path: {{ base (include "repostream.githubCredentialFile" .) }}
{{- end -}}

{{/*
Kafka credentials for a secured cluster: an existing Secret holding a Kafka client.properties
(security.protocol, sasl.*, ssl.*) and any trust/key stores it names, mounted read-only at
/etc/repostream/kafka/ in every component; REPOSTREAM_KAFKA_PROPERTIES_FILE points at the file.
*/}}
{{- define "repostream.kafkaCredentialsDir" -}}/etc/repostream/kafka{{- end -}}

{{- define "repostream.kafkaCredentialEnv" -}}
{{- if .Values.kafka.credentials.existingSecret -}}
- name: REPOSTREAM_KAFKA_PROPERTIES_FILE
  value: {{ printf "%s/%s" (include "repostream.kafkaCredentialsDir" .) .Values.kafka.credentials.propertiesKey | quote }}
{{- end -}}
{{- end -}}

{{- define "repostream.kafkaCredentialMount" -}}
{{- if .Values.kafka.credentials.existingSecret -}}
- name: kafka-credentials
  mountPath: {{ include "repostream.kafkaCredentialsDir" . }}
  readOnly: true
{{- end -}}
{{- end -}}

{{- define "repostream.kafkaCredentialVolume" -}}
{{- if .Values.kafka.credentials.existingSecret -}}
- name: kafka-credentials
  secret:
    secretName: {{ .Values.kafka.credentials.existingSecret }}
    defaultMode: 0440
{{- end -}}
{{- end -}}

{{/*
Slack and PagerDuty secrets of the executor: one existing Secret, its keys mounted read-only as
files in this directory; the executor's settings file (executor-configmap.yaml) names them.
*/}}
{{- define "repostream.notificationsDir" -}}/etc/repostream/notifications{{- end -}}

{{/* The executor's settings file: where notifications go and the files of their secrets. */}}
{{- define "repostream.executorConfig" -}}
{{- $n := .Values.executor.notifications -}}
{{- $dir := include "repostream.notificationsDir" . -}}
notifications:
  slack_api_url: {{ $n.slackApiUrl | quote }}
  pagerduty_events_url: {{ $n.pagerdutyEventsUrl | quote }}
  {{- with $n.slackTokenKey }}
  slack_token_file: {{ printf "%s/%s" $dir . | quote }}
  {{- end }}
  {{- with $n.pagerdutyRoutingKeys }}
  pagerduty_routing_key_files:
    {{- range $name, $key := . }}
    {{ $name | quote }}: {{ printf "%s/%s" $dir $key | quote }}
    {{- end }}
  {{- end }}
{{- end -}}
