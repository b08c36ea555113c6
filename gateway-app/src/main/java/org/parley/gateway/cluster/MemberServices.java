package org.parley.gateway.cluster;

import com.hazelcast.core.HazelcastInstance;
import java.util.function.Supplier;
import org.parley.gateway.routing.Router;
import org.parley.gateway.trace.TranslationTrace;

/**
 * What a task sent by another member finds on this one: its router, trace and report. A task arrives deserialized, with
 * only the Hazelcast instance in hand; Hazelcast's user context is the one place it can look, so this record is put
 * there whole, under one key, once the member is ready — a task that finds none knows the member is still starting.
 *
 * @param router routes a forwarded event as if it had arrived here
 * @param trace  answers a trace query
 * @param report makes this member's report
 */
record MemberServices(Router router, TranslationTrace trace, Supplier<MemberReport> report) {

    private static final String KEY = MemberServices.class.getName();

    /** Makes these services what other members' tasks find here. */
    void attach(HazelcastInstance hz) {
        hz.getUserContext().put(KEY, this);
    }

    /** This member's services, {@code null} until it is ready. */
    static MemberServices of(HazelcastInstance hz) {
        return hz.getUserContext().get(KEY) instanceof MemberServices s ? s : null;
    }
}
