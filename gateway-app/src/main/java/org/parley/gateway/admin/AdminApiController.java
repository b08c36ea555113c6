package org.parley.gateway.admin;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.parley.gateway.store.RelationshipStore;
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

    /** The body of POST /admin/api/translate. */
    public record TranslateRequest(String protocol, String raw) {
    }

    public AdminApiController(TranslationTrace trace, RelationshipStore relationships, SipEndpoint sip, XmppListeners listeners,
                              OutboundStreams outbound, DryRun dryRun, org.parley.gateway.wiring.ComponentLinks components) {
        this.dryRun = dryRun;
        this.components = components;
        this.trace = trace;
        this.relationships = relationships;
        this.sip = sip;
        this.listeners = listeners;
        this.outbound = outbound;
    }

    /**
     * @param user      matches from or to (substring, case-insensitive)
     * @param direction {@code xmpp→sip} / {@code sip→xmpp}, or {@code xmpp-sip} / {@code sip-xmpp}
     * @param since     ISO-8601 instant
     */
    @GetMapping("/translations")
    public List<TranslationRecord> translations(@RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) String user,
                                                @RequestParam(required = false) String direction, @RequestParam(required = false) String kind,
                                                @RequestParam(required = false) String outcome, @RequestParam(required = false) String since) {
        if (limit < 1 || limit > 10_000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1..10000");
        }
        Predicate<TranslationRecord> filter = r -> true;
        if (user != null) {
            String u = user.toLowerCase(java.util.Locale.ROOT);
            filter = filter.and(r -> r.from().toLowerCase(java.util.Locale.ROOT).contains(u) || r.to().toLowerCase(java.util.Locale.ROOT).contains(u));
        }
        if (direction != null) {
            String d = direction.replace("-", "→");
            filter = filter.and(r -> r.direction().equals(d));
        }
        if (kind != null) {
            filter = filter.and(r -> r.kind().equals(kind));
        }
        if (outcome != null) {
            TranslationRecord.Outcome o = parseOutcome(outcome);
            filter = filter.and(r -> r.outcome() == o);
        }
        if (since != null) {
            Instant from = parseInstant(since);
            filter = filter.and(r -> !r.at().isBefore(from));
        }
        return trace.find(filter, limit);
    }

    @GetMapping("/translations/{id}")
    public TranslationRecord translation(@PathVariable long id) {
        return trace.get(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no translation " + id + " (older ones leave the trace)"));
    }

    /** Dry run: what Parley would send for one raw stanza (protocol "xmpp") or SIP request ("sip"), and why. Nothing is sent. */
    @org.springframework.web.bind.annotation.PostMapping("/translate")
    public DryRun.Result translate(@org.springframework.web.bind.annotation.RequestBody TranslateRequest request) {
        if (request == null || request.raw() == null || request.raw().isBlank() || request.protocol() == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "send {\"protocol\": \"xmpp\" | \"sip\", \"raw\": \"...\"}");
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

    private static TranslationRecord.Outcome parseOutcome(String s) {
        try {
            return TranslationRecord.Outcome.valueOf(s.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "outcome must be DELIVERED, REJECTED or FAILED");
        }
    }

    private static Instant parseInstant(String s) {
        try {
            return Instant.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "since must be an ISO-8601 instant, e.g. 2026-11-21T10:00:00Z");
        }
    }
}
