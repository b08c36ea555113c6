{{- define "parley.fullname" -}}
{{- printf "%s-parley" .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}

{{/* The headless Service: its DNS name is the pool FQDN unless one is configured */}}
{{- define "parley.poolService" -}}
{{- printf "%s-pool" (include "parley.fullname" .) -}}
{{- end -}}

{{- define "parley.poolFqdn" -}}
{{- if .Values.lync.poolFqdn -}}
{{- .Values.lync.poolFqdn -}}
{{- else -}}
{{- printf "%s.%s.svc.%s" (include "parley.poolService" .) .Release.Namespace .Values.clusterDomain -}}
{{- end -}}
{{- end -}}

{{/* FQDN of replica i: <pod>.<headless>.<ns>.svc.<domain> */}}
{{- define "parley.computerFqdn" -}}
{{- printf "%s-%d.%s.%s.svc.%s" (include "parley.fullname" .root) .index (include "parley.poolService" .root) .root.Release.Namespace .root.Values.clusterDomain -}}
{{- end -}}

{{- define "parley.labels" -}}
app.kubernetes.io/name: parley
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "parley.selector" -}}
app.kubernetes.io/name: parley
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* "true" when the pods form a Hazelcast cluster: cluster.enabled, or by default more than one replica */}}
{{- define "parley.clustered" -}}
{{- if kindIs "invalid" .Values.cluster.enabled -}}
{{- if gt (int .Values.replicaCount) 1 }}true{{ end -}}
{{- else if .Values.cluster.enabled -}}
true
{{- end -}}
{{- end -}}

{{/* The cluster's headless Service: every member, ready or not, for Hazelcast's DNS discovery */}}
{{- define "parley.clusterService" -}}
{{- printf "%s-cluster" (include "parley.fullname" .) -}}
{{- end -}}

{{- define "parley.clusterServiceDns" -}}
{{- printf "%s.%s.svc.%s" (include "parley.clusterService" .) .Release.Namespace .Values.clusterDomain -}}
{{- end -}}
