package org.parley.gateway.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
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
            assertThat(e.get("name")).isEqualTo("PARLEY_LYNC_COMPUTERFQDN");
            assertThat(e.get("value")).isEqualTo("$(POD_NAME).gw-parley-pool.federation.svc.cluster.local");
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

    @Test
    void theSchemaAndTheTemplatesRefuseBadValues() {
        assertThatThrownBy(() -> render(t -> t.set("replicaCount", 0))).hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> render(t -> t.set("xmpp.s2s.service.type", "Ingress"))).hasMessageContaining("type");
        assertThatThrownBy(() -> render(t -> t.set("lync.dialect", "skype"))).hasMessageContaining("dialect");
        assertThatThrownBy(() -> render(t -> t.set("replicaCount", 2))).hasMessageContaining("store.type=postgresql");
        assertThatThrownBy(() -> render(t -> t.set("tls.certManager.enabled", true))).hasMessageContaining("issuerRef.name");
    }
}
