package org.parley.gateway.admin;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.parley.gateway.routing.Router;
import org.parley.gateway.routing.SipSide;
import org.parley.gateway.store.OverlayRelationshipStore;
import org.parley.gateway.store.RelationshipStore;
import org.parley.gateway.trace.TranslationRecord;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.presence.MappingException;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.Receipt;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.sip.SipDryRun;
import org.parley.xmpp.adapt.InboundResult;
import org.parley.xmpp.adapt.XmppDryRun;

/**
 * {@code POST /admin/api/translate}: runs one raw stanza or SIP request through a private Router
 * whose sides only record what they would send (rendered by the modules' own encoders) and whose
 * store reads the real relationships but keeps its writes. Nothing leaves the gateway.
 */
public final class DryRun {

    /** One thing Parley would send. */
    public record Output(String side, String event, String wire) {
    }

    public record Result(String protocol, String input, List<Output> outputs, List<String> decisions, String outcome, String reason) {
    }

    private final AddressMapper mapper;
    private final RelationshipStore relationships;
    private final XmppDryRun xmpp;
    private final SipDryRun sip;
    private final boolean showBodies;
    private final Clock clock;

    public DryRun(AddressMapper mapper, RelationshipStore relationships, XmppDryRun xmpp, SipDryRun sip, boolean showBodies, Clock clock) {
        this.mapper = mapper;
        this.relationships = relationships;
        this.xmpp = xmpp;
        this.sip = sip;
        this.showBodies = showBodies;
        this.clock = clock;
    }

    public Result translate(String protocol, String raw) {
        List<Output> outputs = Collections.synchronizedList(new ArrayList<>());
        TranslationTrace trace = new TranslationTrace(4, showBodies, clock);
        Router router = new Router(mapper, new OverlayRelationshipStore(relationships), trace, clock);
        router.connect(event -> {
            GatewayEvent shown = redact(event);
            outputs.add(new Output("xmpp", shown.toString(), xmpp.render(shown)));
            return CompletableFuture.completedFuture(event);
        }, new RecordingSipSide(outputs));
        try {
            if ("xmpp".equalsIgnoreCase(protocol)) {
                InboundResult r = xmpp.read(raw);
                if (r instanceof InboundResult.Reply reply) {
                    // the stanza error copies the refused stanza, body included
                    String error = reply.error().toXML();
                    return new Result(protocol, echo(protocol, raw), List.of(new Output("xmpp", "stanza error",
                            showBodies ? error : TranslationTrace.redactXml(error))), List.of(reply.reason()),
                            TranslationRecord.Outcome.REJECTED.name(), reply.reason());
                }
                router.onEvent(((InboundResult.Event) r).event());
            } else if ("sip".equalsIgnoreCase(protocol)) {
                GatewayEvent e = sip.read(raw);
                if (e instanceof ChatMessage m) {
                    router.onMessage(m);
                } else if (e instanceof PresenceUpdate p) {
                    router.onPresence(p);
                } else if (e instanceof SubscriptionEvent s && s.action() == SubscriptionAction.CANCEL) {
                    router.onUnsubscribe(s);
                } else if (e instanceof SubscriptionEvent s) {
                    router.onSubscribe(s).thenAccept(first -> outputs.add(first instanceof SubscriptionEvent
                            ? new Output("sip", "first NOTIFY: Subscription-State: pending, no state until the XMPP user approves", "")
                            : new Output("sip", "first NOTIFY: " + first, sip.render(first))));
                }
            } else {
                throw new IllegalArgumentException("protocol must be 'xmpp' or 'sip'");
            }
        } catch (MappingException e) {
            return new Result(protocol, echo(protocol, raw), List.of(), List.of(), TranslationRecord.Outcome.REJECTED.name(),
                    e.reason().condition().xmppName() + " / SIP " + e.reason().sipStatus() + ": " + e.getMessage());
        }
        List<TranslationRecord> done = trace.find(r -> true, 4);
        if (done.isEmpty()) {
            return new Result(protocol, echo(protocol, raw), List.copyOf(outputs), List.of(), "PENDING", "waits for the other side");
        }
        TranslationRecord r = done.get(done.size() - 1);
        return new Result(protocol, r.input(), List.copyOf(outputs), r.decisions(), r.outcome().name(), r.reason());
    }

    /** The input as given, its message bodies redacted like the trace's unless configured to show them. */
    private String echo(String protocol, String raw) {
        if (showBodies) {
            return raw;
        }
        return "sip".equalsIgnoreCase(protocol) ? TranslationTrace.redactSip(raw) : TranslationTrace.redactXml(raw);
    }

    /** Bodies replaced unless configured to show them: a dry run must not become a way to read messages back. */
    private GatewayEvent redact(GatewayEvent e) {
        if (!showBodies && e instanceof ChatMessage m && (m.body() != null || m.htmlBody() != null)) {
            return new ChatMessage(m.from(), m.to(), m.id(), m.kind(), "[redacted]", m.htmlBody() == null ? null : "[redacted]", m.conversationId(),
                    m.receiptRequested(), m.chatState());
        }
        return e;
    }

    /** The SIP side, recording and answering as a front end that accepts everything would. */
    private final class RecordingSipSide implements SipSide {
        private final List<Output> outputs;

        RecordingSipSide(List<Output> outputs) {
            this.outputs = outputs;
        }

        private void record(GatewayEvent e) {
            GatewayEvent shown = redact(e);
            outputs.add(new Output("sip", shown.toString(), sip.render(shown)));
        }

        @Override
        public CompletableFuture<GatewayEvent> sendMessage(ChatMessage message) {
            record(message);
            // as the live SIP side answers a 2xx: a stanza without an id gets a receipt for ""
            return CompletableFuture.completedFuture(new Receipt(message.to(), message.from(), message.id() == null ? "" : message.id()));
        }

        @Override
        public void sendChatState(ChatStateChange change) {
            record(change);
        }

        @Override
        public CompletableFuture<GatewayEvent> subscribe(Address watcher, Address presentity) {
            record(new SubscriptionEvent(watcher, presentity, SubscriptionAction.REQUEST));
            return CompletableFuture.completedFuture(new SubscriptionEvent(presentity, watcher, SubscriptionAction.APPROVE));
        }

        @Override
        public void unsubscribe(Address watcher, Address presentity) {
            record(new SubscriptionEvent(watcher, presentity, SubscriptionAction.CANCEL));
        }

        @Override
        public void publish(PresenceUpdate presence) {
            record(presence);
        }

        @Override
        public void authorize(Address presentity, Address watcher, PresenceUpdate current) {
            if (current != null) {
                record(current.withFrom(presentity).withTo(watcher));
            }
        }

        @Override
        public void reject(Address presentity, Address watcher) {
            record(new SubscriptionEvent(presentity, watcher, SubscriptionAction.DENY));
        }
    }
}
