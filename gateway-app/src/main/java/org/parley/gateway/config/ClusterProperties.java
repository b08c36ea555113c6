package org.parley.gateway.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Several gateway members sharing the work (docs/high-availability.md). Off: one gateway owns everything,
 * exactly as without these settings.
 *
 * @param enabled          join a Hazelcast cluster of gateway members
 * @param name             cluster name: members of another name never join
 * @param bindAddress      the address this member listens on for other members (the pod IP in Kubernetes)
 * @param port             member port
 * @param members          host[:port] of the other members, for labs and fixed hosts
 * @param kubernetes       discovery through a Kubernetes headless service instead of a member list
 * @param failureDetection how long a member may stay silent before the others declare it dead and re-home its work
 */
public record ClusterProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("parley") @NotBlank String name,
        @DefaultValue("127.0.0.1") @NotBlank String bindAddress,
        @DefaultValue("5701") @Min(1) @Max(65535) int port,
        List<String> members,
        @DefaultValue Kubernetes kubernetes,
        @DefaultValue("10s") Duration failureDetection) {

    public ClusterProperties {
        members = members == null ? List.of() : List.copyOf(members);
    }

    /** @param serviceDns the headless service's DNS name, e.g. parley-cluster.lync.svc.cluster.local */
    public record Kubernetes(@DefaultValue("") String serviceDns) {
    }
}
