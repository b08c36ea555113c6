package org.parley.gateway.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.gateway.store.RelationshipStore;
import org.parley.gateway.trace.TraceQuery;
import org.parley.gateway.trace.TranslationRecord;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.gateway.wiring.XmppListeners;
import org.parley.sip.SipEndpoint;
import org.parley.sip.config.HostPort;
import org.parley.xmpp.s2s.OutboundStreams;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The admin API (docs/admin-api.md): translations, subscriptions, sessions. Authentication is the filter's job. */
@RestController
@RequestMapping("/admin/api")
public class AdminApiController {

    private final TranslationTrace trace;
    private final RelationshipStore relationships;
    private final SipEndpoint sip;
    private final XmppListeners listeners;
    private final OutboundStreams outbound;
    private final DryRun dryRun;
    private final org.parley.gateway.wiring.ComponentLinks components;

    static final String TRANSLATE_USAGE = "send {\"protocol\": \"xmpp\" | \"sip\", \"raw\": \"...\"}";

    /** The body of POST /admin/api/translate. */
    public record TranslateRequest(String protocol, String raw) {
    }

    /** Present only in a cluster: then every answer covers the whole pool, whichever member is asked. */
    private final org.parley.gateway.cluster.GatewayCluster cluster;

    public AdminApiController(TranslationTrace trace, RelationshipStore relationships, SipEndpoint sip, XmppListeners listeners,
                              OutboundStreams outbound, DryRun dryRun, org.parley.gateway.wiring.ComponentLinks components,
                              org.springframework.beans.factory.ObjectProvider<org.parley.gateway.cluster.GatewayCluster> cluster) {
        this.cluster = cluster.getIfAvailable();
        this.dryRun = dryRun;
        this.components = components;
        this.trace = trace;
        this.relationships = relationships;
        this.sip = sip;
        this.listeners = listeners;
        this.outbound = outbound;
    }

    /**
     * Filters (docs/admin-api.md): {@code limit}, {@code user} (substring of from or to), {@code direction}
     * ({@code xmpp-sip} / {@code sip-xmpp}), {@code kind}, {@code outcome}, {@code since} (ISO-8601). Every
     * parameter is read here rather than bound by Spring, so that each bad value gets its own reason.
     */
    @GetMapping("/translations")
    public List<TranslationRecord> translations(@RequestParam org.springframework.util.MultiValueMap<String, String> query) {
        TraceQuery parsed = TranslationFilters.parse(query);
        return cluster != null ? cluster.query(parsed) : parsed.run(trace);
    }

    @GetMapping("/translations/{id}")
    public TranslationRecord translation(@PathVariable("id") String idText) {
        long id = TranslationFilters.id(idText);
        List<TranslationRecord> found = cluster != null ? cluster.query(TraceQuery.byId(id)) : TraceQuery.byId(id).run(trace);
        return found.stream().findFirst().orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no translation " + id + " (older ones leave the trace)"));
    }

    /** Dry run: what Parley would send for one raw stanza (protocol "xmpp") or SIP request ("sip"), and why. Nothing is sent. */
    @org.springframework.web.bind.annotation.PostMapping("/translate")
    public DryRun.Result translate(@org.springframework.web.bind.annotation.RequestBody TranslateRequest request) {
        if (request == null || request.raw() == null || request.raw().isBlank() || request.protocol() == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, TRANSLATE_USAGE);
        }
        if (request.raw().length() > 256 * 1024) {
            throw new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE, "at most 256 KiB");
        }
        try {
            return dryRun.translate(request.protocol(), request.raw());
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    @GetMapping("/subscriptions")
    public Map<String, Object> subscriptions() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("relationships", relationships.all());
        out.put("sipSubscriptionsHeld", sip.subscriber().size());
        out.put("sipWatchersServed", sip.notifier().size());
        if (cluster != null) {
            out.put("members", cluster.members());
        }
        return out;
    }

    /**
     * The cluster: every member with its share of the work (relationships it owns, dialogs it holds, IM
     * sessions, translations) and the totals. A single gateway answers as a cluster of one.
     */
    @GetMapping("/cluster")
    public Map<String, Object> cluster() {
        List<org.parley.gateway.cluster.MemberReport> members = cluster != null ? cluster.members()
                : List.of(new org.parley.gateway.cluster.MemberReport("this gateway", true, relationships.all().stream()
                        .filter(r -> r.direction() == RelationshipStore.Direction.XMPP_WATCHES_SIP && r.state() == RelationshipStore.State.ACTIVE)
                        .mapToInt(r -> 1).sum(), sip.subscriber().size(), sip.notifier().size(), sip.imSessions().size(), trace.recorded(), 0));
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("members", members.size());
        totals.put("xmppWatchesSip", members.stream().mapToLong(m -> Math.max(0, m.xmppWatchesSip())).sum());
        totals.put("sipSubscriptions", members.stream().mapToLong(m -> Math.max(0, m.sipSubscriptions())).sum());
        totals.put("sipWatchers", members.stream().mapToLong(m -> Math.max(0, m.sipWatchers())).sum());
        totals.put("imSessions", members.stream().mapToLong(m -> Math.max(0, m.imSessions())).sum());
        totals.put("translations", members.stream().mapToLong(m -> Math.max(0, m.translations())).sum());
        totals.put("forwarded", members.stream().mapToLong(m -> Math.max(0, m.forwarded())).sum());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clustered", cluster != null);
        out.put("members", members);
        out.put("totals", totals);
        return out;
    }

    @GetMapping("/sessions")
    public Map<String, Object> sessions() {
        Map<String, Object> sipSide = new LinkedHashMap<>();
        List<Map<String, Object>> targets = sip.route().targets().stream().map(this::target).toList();
        sipSide.put("frontEnds", targets);
        sipSide.put("anyHealthy", sip.route().anyHealthy());
        sipSide.put("frontEndAnswered", sip.route().anyConfirmedHealthy());
        sipSide.put("connections", sip.connections());
        sipSide.put("imSessions", sip.imSessions().size());
        Map<String, Object> xmppSide = new LinkedHashMap<>();
        xmppSide.put("listeningPorts", listeners.ports());
        xmppSide.put("inboundStreams", listeners.openStreams());
        xmppSide.put("inboundAuthenticated", listeners.authenticated());
        xmppSide.put("outboundStreams", outbound.openStreams());
        xmppSide.put("componentLinks", components.states());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sip", sipSide);
        out.put("xmpp", xmppSide);
        return out;
    }

    private Map<String, Object> target(HostPort t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", t.toString());
        m.put("healthy", sip.route().isHealthy(t));
        return m;
    }
}
