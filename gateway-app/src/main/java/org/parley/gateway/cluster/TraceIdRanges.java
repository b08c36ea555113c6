package org.parley.gateway.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Gives each member its own range of trace ids, so an id names one record in the whole cluster and stays
 * below 2^53 (the flow view is JavaScript). A range is free again once its member has left.
 */
final class TraceIdRanges {

    /** Ids per range: 2^40 records — years at the gateway's rate — times 4,096 ranges stays below 2^53. */
    static final int RANGE_BITS = 40;
    private static final int RANGES = 4096;

    private TraceIdRanges() {
    }

    /** The first id of the range this member claims. */
    static long claim(HazelcastInstance hz) {
        IMap<Integer, UUID> ranges = hz.getMap(HazelcastConfigs.TRACE_SLOTS_MAP);
        UUID self = hz.getCluster().getLocalMember().getUuid();
        Set<UUID> alive = hz.getCluster().getMembers().stream().map(Member::getUuid).collect(Collectors.toSet());
        for (int i = 0; i < RANGES; i++) {
            UUID holder = ranges.putIfAbsent(i, self);
            if (holder == null || (!alive.contains(holder) && ranges.replace(i, holder, self))) {
                return (long) i << RANGE_BITS;
            }
        }
        throw new IllegalStateException("every trace id range is taken: more than " + RANGES + " members?");
    }
}
