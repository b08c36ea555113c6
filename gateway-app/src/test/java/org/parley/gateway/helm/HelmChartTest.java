package org.parley.gateway.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.parley.gateway.cli.ConfigLoader;
import org.parley.gateway.config.ParleyProperties;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart rendered by the real helm engine (helm-java, in-process), and the rendered objects
 * parsed and checked: names, ports, probes, security context, SANs per replica, schema refusals.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("..", "helm", "parley");

    /** Every rendered object, parsed. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> render(UnaryOperator<TemplateCommand> values) {
        String yaml = values.apply(new Helm(CHART).template().withName("gw").withNamespace("federation")).call();
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object o : new Yaml().loadAll(yaml)) {
            if (o != null) {
                objects.add((Map<String, Object>) o);
            }
        }
        return objects;
    }

    private static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(path(o, "metadata.name"))).findFirst()
                .orElseThrow(() -> new AssertionError(kind + " " + name + " not rendered"));
    }

    @SuppressWarnings("unchecked")
    private static Object path(Object root, String dotted) {
        Object cur = root;
        for (String key : dotted.split("\\.")) {
            if (cur instanceof Map<?, ?> m) {
                cur = m.get(key);
            } else if (cur instanceof List<?> l) {
                cur = l.get(Integer.parseInt(key));
            } else {
                return null;
            }
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(List<Map<String, Object>> objects) {
        return (Map<String, Object>) path(find(objects, "StatefulSet", "gw-parley"), "spec.template.spec.containers.0");
    }

    /** The application.yml the ConfigMap carries, parsed (its key has a dot, so no path lookup). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> applicationYml(List<Map<String, Object>> objects) {
        Map<String, Object> data = (Map<String, Object>) find(objects, "ConfigMap", "gw-parley").get("data");
        return new Yaml().load((String) data.get("application.yml"));
    }

    @Test
    void theChartLints() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void defaultsRenderASecureSingleInstance() {
        List<Map<String, Object>> objects = render(t -> t);
        Map<String, Object> sts = find(objects, "StatefulSet", "gw-parley");
        assertThat(path(sts, "spec.replicas")).isEqualTo(1);
        assertThat(path(sts, "spec.serviceName")).isEqualTo("gw-parley-pool");
        assertThat(path(sts, "spec.template.spec.securityContext.runAsNonRoot")).isEqualTo(true);
        Map<String, Object> c = container(objects);
        assertThat(path(c, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(path(c, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
        assertThat((List<String>) path(c, "securityContext.capabilities.drop")).containsExactly("ALL");
        assertThat(path(c, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(path(c, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(path(c, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        List<Map<String, Object>> ports = (List<Map<String, Object>>) c.get("ports");
        assertThat(ports).extracting(p -> p.get("name") + ":" + p.get("containerPort")).containsExactly("sip-tls:5061", "xmpp-s2s:5269", "admin:8089");
        List<Map<String, Object>> env = (List<Map<String, Object>>) c.get("env");
        assertThat(env).anySatisfy(e -> {
            // application.yml picks this pod's computer FQDN by its name
            assertThat(e.get("name")).isEqualTo("POD_NAME");
            assertThat(path(e, "valueFrom.fieldRef.fieldPath")).isEqualTo("metadata.name");
        });
        assertThat(path(sts, "spec.volumeClaimTemplates.0.metadata.name")).isEqualTo("data");

        Map<String, Object> pool = find(objects, "Service", "gw-parley-pool");
        assertThat(path(pool, "spec.clusterIP")).isEqualTo("None");
        assertThat(path(find(objects, "Service", "gw-parley-xmpp-s2s"), "spec.type")).isEqualTo("ClusterIP");
        assertThat(path(find(objects, "Service", "gw-parley-sip"), "spec.ports.0.port")).isEqualTo(5061);
        assertThat(path(find(objects, "Service", "gw-parley-admin"), "spec.type")).isEqualTo("ClusterIP");
        assertThat(path(find(objects, "PodDisruptionBudget", "gw-parley"), "spec.maxUnavailable")).isEqualTo(1);

        Map<String, Object> app = applicationYml(objects);
        assertThat(path(app, "parley.lync.pool-fqdn")).isEqualTo("gw-parley-pool.federation.svc.cluster.local");
        assertThat((List<String>) path(app, "parley.lync.computers")).containsExactly("gw-parley-0.gw-parley-pool.federation.svc.cluster.local");
        assertThat(path(app, "server.address")).isEqualTo("0.0.0.0");
        assertThat(path(app, "parley.tls.certificate")).isEqualTo("/tls/tls.crt");
        assertThat(objects).noneMatch(o -> "Certificate".equals(o.get("kind")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void threeReplicasWithCertManagerListEveryReplicaAsSan() {
        List<Map<String, Object>> objects = render(t -> t.set("replicaCount", 3).set("store.type", "postgresql")
                .set("store.postgresql.url", "jdbc:postgresql://db:5432/parley").set("store.postgresql.passwordSecret", "parley-db")
                .set("tls.certManager.enabled", true).set("tls.certManager.issuerRef.name", "corp-ca")
                .set("lync.poolFqdn", "parley.contoso.com"));
        assertThat(path(find(objects, "StatefulSet", "gw-parley"), "spec.replicas")).isEqualTo(3);
        Map<String, Object> cert = find(objects, "Certificate", "gw-parley");
        assertThat(path(cert, "spec.commonName")).isEqualTo("parley.contoso.com");
        assertThat((List<String>) path(cert, "spec.dnsNames")).containsExactly("parley.contoso.com",
                "gw-parley-0.gw-parley-pool.federation.svc.cluster.local", "gw-parley-1.gw-parley-pool.federation.svc.cluster.local",
                "gw-parley-2.gw-parley-pool.federation.svc.cluster.local", "contoso.com");
        assertThat((List<String>) path(cert, "spec.usages")).contains("server auth", "client auth");
        Map<String, Object> app = applicationYml(objects);
        assertThat((List<String>) path(app, "parley.lync.computers")).hasSize(3);
        assertThat(path(app, "spring.datasource.url")).isEqualTo("jdbc:postgresql://db:5432/parley");
        // a shared store: no per-pod volume claim, the password from its Secret
        assertThat(path(find(objects, "StatefulSet", "gw-parley"), "spec.volumeClaimTemplates")).isNull();
        assertThat((List<Map<String, Object>>) container(objects).get("env")).anySatisfy(e ->
                assertThat(path(e, "valueFrom.secretKeyRef.name")).isEqualTo("parley-db"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void threeReplicasRenderTheCluster() {
        List<Map<String, Object>> objects = render(t -> t.set("replicaCount", 3).set("store.type", "postgresql")
                .set("store.postgresql.url", "jdbc:postgresql://db:5432/parley").set("store.postgresql.passwordSecret", "parley-db"));
        assertThat(path(find(objects, "StatefulSet", "gw-parley"), "spec.replicas")).isEqualTo(3);
        Map<String, Object> app = applicationYml(objects);
        assertThat(path(app, "parley.cluster.enabled")).isEqualTo(true);
        assertThat(path(app, "parley.cluster.name")).isEqualTo("gw-parley");
        assertThat(path(app, "parley.cluster.port")).isEqualTo(5701);
        assertThat(path(app, "parley.cluster.bind-address")).isEqualTo("${POD_IP}");
        assertThat(path(app, "parley.cluster.kubernetes.service-dns")).isEqualTo("gw-parley-cluster.federation.svc.cluster.local");
        // members find each other through a headless Service that lists them before they are ready
        Map<String, Object> cluster = find(objects, "Service", "gw-parley-cluster");
        assertThat(path(cluster, "spec.clusterIP")).isEqualTo("None");
        assertThat(path(cluster, "spec.publishNotReadyAddresses")).isEqualTo(true);
        assertThat(path(cluster, "spec.ports.0.port")).isEqualTo(5701);
        assertThat(path(cluster, "spec.ports.0.targetPort")).isEqualTo("hazelcast");
        assertThat((Map<String, Object>) path(cluster, "spec.selector")).containsEntry("app.kubernetes.io/instance", "gw");
        // the pool Service stays the ready pods only (Lync's DNS load balancing)
        assertThat(path(find(objects, "Service", "gw-parley-pool"), "spec.publishNotReadyAddresses")).isNull();
        Map<String, Object> c = container(objects);
        assertThat((List<Map<String, Object>>) c.get("ports")).extracting(p -> p.get("name") + ":" + p.get("containerPort"))
                .containsExactly("sip-tls:5061", "xmpp-s2s:5269", "admin:8089", "hazelcast:5701");
        assertThat((List<Map<String, Object>>) c.get("env")).anySatisfy(e -> {
            assertThat(e.get("name")).isEqualTo("POD_IP");
            assertThat(path(e, "valueFrom.fieldRef.fieldPath")).isEqualTo("status.podIP");
        });
        // no member-to-member TLS in Hazelcast community edition: 5701 is open to this release's pods only
        Map<String, Object> policy = find(objects, "NetworkPolicy", "gw-parley-cluster");
        assertThat((Map<String, Object>) path(policy, "spec.podSelector.matchLabels")).containsEntry("app.kubernetes.io/instance", "gw");
        assertThat((Map<String, Object>) path(policy, "spec.ingress.0.from.0.podSelector.matchLabels"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("app.kubernetes.io/name", "parley", "app.kubernetes.io/instance", "gw"));
        assertThat((List<Object>) path(policy, "spec.ingress.0.from")).hasSize(1);
        assertThat(path(policy, "spec.ingress.0.ports.0.port")).isEqualTo(5701);
        // the policy isolates the pods: the other ports stay open, 5701 is in no other rule
        List<Map<String, Object>> rules = (List<Map<String, Object>>) path(policy, "spec.ingress");
        assertThat(rules.subList(1, rules.size())).flatExtracting(r -> (List<Map<String, Object>>) r.get("ports"))
                .extracting(p -> p.get("port")).containsExactly(5061, 5269, 8089);

        // one replica (the default): no cluster at all
        List<Map<String, Object>> single = render(t -> t);
        assertThat(path(applicationYml(single), "parley.cluster")).isNull();
        assertThat(single).noneMatch(o -> "gw-parley-cluster".equals(path(o, "metadata.name")));
        assertThat(single).noneMatch(o -> "NetworkPolicy".equals(o.get("kind")));
        assertThat((List<Map<String, Object>>) container(single).get("ports")).noneMatch(p -> Integer.valueOf(5701).equals(p.get("containerPort")));
        assertThat((List<Map<String, Object>>) container(single).get("env")).noneMatch(e -> "POD_IP".equals(e.get("name")));

        // a cluster shares the PostgreSQL store
        assertThatThrownBy(() -> render(t -> t.set("replicaCount", 3)))
                .hasMessageContaining("a cluster (replicaCount > 1 or cluster.enabled=true) needs store.type=postgresql");
        assertThatThrownBy(() -> render(t -> t.set("cluster.enabled", true))).hasMessageContaining("needs store.type=postgresql");
    }

    @Test
    void s2sCanBeALoadBalancerAndOptionalObjectsAppearWhenAskedFor() {
        List<Map<String, Object>> objects = render(t -> t.set("xmpp.s2s.service.type", "LoadBalancer").set("xmpp.s2s.directTlsPort", 5270)
                .set("serviceMonitor.enabled", true).set("networkPolicy.enabled", true));
        Map<String, Object> s2s = find(objects, "Service", "gw-parley-xmpp-s2s");
        assertThat(path(s2s, "spec.type")).isEqualTo("LoadBalancer");
        assertThat(path(s2s, "spec.ports.0.port")).isEqualTo(5269);
        assertThat(path(s2s, "spec.ports.1.port")).isEqualTo(5270);
        assertThat(path(find(objects, "ServiceMonitor", "gw-parley"), "spec.endpoints.0.path")).isEqualTo("/actuator/prometheus");
        assertThat(path(find(objects, "NetworkPolicy", "gw-parley"), "spec.ingress.1.ports.0.port")).isEqualTo(8089);
    }

    /** Rendered with a values file (lists and maps, dotted keys included, as an operator writes them). */
    private static List<Map<String, Object>> renderValues(String valuesYaml) {
        return render(t -> t.withValuesFile(valuesFile(valuesYaml)));
    }

    private static Path valuesFile(String valuesYaml) {
        try {
            Path file = Files.createTempFile("values", ".yaml");
            file.toFile().deleteOnExit();
            Files.writeString(file, valuesYaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String CLUSTER_OF_TWO = """
            replicaCount: 2
            store: {type: postgresql, postgresql: {url: "jdbc:postgresql://db:5432/parley", passwordSecret: parley-db}}
            """;

    /**
     * What the gateway of pod {@code podName} binds from the rendered application.yml: loaded by the
     * gateway's own configuration loader, with the pod's downward-API variables as the pod has them.
     */
    private static ParleyProperties gatewayConfigOf(List<Map<String, Object>> objects, String... podEnv) {
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) find(objects, "ConfigMap", "gw-parley").get("data");
        Path file = valuesFile((String) data.get("application.yml"));
        // as the pod names it: PARLEY_CONFIG, i.e. the service's --config
        List<String> args = new ArrayList<>(List.of("--config=" + file.toAbsolutePath()));
        for (String e : podEnv) {
            args.add("--" + e);
        }
        return ConfigLoader.load(args.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> env(List<Map<String, Object>> objects) {
        return (List<Map<String, Object>>) container(objects).get("env");
    }

    private static Object podSpec(List<Map<String, Object>> objects, String dotted) {
        return path(find(objects, "StatefulSet", "gw-parley"), "spec.template.spec" + (dotted.isEmpty() ? "" : "." + dotted));
    }

    @Test
    @SuppressWarnings("unchecked")
    void byDefaultEachPodIsItsClusterDnsNameAndTheGatewayBindsIt() {
        List<Map<String, Object>> objects = render(t -> t);
        ParleyProperties pod0 = gatewayConfigOf(objects, "POD_NAME=gw-parley-0");
        assertThat(pod0.lync().computerFqdn()).isEqualTo("gw-parley-0.gw-parley-pool.federation.svc.cluster.local");
        assertThat(pod0.lync().poolFqdn()).isEqualTo("gw-parley-pool.federation.svc.cluster.local");
        assertThat(objects).noneMatch(o -> "Service".equals(o.get("kind")) && "gw-parley-0".equals(path(o, "metadata.name")));
        assertThat(podSpec(objects, "hostNetwork")).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void computerFqdnsAreTheOperatorsNamesOnePerMemberWithAServiceEach() {
        List<Map<String, Object>> objects = renderValues(CLUSTER_OF_TWO + """
                lync:
                  poolFqdn: parley.contoso.com
                  computers: [gw1.contoso.com, gw2.contoso.com]
                sip:
                  perMemberService: {enabled: true, type: LoadBalancer, annotations: {lb.example/internal: "true"}}
                tls:
                  certManager: {enabled: true, issuerRef: {name: corp-ca}}
                """);
        // pod i is computers[i], for the service and for the CLI exec'd into it (both read POD_NAME)
        assertThat(gatewayConfigOf(objects, "POD_NAME=gw-parley-0", "POD_IP=10.0.0.1").lync().computerFqdn()).isEqualTo("gw1.contoso.com");
        ParleyProperties pod1 = gatewayConfigOf(objects, "POD_NAME=gw-parley-1", "POD_IP=10.0.0.2");
        assertThat(pod1.lync().computerFqdn()).isEqualTo("gw2.contoso.com");
        assertThat(pod1.lync().computers()).containsExactly("gw1.contoso.com", "gw2.contoso.com");
        assertThat(pod1.lync().poolFqdn()).isEqualTo("parley.contoso.com");
        // nothing forces a cluster name on top of the operator's
        assertThat(env(objects)).noneMatch(e -> "PARLEY_LYNC_COMPUTERFQDN".equals(e.get("name")));

        Map<String, Object> cert = find(objects, "Certificate", "gw-parley");
        assertThat(path(cert, "spec.commonName")).isEqualTo("parley.contoso.com");
        assertThat((List<String>) path(cert, "spec.dnsNames")).containsExactly("parley.contoso.com", "gw1.contoso.com", "gw2.contoso.com", "contoso.com");

        for (int i = 0; i < 2; i++) {
            Map<String, Object> member = find(objects, "Service", "gw-parley-" + i);
            assertThat(path(member, "spec.type")).isEqualTo("LoadBalancer");
            assertThat((Map<String, Object>) path(member, "spec.selector")).containsEntry("statefulset.kubernetes.io/pod-name", "gw-parley-" + i)
                    .containsEntry("app.kubernetes.io/instance", "gw");
            assertThat(path(member, "spec.ports.0.port")).isEqualTo(5061);
            assertThat(path(member, "spec.ports.0.targetPort")).isEqualTo("sip-tls");
            assertThat((Map<String, Object>) path(member, "metadata.annotations")).containsEntry("lb.example/internal", "true");
        }
        assertThat(objects).noneMatch(o -> "gw-parley-2".equals(path(o, "metadata.name")));

        // more members than names: refused, naming both numbers
        assertThatThrownBy(() -> renderValues(CLUSTER_OF_TWO.replace("replicaCount: 2", "replicaCount: 3") + """
                lync: {computers: [gw1.contoso.com, gw2.contoso.com]}
                """)).hasMessageContaining("replicaCount (3) exceeds lync.computers (2 names)");
    }

    @Test
    @SuppressWarnings("unchecked")
    void hostNetworkMembersAreTheirNodes() {
        List<Map<String, Object>> objects = renderValues("""
                hostNetwork: true
                lync: {computers: [node1.contoso.com, node2.contoso.com], nodeDomain: contoso.com}
                """);
        assertThat(podSpec(objects, "hostNetwork")).isEqualTo(true);
        // the pod still resolves cluster names (the store, the cluster Service)
        assertThat(podSpec(objects, "dnsPolicy")).isEqualTo("ClusterFirstWithHostNet");
        assertThat(env(objects)).anySatisfy(e -> {
            assertThat(e.get("name")).isEqualTo("NODE_NAME");
            assertThat(path(e, "valueFrom.fieldRef.fieldPath")).isEqualTo("spec.nodeName");
        });
        ParleyProperties pod = gatewayConfigOf(objects, "POD_NAME=gw-parley-0", "NODE_NAME=node2");
        assertThat(pod.lync().computerFqdn()).isEqualTo("node2.contoso.com");
        // every node a member may run on is a computer of the pool (certificate, lync-commands)
        assertThat(pod.lync().computers()).containsExactly("node1.contoso.com", "node2.contoso.com");

        assertThatThrownBy(() -> render(t -> t.set("hostNetwork", true))).hasMessageContaining("hostNetwork needs lync.computers");
        // Hazelcast has no TLS and a NetworkPolicy does not cover host-network pods: the port would be open on the node
        assertThatThrownBy(() -> renderValues(CLUSTER_OF_TWO + """
                hostNetwork: true
                lync: {computers: [node1.contoso.com, node2.contoso.com]}
                """)).hasMessageContaining("hostNetwork");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTrustBundleSecretApartFromTheLeafIsTheGatewaysTrustStore() {
        List<Map<String, Object>> objects = renderValues("""
                tls:
                  certManager: {enabled: true, issuerRef: {name: corp-ca}}
                  trustBundle: {secretName: lync-and-partner-cas, key: bundle.pem}
                """);
        Map<String, Object> app = applicationYml(objects);
        assertThat(path(app, "parley.tls.ca")).isEqualTo("/trust/bundle.pem");
        assertThat(path(app, "parley.tls.certificate")).isEqualTo("/tls/tls.crt");
        assertThat((List<Map<String, Object>>) podSpec(objects, "volumes")).anySatisfy(v -> {
            assertThat(v.get("name")).isEqualTo("trust");
            assertThat(path(v, "secret.secretName")).isEqualTo("lync-and-partner-cas");
        });
        // mounted whole, not by subPath: a subPath mount never sees the Secret's updates (the gateway reloads the file)
        assertThat((List<Map<String, Object>>) container(objects).get("volumeMounts")).anySatisfy(m -> {
            assertThat(m.get("name")).isEqualTo("trust");
            assertThat(m.get("mountPath")).isEqualTo("/trust");
            assertThat(m.get("readOnly")).isEqualTo(true);
            assertThat(m.get("subPath")).isNull();
        });
        assertThat(gatewayConfigOf(objects, "POD_NAME=gw-parley-0").tls().ca()).isEqualTo(Path.of("/trust/bundle.pem"));

        // without one: ca.crt of the TLS Secret, as before
        List<Map<String, Object>> plain = render(t -> t);
        assertThat(path(applicationYml(plain), "parley.tls.ca")).isEqualTo("/tls/ca.crt");
        assertThat((List<Map<String, Object>>) podSpec(plain, "volumes")).noneMatch(v -> "trust".equals(v.get("name")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void pullSecretsServiceAccountAndScheduling() {
        List<Map<String, Object>> objects = renderValues("""
                imagePullSecrets: [{name: regcred}]
                serviceAccount: {annotations: {iam.example/role: parley}}
                nodeSelector: {kubernetes.io/os: linux}
                tolerations: [{key: dedicated, operator: Equal, value: federation, effect: NoSchedule}]
                resources: {requests: {cpu: "1", memory: 1Gi}, limits: {memory: 2Gi}}
                """);
        assertThat((List<Map<String, Object>>) podSpec(objects, "imagePullSecrets")).containsExactly(Map.of("name", "regcred"));
        Map<String, Object> sa = find(objects, "ServiceAccount", "gw-parley");
        assertThat((Map<String, Object>) path(sa, "metadata.annotations")).containsEntry("iam.example/role", "parley");
        // Parley never calls the Kubernetes API (cluster discovery is DNS): no API token in the pod
        assertThat(sa.get("automountServiceAccountToken")).isEqualTo(false);
        assertThat(podSpec(objects, "serviceAccountName")).isEqualTo("gw-parley");
        assertThat(podSpec(objects, "automountServiceAccountToken")).isEqualTo(false);
        assertThat((Map<String, Object>) podSpec(objects, "nodeSelector")).containsEntry("kubernetes.io/os", "linux");
        assertThat((List<Map<String, Object>>) podSpec(objects, "tolerations")).singleElement()
                .satisfies(t -> assertThat(t).containsEntry("key", "dedicated").containsEntry("effect", "NoSchedule"));
        assertThat(path(container(objects), "resources.requests.memory")).isEqualTo("1Gi");
        assertThat(path(container(objects), "resources.limits.memory")).isEqualTo("2Gi");
        // one pod: nothing to keep apart
        assertThat(podSpec(objects, "affinity")).isNull();

        // an existing account
        List<Map<String, Object>> existing = renderValues("serviceAccount: {create: false, name: federation-sa}\n");
        assertThat(existing).noneMatch(o -> "ServiceAccount".equals(o.get("kind")));
        assertThat(podSpec(existing, "serviceAccountName")).isEqualTo("federation-sa");
    }

    @Test
    @SuppressWarnings("unchecked")
    void membersPreferDifferentNodesUnlessTheOperatorSaysOtherwise() {
        List<Map<String, Object>> objects = renderValues(CLUSTER_OF_TWO);
        Map<String, Object> term = (Map<String, Object>) podSpec(objects, "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution.0");
        assertThat(path(term, "podAffinityTerm.topologyKey")).isEqualTo("kubernetes.io/hostname");
        assertThat((Map<String, Object>) path(term, "podAffinityTerm.labelSelector.matchLabels"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("app.kubernetes.io/name", "parley", "app.kubernetes.io/instance", "gw"));
        // soft: a member still starts when the nodes run out
        assertThat(podSpec(objects, "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution")).isNull();

        List<Map<String, Object>> custom = renderValues(CLUSTER_OF_TWO + """
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [dmz]}]}]
                """);
        assertThat(podSpec(custom, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.0.matchExpressions.0.key")).isEqualTo("zone");
        assertThat(podSpec(custom, "affinity.podAntiAffinity")).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyPodSharesOneAdminTokenSecret() {
        List<Map<String, Object>> objects = render(t -> t);
        Map<String, Object> secret = find(objects, "Secret", "gw-parley-admin-token");
        String token = (String) path(secret, "stringData.token");
        if (token == null) {
            token = new String(Base64.getDecoder().decode((String) path(secret, "data.token")), StandardCharsets.UTF_8);
        }
        assertThat(token).matches("[A-Za-z0-9]{40,}");
        assertThat(path(secret, "metadata.annotations")).as("helm never deletes or redraws it")
                .isEqualTo(Map.of("helm.sh/resource-policy", "keep"));
        assertThat(env(objects)).anySatisfy(e -> {
            assertThat(e.get("name")).isEqualTo("PARLEY_ADMIN_TOKEN");
            assertThat(path(e, "valueFrom.secretKeyRef.name")).isEqualTo("gw-parley-admin-token");
            assertThat(path(e, "valueFrom.secretKeyRef.key")).isEqualTo("token");
        });
        // the pod template does not carry the token (a new token would otherwise restart every pod on each upgrade)
        assertThat(find(objects, "StatefulSet", "gw-parley").toString()).doesNotContain(token);

        List<Map<String, Object>> existing = render(t -> t.set("admin.tokenSecret.name", "ops-token").set("admin.tokenSecret.key", "bearer"));
        assertThat(existing).noneMatch(o -> "Secret".equals(o.get("kind")));
        assertThat(env(existing)).anySatisfy(e -> {
            assertThat(path(e, "valueFrom.secretKeyRef.name")).isEqualTo("ops-token");
            assertThat(path(e, "valueFrom.secretKeyRef.key")).isEqualTo("bearer");
        });
    }

    @Test
    void probesFollowTheGatewaysOwnStateNotTheFrontEnds() {
        Map<String, Object> c = container(render(t -> t));
        // ready = started with its listeners bound; a front end being down shows under /actuator/health only
        assertThat(path(c, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(path(c, "readinessProbe.httpGet.port")).isEqualTo("admin");
        assertThat(path(c, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(path(c, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        // a first start (development PKI, store migration) has at least five minutes before liveness may kill it
        int startupBudget = (Integer) path(c, "startupProbe.periodSeconds") * (Integer) path(c, "startupProbe.failureThreshold");
        assertThat(startupBudget).isGreaterThanOrEqualTo(300);
        Map<String, Object> tuned = container(render(t -> t.set("probes.startup.failureThreshold", 120)));
        assertThat(path(tuned, "startupProbe.failureThreshold")).isEqualTo(120);
    }

    @Test
    void theJvmCommitsItsWholeHeapAtStartAndAcceptsTheChartsOptions() throws Exception {
        String options = env(render(t -> t)).stream().filter(e -> "JAVA_TOOL_OPTIONS".equals(e.get("name")))
                .map(e -> (String) e.get("value")).findFirst().orElseThrow();
        // a heap started at 1/64 of the limit collects its young generation several times as often (docs/performance.md)
        assertThat(options).contains("-XX:InitialRAMPercentage=75").contains("-XX:MaxRAMPercentage=75");
        // the options as a JVM reads them: a misspelt flag stops the pod before Parley can log anything
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(options.split("\\s+")));
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor()).as(out).isZero();
        assertThat(out).containsPattern("InitialRAMPercentage\\s+= 75\\.0").containsPattern("MaxRAMPercentage\\s+= 75\\.0");
    }

    @Test
    void aPartnerWithDefaultRulesWrittenEmptyIsStillAPartner() {
        List<Map<String, Object>> objects = renderValues("""
                xmpp:
                  s2s:
                    unknownPartners: refuse
                    partners:
                      fabrikam.example: {}
                """);
        org.parley.xmpp.s2s.PartnerPolicy policy = org.parley.gateway.wiring.GatewayConfiguration.partnerPolicy(
                gatewayConfigOf(objects, "POD_NAME=gw-parley-0"));
        assertThat(policy.rulesFor("fabrikam.example")).contains(org.parley.xmpp.s2s.PartnerRules.DEFAULT);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPartnerWithADottedDomainKeepsItsKeyAndRules() {
        List<Map<String, Object>> objects = renderValues("""
                xmpp:
                  s2s:
                    unknownPartners: refuse
                    partners:
                      fabrikam.example: {tls: required, saslExternal: required, dialback: false, additionalDomains: [chat.fabrikam.example]}
                """);
        Map<String, Object> partners = (Map<String, Object>) path(applicationYml(objects), "parley.xmpp.s2s.partners");
        assertThat(partners).containsOnlyKeys("fabrikam.example");
        assertThat((Map<String, Object>) partners.get("fabrikam.example")).containsEntry("tls", "required").containsEntry("saslExternal", "required")
                .containsEntry("dialback", false).containsEntry("additionalDomains", List.of("chat.fabrikam.example"));

        // and the gateway runs with that partner's rules, not a partner "fabrikam" with defaults
        org.parley.xmpp.s2s.PartnerPolicy policy = org.parley.gateway.wiring.GatewayConfiguration.partnerPolicy(
                gatewayConfigOf(objects, "POD_NAME=gw-parley-0"));
        assertThat(policy.rulesFor("chat.fabrikam.example"))
                .contains(new org.parley.xmpp.s2s.PartnerRules(true, true, false, java.util.Set.of("chat.fabrikam.example")));
        assertThat(policy.permits("fabrikam")).isFalse();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theServiceAndAnExecdCliReadTheSameConfiguration() {
        List<Map<String, Object>> objects = render(t -> t);
        Map<String, Object> c = container(objects);
        String mount = ((List<Map<String, Object>>) c.get("volumeMounts")).stream().filter(m -> "config".equals(m.get("name")))
                .map(m -> (String) m.get("mountPath")).findFirst().orElseThrow();
        String file = mount + "/application.yml";
        // container variables: the service and every `kubectl exec … parley.jar <command>` see them alike
        assertThat(env(objects)).anySatisfy(e -> {
            assertThat(e.get("name")).isEqualTo("PARLEY_CONFIG");
            assertThat(e.get("value")).isEqualTo(file);
        });
        assertThat(env(objects)).noneSatisfy(e -> assertThat(e.get("name")).asString().startsWith("SPRING_CONFIG"));
        // no command-line-only location the exec'd CLI would miss
        assertThat(c.get("args")).isNull();
    }

    /** NOTES.txt as `helm install` prints it (a client-only dry run: no cluster). */
    private static String notes(UnaryOperator<InstallCommand> values) {
        return values.apply(new Helm(CHART).install().withName("gw").withNamespace("federation").dryRun().clientOnly()).call().getOutput();
    }

    @Test
    void theNotesSayHowToRegisterThePoolAndReadTheToken() {
        String notes = notes(i -> i);
        assertThat(notes).contains("kubectl exec -n federation gw-parley-0 -- java -jar /app/parley.jar lync-commands");
        assertThat(notes).contains("kubectl get secret -n federation gw-parley-admin-token -o jsonpath='{.data.token}' | base64 -d");
        assertThat(notes).doesNotContain("/data/admin-token");
        String named = notes(i -> i.withValuesFile(valuesFile(CLUSTER_OF_TWO + """
                lync: {poolFqdn: parley.contoso.com, computers: [gw1.contoso.com, gw2.contoso.com]}
                tls: {certManager: {enabled: true, issuerRef: {name: corp-ca}}}
                """)));
        assertThat(named).contains("gw1.contoso.com", "gw2.contoso.com", "parley.contoso.com");
        // cert-manager's ca.crt is the issuer, not the front ends' CAs
        assertThat(named).contains("tls.trustBundle");
    }

    @Test
    void theSchemaAndTheTemplatesRefuseBadValues() {
        assertThatThrownBy(() -> render(t -> t.set("replicaCount", 0))).hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> render(t -> t.set("xmpp.s2s.service.type", "Ingress"))).hasMessageContaining("type");
        assertThatThrownBy(() -> render(t -> t.set("lync.dialect", "skype"))).hasMessageContaining("dialect");
        assertThatThrownBy(() -> render(t -> t.set("replicaCount", 2))).hasMessageContaining("store.type=postgresql");
        assertThatThrownBy(() -> render(t -> t.set("tls.certManager.enabled", true))).hasMessageContaining("issuerRef.name");
        assertThatThrownBy(() -> renderValues("lync: {computers: [\"not a name\"]}\n")).hasMessageContaining("computers");
        assertThatThrownBy(() -> render(t -> t.set("sip.perMemberService.type", "ClusterIP"))).hasMessageContaining("type");
        assertThatThrownBy(() -> render(t -> t.set("tls.trustBundle.secretName", 42))).hasMessageContaining("secretName");
        assertThatThrownBy(() -> renderValues("imagePullSecrets: [regcred]\n")).hasMessageContaining("imagePullSecrets");
        assertThatThrownBy(() -> render(t -> t.set("probes.startup.failureThreshold", 0))).hasMessageContaining("failureThreshold");
    }
}
