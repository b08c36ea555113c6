package org.parley.presence.properties;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.parley.presence.MappingException;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.lync.CategoriesCodec;
import org.parley.presence.pidf.PidfCodec;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.presence.xmpp.XmppPresenceCodec;

/** Codecs wired the way the gateway wires them, for property tests. */
final class Fixtures {

    final AddressMapper mapper;
    final SafeXmlParser parser = new SafeXmlParser();
    final XmppPresenceCodec xmpp;
    final PidfCodec pidf;
    final CategoriesCodec categories;

    Fixtures() {
        try {
            mapper = AddressMapper.forDomains(List.of("contoso.com", "xmpp.test"));
        } catch (MappingException e) {
            throw new IllegalStateException(e);
        }
        xmpp = new XmppPresenceCodec(parser, mapper);
        pidf = new PidfCodec(parser, mapper);
        categories = new CategoriesCodec(parser, mapper, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    }
}
