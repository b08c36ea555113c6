package org.parley.gateway.cluster;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import org.parley.gateway.config.ClusterProperties;

/** The Hazelcast member configuration for {@code parley.cluster.*}: nothing Parley does not ask for is switched on. */
final class HazelcastConfigs {

    static final String FORWARD_EXECUTOR = "parley.forward";
    static final String PRESENCE_MAP = "parley.presence";
    static final String WATCHER_DIALOGS_MAP = "parley.watcher-dialogs";
    static final String TRACE_SLOTS_MAP = "parley.trace-slots";
    static final String PRESENCE_TOPIC = "parley.presence-fanout";

    private HazelcastConfigs() {
    }

    static Config of(ClusterProperties p) {
        Config c = new Config();
        c.setClusterName(p.name());
        // joins owning nothing: the members serving now keep every relationship until this one can serve
        // (GatewayCluster.started promotes it), so a starting pod never leaves watchers without presence
        c.setLiteMember(true);
        c.setInstanceName("parley-" + p.bindAddress() + "-" + p.port());
        // no call home, no multicast, no auto-detection: a member only talks to the members it is told of
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        // Spring stops the member in order (after the gateway has handed its work over), not a JVM hook
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        // failure detection: heartbeats every second, a member silent for failureDetection is removed and its work re-homed
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(Math.max(2, p.failureDetection().toSeconds())));
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.local.localAddress", p.bindAddress());
        NetworkConfig network = c.getNetworkConfig();
        network.setPort(p.port()).setPortAutoIncrement(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (!p.kubernetes().serviceDns().isBlank()) {
            // DNS lookup mode: the headless service lists every member pod, ready or not; no Kubernetes API rights needed
            join.getKubernetesConfig().setEnabled(true)
                    .setProperty("service-dns", p.kubernetes().serviceDns())
                    .setProperty("service-port", Integer.toString(p.port()));
        } else {
            join.getTcpIpConfig().setEnabled(true).setMembers(p.members().isEmpty() ? java.util.List.of(p.bindAddress() + ":" + p.port())
                    : p.members());
        }
        // members exchange Parley's own value records only: Java deserialization admits nothing else
        c.getSerializationConfig().setJavaSerializationFilterConfig(new JavaSerializationFilterConfig()
                .setWhitelist(new ClassFilter().addPrefixes("org.parley.", "java.lang.", "java.util.", "java.time.", "[L")));
        c.getExecutorConfig(FORWARD_EXECUTOR).setPoolSize(32).setStatisticsEnabled(true);
        c.getMapConfig(PRESENCE_MAP).setBackupCount(1);
        c.getMapConfig(WATCHER_DIALOGS_MAP).setBackupCount(1);
        return c;
    }
}
