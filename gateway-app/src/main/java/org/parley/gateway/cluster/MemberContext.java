package org.parley.gateway.cluster;

import com.hazelcast.core.HazelcastInstance;
import org.parley.gateway.routing.Router;
import org.parley.gateway.routing.SipSide;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.sip.subscription.Notifier;

/** What a task sent by another member finds on this one: this member's router, SIP side and trace (Hazelcast's user context). */
final class MemberContext {

    private static final String ROUTER = "parley.router";
    private static final String SIP = "parley.sip-side";
    private static final String NOTIFIER = "parley.notifier";
    private static final String TRACE = "parley.trace";
    private static final String REPORT = "parley.report";

    private MemberContext() {
    }

    static void attach(HazelcastInstance hz, Router router, SipSide sip, Notifier notifier, TranslationTrace trace,
                       java.util.function.Supplier<MemberReport> report) {
        hz.getUserContext().put(TRACE, trace);
        hz.getUserContext().put(NOTIFIER, notifier);
        hz.getUserContext().put(SIP, sip);
        hz.getUserContext().put(REPORT, report);
        hz.getUserContext().put(ROUTER, router); // last: its presence means the member is ready
    }

    static Router router(HazelcastInstance hz) {
        return (Router) hz.getUserContext().get(ROUTER);
    }

    static SipSide sip(HazelcastInstance hz) {
        return (SipSide) hz.getUserContext().get(SIP);
    }

    static Notifier notifier(HazelcastInstance hz) {
        return (Notifier) hz.getUserContext().get(NOTIFIER);
    }

    static TranslationTrace trace(HazelcastInstance hz) {
        return (TranslationTrace) hz.getUserContext().get(TRACE);
    }

    @SuppressWarnings("unchecked")
    static MemberReport report(HazelcastInstance hz) {
        Object supplier = hz.getUserContext().get(REPORT);
        return supplier == null ? null : ((java.util.function.Supplier<MemberReport>) supplier).get();
    }
}
