package org.parley.sip.subscription;

import java.util.List;
import java.util.Locale;
import org.parley.presence.MappingException;
import org.parley.presence.aggregate.PresenceAggregator;
import org.parley.presence.lync.CategoriesCodec;
import org.parley.presence.model.Address;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.pidf.PidfCodec;

/**
 * The {@code presence} event package (RFC 3856) with two body formats: PIDF (RFC dialect) and
 * Microsoft's msrtc categories (Lync dialect). Which one is offered first depends on the dialect
 * of the domain; a watcher gets the first of its Accept list that Parley can render.
 */
public final class PresencePackage implements EventPackage {

    private final PidfCodec pidf;
    private final CategoriesCodec categories;
    private final boolean lyncFirst;
    private final java.util.function.Predicate<String> lyncDomain;

    public PresencePackage(PidfCodec pidf, CategoriesCodec categories, boolean lyncFirst) {
        this(pidf, categories, lyncFirst, domain -> lyncFirst);
    }

    /**
     * @param lyncFirst  the default dialect: categories preferred (and offered to watchers first)
     * @param lyncDomain which presentity domains speak the Lync dialect (category subscription, categories first)
     */
    public PresencePackage(PidfCodec pidf, CategoriesCodec categories, boolean lyncFirst, java.util.function.Predicate<String> lyncDomain) {
        this.lyncDomain = lyncDomain;
        this.pidf = pidf;
        this.categories = categories;
        this.lyncFirst = lyncFirst;
    }

    @Override
    public String event() {
        return "presence";
    }

    @Override
    public List<String> accept() {
        return order(lyncFirst);
    }

    @Override
    public List<String> accept(Address presentity) {
        return order(lyncDomain.test(presentity.domain()));
    }

    private static List<String> order(boolean lyncPreferred) {
        return lyncPreferred ? List.of(CategoriesCodec.CONTENT_TYPE, PidfCodec.CONTENT_TYPE)
                : List.of(PidfCodec.CONTENT_TYPE, CategoriesCodec.CONTENT_TYPE);
    }

    /** "sip:user@domain;params" → "domain". */
    private static String domainOf(String uri) {
        String s = uri.substring(uri.indexOf(':') + 1);
        s = s.substring(s.indexOf('@') + 1);
        int end = s.indexOf(';');
        s = end >= 0 ? s.substring(0, end) : s;
        end = s.indexOf(':');
        return (end >= 0 ? s.substring(0, end) : s).toLowerCase(Locale.ROOT);
    }

    @Override
    public String negotiate(List<String> watcherAccepts) {
        if (watcherAccepts.isEmpty()) {
            return PidfCodec.CONTENT_TYPE; // RFC 3856 §6.7: PIDF is the default
        }
        for (String type : watcherAccepts) {
            String t = type.toLowerCase(Locale.ROOT).strip();
            if (t.equals(CategoriesCodec.CONTENT_TYPE) || t.equals(PidfCodec.CONTENT_TYPE)) {
                return t;
            }
        }
        return null;
    }

    @Override
    public PresenceUpdate decode(String contentType, String body, Address presentity, PresenceUpdate previous)
            throws MappingException {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith(CategoriesCodec.CONTENT_TYPE)) {
            return categories.decodeSnapshot(body).applyTo(previous).withFrom(presentity);
        }
        if (type.startsWith(PidfCodec.CONTENT_TYPE)) {
            return PresenceAggregator.aggregate(pidf.decode(body)).withFrom(presentity);
        }
        throw new MappingException(MappingException.Reason.UNSUPPORTED_BODY, "presence body of type '" + contentType + "'");
    }

    @Override
    public String encode(String contentType, PresenceUpdate state) {
        return CategoriesCodec.CONTENT_TYPE.equals(contentType) ? categories.encode(state) : pidf.encode(state);
    }

    /**
     * Lync dialect: a category subscription ([MS-PRES] §2.2.2.4.1) naming the one presentity and
     * the categories Parley maps (state, note). No {@code eventlist}: NOTIFYs then carry plain
     * categories documents, not RLMI multiparts.
     */
    @Override
    public SubscribeBody subscribeBody(String watcherUri, String presentityUri) {
        if (!lyncDomain.test(domainOf(presentityUri))) {
            return null;
        }
        org.parley.presence.xml.XmlWriter w = new org.parley.presence.xml.XmlWriter();
        w.start("batchSub").attribute("xmlns", "http://schemas.microsoft.com/2006/01/sip/batch-subscribe")
                .attribute("uri", watcherUri).attribute("name", "");
        w.start("action").attribute("name", "subscribe").attribute("id", Integer.toString(Math.abs(presentityUri.hashCode())));
        w.start("adhocList").start("resource").attribute("uri", presentityUri).end("resource").end("adhocList");
        w.start("categoryList").attribute("xmlns", "http://schemas.microsoft.com/2006/09/sip/categorylist");
        for (String category : List.of("state", "note")) {
            w.start("category").attribute("name", category).end("category");
        }
        w.end("categoryList").end("action").end("batchSub");
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Require", "adhoclist, categoryList");
        headers.put("Supported", "ms-benotify, ms-piggyback-first-notify");
        return new SubscribeBody("application/msrtc-adrl-categorylist+xml", w.toString(), headers);
    }
}
