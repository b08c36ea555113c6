package org.parley.gateway.wiring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.parley.gateway.config.XmppProperties;
import org.parley.gateway.routing.XmppSide;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.xmpp.XmppInbound;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.component.ComponentConfig;
import org.parley.xmpp.component.ComponentConnection;
import org.parley.xmpp.iq.IqHandler;

/**
 * Component mode (XEP-0114): one link per Lync domain to the internal XMPP server, which does the
 * federation itself. As an {@link XmppSide}, a stanza's outcome is known once it is written to the
 * link — at once, or when the link comes back — or once the link's queue gives up on it
 * (full: resource-constraint; too old: remote-server-timeout), so a SIP MESSAGE is answered with
 * what really happened.
 */
public final class ComponentLinks implements XmppSide, AutoCloseable {

    private final Map<String, ComponentConnection> links = new LinkedHashMap<>();

    ComponentLinks(XmppProperties.Component config, List<String> lyncDomains, XmppToModel inbound, ModelToXmpp outbound,
                   XmppInbound router, IqHandler iqs) {
        if (!config.enabled()) {
            return;
        }
        for (String domain : lyncDomains) {
            links.put(domain, new ComponentConnection(new ComponentConfig(config.host(), config.port(), domain, config.secret(),
                    Duration.ofSeconds(1), Duration.ofMinutes(1)), inbound, outbound, router, iqs));
        }
    }

    public boolean enabled() {
        return !links.isEmpty();
    }

    public void start() {
        links.values().forEach(ComponentConnection::start);
    }

    /** Link states by domain, for the admin API and readiness. */
    public Map<String, String> states() {
        Map<String, String> out = new LinkedHashMap<>();
        links.forEach((d, l) -> out.put(d, l.state() + (l.lastError() == null ? "" : " (" + l.lastError() + ")")));
        return out;
    }

    @Override
    public CompletableFuture<GatewayEvent> send(GatewayEvent event) {
        ComponentConnection link = event.from() == null ? null : links.get(event.from().domain());
        if (link == null) {
            return CompletableFuture.completedFuture(new GatewayError(event.to(), event.from(), ErrorCondition.ITEM_NOT_FOUND, null, 0,
                    "no component link for " + (event.from() == null ? "?" : event.from().domain()), null, null));
        }
        return link.sendTracked(event);
    }

    @Override
    public void close() {
        links.values().forEach(ComponentConnection::close);
    }
}
