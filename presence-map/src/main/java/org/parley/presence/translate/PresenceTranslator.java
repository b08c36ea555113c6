package org.parley.presence.translate;

import java.util.ArrayList;
import java.util.List;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.aggregate.PresenceAggregator;
import org.parley.presence.lync.CategoriesCodec;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.pidf.PidfCodec;
import org.parley.presence.xmpp.XmppPresenceCodec;

/**
 * Whole presence translations between wire formats, composed from the codecs and the address
 * mapper: what the gateway does for one presence, without any I/O. Used by the admin dry run,
 * {@code parley translate}, the golden files and the benchmarks.
 */
public final class PresenceTranslator {

    private final AddressMapper addresses;
    private final XmppPresenceCodec xmpp;
    private final PidfCodec pidf;
    private final CategoriesCodec categories;

    public PresenceTranslator(AddressMapper addresses, XmppPresenceCodec xmpp, PidfCodec pidf, CategoriesCodec categories) {
        this.addresses = addresses;
        this.xmpp = xmpp;
        this.pidf = pidf;
        this.categories = categories;
    }

    /** An XMPP {@code <presence/>} (available / unavailable) → PIDF body for a SIP watcher. */
    public String xmppToPidf(String stanza) throws MappingException {
        PresenceUpdate update = xmppPresence(stanza);
        return pidf.encode(update.withFrom(addresses.toSip(update.from())));
    }

    /** An XMPP {@code <presence/>} → msrtc categories body for a Lync watcher. */
    public String xmppToCategories(String stanza) throws MappingException {
        PresenceUpdate update = xmppPresence(stanza);
        return categories.encode(update.withFrom(addresses.toSip(update.from())));
    }

    /** A PIDF NOTIFY body → the aggregated XMPP presence broadcast from the presentity. */
    public String pidfToXmpp(String body) throws MappingException {
        List<PresenceUpdate> tuples = pidf.decode(body);
        return toXmpp(PresenceAggregator.aggregate(tuples));
    }

    /** An msrtc categories NOTIFY body → the XMPP presence broadcast from the presentity. */
    public String categoriesToXmpp(String body) throws MappingException {
        return toXmpp(categories.decode(body));
    }

    /** Several XMPP presences of one user (one per resource) → the one presence SIP watchers see, as PIDF. */
    public String aggregateXmppToPidf(List<String> stanzas) throws MappingException {
        List<PresenceUpdate> updates = new ArrayList<>(stanzas.size());
        for (String s : stanzas) {
            updates.add(xmppPresence(s));
        }
        PresenceUpdate best = aggregate(updates);
        return pidf.encode(best.withFrom(addresses.toSip(best.from())));
    }

    private PresenceUpdate aggregate(List<PresenceUpdate> updates) throws MappingException {
        try {
            return PresenceAggregator.aggregate(updates);
        } catch (IllegalArgumentException e) {
            throw new MappingException(Reason.MALFORMED_BODY, e.getMessage());
        }
    }

    private String toXmpp(PresenceUpdate sipPresence) throws MappingException {
        return xmpp.encode(sipPresence.withFrom(addresses.toXmpp(sipPresence.from())));
    }

    private PresenceUpdate xmppPresence(String stanza) throws MappingException {
        GatewayEvent event = xmpp.decode(stanza);
        if (event instanceof PresenceUpdate update) {
            return update;
        }
        throw new MappingException(Reason.UNSUPPORTED_BODY,
                "not an available/unavailable presence: " + event.getClass().getSimpleName());
    }
}
