package org.parley.sip.subscription;

import java.util.List;
import org.parley.presence.MappingException;
import org.parley.presence.model.Address;
import org.parley.presence.model.PresenceUpdate;

/**
 * What an RFC 6665 event package adds to the generic subscription engines: its name, its body
 * formats, and how bodies map to and from model events. The engines know no body format
 * (Kamailio's presence / presence_xml split).
 */
public interface EventPackage {

    /** The Event header value, e.g. {@code presence}. */
    String event();

    /** Body types offered in the Accept header of an outgoing SUBSCRIBE, preferred first. */
    List<String> accept();

    /** As {@link #accept()}, for a SUBSCRIBE to {@code presentity} (the preference may depend on its domain). */
    default List<String> accept(Address presentity) {
        return accept();
    }

    /** The body type to NOTIFY a watcher with, from its Accept list; {@code null} if none fits (→ 406). */
    String negotiate(List<String> watcherAccepts);

    /** Reads a NOTIFY body about {@code presentity}. */
    PresenceUpdate decode(String contentType, String body, Address presentity, PresenceUpdate previous) throws MappingException;

    /** Renders {@code state} as a NOTIFY body of {@code contentType}. */
    String encode(String contentType, PresenceUpdate state);

    /** A body (and the headers it needs) for the initial SUBSCRIBE. */
    record SubscribeBody(String contentType, String body, java.util.Map<String, String> headers) {
    }

    /** The body the initial SUBSCRIBE carries, {@code null} for none (RFC 3856 presence has none). */
    default SubscribeBody subscribeBody(String watcherUri, String presentityUri) {
        return null;
    }
}
