{{/* Names and labels. */}}
{{- define "redline-pdp.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "redline-pdp.fullname" -}}
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

{{- define "redline-pdp.selectorLabels" -}}
app.kubernetes.io/name: {{ include "redline-pdp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "redline-pdp.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "redline-pdp.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "redline-pdp.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "redline-pdp.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "redline-pdp.headlessName" -}}
{{- printf "%s-headless" (include "redline-pdp.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* A volume per replica for its decision log needs a StatefulSet; without one a Deployment. */}}
{{- define "redline-pdp.workloadKind" -}}
{{- if .Values.persistence.enabled }}StatefulSet{{ else }}Deployment{{ end }}
{{- end }}

{{/* Where the pod keeps its files; the flags below and the volume mounts both use these. */}}
{{- define "redline-pdp.dataDir" -}}/var/lib/redline-pdp{{- end }}
{{- define "redline-pdp.secretsDir" -}}/etc/redline-pdp{{- end }}

{{/*
The combinations of values that stop a release from rendering: a setting that would leave the
PDP unable to serve or its evidence unprotected fails here, naming the value to set, rather than
in the pod. Each value's own type and range are values.schema.json's.
*/}}
{{- define "redline-pdp.validate" -}}
{{- $v := .Values }}
{{- if and (not $v.persistence.enabled) (not $v.allowEphemeralDecisionLog) (not (and $v.kafka.enabled (eq $v.kafka.mode "replicated"))) }}
{{- fail "persistence.enabled=false keeps the decision log on an emptyDir that is lost with the pod: set kafka.enabled=true with kafka.mode=replicated, or allowEphemeralDecisionLog=true to accept the loss" }}
{{- end }}
{{- if and $v.tls.enabled (not $v.tls.secretName) }}
{{- fail "tls.enabled=true needs tls.secretName, a Secret of type kubernetes.io/tls" }}
{{- end }}
{{- if and $v.kafka.enabled (not $v.kafka.bootstrapServers) }}
{{- fail "kafka.enabled=true needs kafka.bootstrapServers (host:port,host:port)" }}
{{- end }}
{{- if and $v.bundle.verificationKeys (not $v.bundle.verificationKeysSecret) }}
{{- fail "bundle.verificationKeys needs bundle.verificationKeysSecret, the Secret holding their PEM files" }}
{{- end }}
{{- if and $v.bundle.requireSignatures (not $v.bundle.verificationKeys) }}
{{- fail "bundle.requireSignatures=true needs at least one of bundle.verificationKeys" }}
{{- end }}
{{- if le (int $v.terminationGracePeriodSeconds) (int $v.pdp.shutdownGraceSeconds) }}
{{- fail (printf "terminationGracePeriodSeconds=%v must be greater than pdp.shutdownGraceSeconds=%v: the kubelet would SIGKILL the PDP before its drain may end" $v.terminationGracePeriodSeconds $v.pdp.shutdownGraceSeconds) }}
{{- end }}
{{- if and $v.tls.enabled (eq $v.probes.mode "grpc") }}
{{- fail "probes.mode=grpc with tls.enabled=true cannot pass: the kubelet's gRPC probe does not speak TLS (use auto or tcp)" }}
{{- end }}
{{- end }}

{{/*
Every `pdp serve` argument the chart renders, in one place, so that a renamed flag is changed
here only. An empty value leaves the server's default. toYaml quotes what YAML would misread.
*/}}
{{- define "redline-pdp.serveArgs" -}}
{{- $v := .Values }}
{{- $secrets := include "redline-pdp.secretsDir" . }}
{{- $args := list "serve" "--bind=0.0.0.0"
      (printf "--port=%v" $v.pdp.port)
      (printf "--admin-port=%v" $v.pdp.adminPort)
      (printf "--data-dir=%s" (include "redline-pdp.dataDir" .))
      (printf "--instances=%v" $v.pdp.instances)
      (printf "--eval-timeout=%s" $v.pdp.evalTimeout)
      (printf "--queue-timeout=%s" $v.pdp.queueTimeout)
      (printf "--shutdown-grace=%vs" $v.pdp.shutdownGraceSeconds) }}
{{- with $v.pdp.maxInputBytes }}{{ $args = append $args (printf "--max-input-bytes=%v" .) }}{{ end }}
{{- with $v.adminTokens.secretName }}
{{- $args = append $args (printf "--admin-tokens=%s/admin-tokens/%s" $secrets $v.adminTokens.key) }}
{{- end }}
{{- with $v.bundle.url }}
{{- $args = concat $args (list (printf "--bundle-url=%s" .)
      (printf "--poll-min-delay=%s" $v.bundle.pollMinDelay) (printf "--poll-max-delay=%s" $v.bundle.pollMaxDelay)) }}
{{- end }}
{{- if $v.bundle.tokenSecret.name }}
{{- $args = append $args (printf "--bundle-url-token-file=%s/bundle-token/%s" $secrets $v.bundle.tokenSecret.key) }}
{{- end }}
{{- range $v.bundle.verificationKeys }}
{{- $args = append $args (printf "--verification-key=%s:%s:%s/verification-keys/%s" .id .alg $secrets .secretKey) }}
{{- end }}
{{- if $v.bundle.requireSignatures }}{{ $args = append $args "--require-signatures" }}{{ end }}
{{- with $v.auditKey.secretName }}
{{- $args = append $args (printf "--audit-key-file=%s/audit-key/%s" $secrets $v.auditKey.key) }}
{{- end }}
{{- with $v.pdp.auditSegmentBytes }}{{ $args = append $args (printf "--audit-segment-bytes=%v" .) }}{{ end }}
{{- with $v.pdp.auditSegmentAge }}{{ $args = append $args (printf "--audit-segment-age=%s" .) }}{{ end }}
{{- with $v.pdp.auditRetainBytes }}{{ $args = append $args (printf "--audit-retain-bytes=%v" .) }}{{ end }}
{{- with $v.pdp.auditRetainAge }}{{ $args = append $args (printf "--audit-retain-age=%s" .) }}{{ end }}
{{- range $v.pdp.auditMask }}{{ $args = append $args (printf "--audit-mask=%s" .) }}{{ end }}
{{- if $v.tls.enabled }}
{{- $args = concat $args (list (printf "--tls-cert=%s/tls/tls.crt" $secrets) (printf "--tls-key=%s/tls/tls.key" $secrets)) }}
{{- if ne $v.tls.clientAuth "none" }}
{{- $args = concat $args (list (printf "--tls-client-ca=%s/tls/ca.crt" $secrets) (printf "--tls-client-auth=%s" $v.tls.clientAuth)) }}
{{- end }}
{{- end }}
{{- if not $v.tls.enabled }}
{{- if not $v.pdp.allowPlaintextAdmin }}
{{- fail "without tls.enabled the admin port's tokens cross the pod network in plaintext: set tls.enabled=true and tls.secretName, or pdp.allowPlaintextAdmin=true to accept plaintext" }}
{{- end }}
{{- $args = append $args "--allow-plaintext-admin" }}
{{- end }}
{{- if $v.kafka.enabled }}
{{- $args = concat $args (list (printf "--audit-kafka-bootstrap-servers=%s" $v.kafka.bootstrapServers)
      (printf "--audit-kafka-topic=%s" $v.kafka.topic) (printf "--audit-kafka-mode=%s" $v.kafka.mode)
      (printf "--audit-kafka-timeout=%s" $v.kafka.ackTimeout)) }}
{{- end }}
{{- if $v.metrics.enabled }}{{ $args = append $args (printf "--metrics-port=%v" $v.metrics.port) }}{{ end }}
{{- $args = concat $args $v.pdp.extraArgs }}
{{- toYaml $args }}
{{- end }}

{{/* One probe: gRPC health on the decision port, or a TCP check of it where gRPC cannot be used. */}}
{{- define "redline-pdp.probe" -}}
{{- $v := .root.Values }}
{{- if or (eq $v.probes.mode "grpc") (and (eq $v.probes.mode "auto") (not $v.tls.enabled)) }}
grpc:
  port: {{ $v.pdp.port }}
{{- else }}
tcpSocket:
  port: grpc
{{- end }}
{{- toYaml .settings | nindent 0 }}
{{- end }}
