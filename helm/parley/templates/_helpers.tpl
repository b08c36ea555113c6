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

{{/* FQDN of replica i: lync.computers[i] when the operator named the computers, else
     <pod>.<headless>.<ns>.svc.<domain> (a name only the cluster's DNS knows) */}}
{{- define "parley.computerFqdn" -}}
{{- if .root.Values.lync.computers -}}
{{- index .root.Values.lync.computers .index -}}
{{- else -}}
{{- printf "%s-%d.%s.%s.svc.%s" (include "parley.fullname" .root) .index (include "parley.poolService" .root) .root.Release.Namespace .root.Values.clusterDomain -}}
{{- end -}}
{{- end -}}

{{/* Every computer of the pool, as a JSON list (certificate SANs, parley.lync.computers, lync-commands).
     hostNetwork: every listed node, since a member may run on any of them; otherwise one per replica. */}}
{{- define "parley.computers" -}}
{{- $names := list -}}
{{- if .Values.hostNetwork -}}
{{- $names = .Values.lync.computers -}}
{{- else -}}
{{- range $i := until (int .Values.replicaCount) -}}
{{- $names = append $names (include "parley.computerFqdn" (dict "root" $ "index" $i)) -}}
{{- end -}}
{{- end -}}
{{- toJson $names -}}
{{- end -}}

{{/* The combinations the chart refuses, each with the reason */}}
{{- define "parley.validate" -}}
{{- $computers := len .Values.lync.computers -}}
{{- if and $computers (gt (int .Values.replicaCount) $computers) -}}
{{- fail (printf "replicaCount (%d) exceeds lync.computers (%d names): every member needs its own computer FQDN" (int .Values.replicaCount) $computers) -}}
{{- end -}}
{{- if .Values.hostNetwork -}}
{{- if not $computers -}}
{{- fail "hostNetwork needs lync.computers: the FQDNs of the nodes the members may run on (certificate SANs and the pool's computers)" -}}
{{- end -}}
{{- if include "parley.clustered" . -}}
{{- fail "hostNetwork with a cluster would open the Hazelcast port (no TLS) on the nodes' addresses, where no NetworkPolicy applies: use sip.perMemberService for more than one member" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "parley.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "parley.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The admin token Secret: the operator's, or the one the chart keeps for the release */}}
{{- define "parley.adminTokenSecret" -}}
{{- default (printf "%s-admin-token" (include "parley.fullname" .)) .Values.admin.tokenSecret.name -}}
{{- end -}}

{{/* Where application.yml is mounted: the service and every CLI exec'd into the pod read this file */}}
{{- define "parley.configFile" -}}
/config/application.yml
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
