package org.parley.sip;

import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.URI;

/**
 * URIs and name-addrs Parley puts in its requests, parsed once and handed out as copies. JAIN-SIP's factories lex every
 * URI they are given, and the same few texts (a user's address, a front end's hop, a route set's entries) recur on
 * every request: parsing them was a sixth of the CPU the s2s reader spent per IM (docs/performance.md). JAIN-SIP's
 * objects are mutable, so the parsed original never leaves this class: each caller gets its own deep copy
 * ({@code clone()}), which costs a fraction of the parse. Bounded: when full, it starts over.
 */
final class ParseCache {

    static final int CAPACITY = 4096;

    private final AddressFactory factory;
    private final Map<String, URI> uris = new ConcurrentHashMap<>();
    private final Map<String, Address> addresses = new ConcurrentHashMap<>();

    ParseCache(AddressFactory factory) {
        this.factory = factory;
    }

    /** {@code text} as {@link AddressFactory#createURI} parses it, a copy of its own. */
    URI uri(String text) throws ParseException {
        URI parsed = uris.get(text);
        if (parsed == null) {
            parsed = factory.createURI(text);
            keep(uris, text, parsed);
        }
        return (URI) parsed.clone();
    }

    /** {@code text} as {@link AddressFactory#createAddress(String)} parses it, a copy of its own. */
    Address address(String text) throws ParseException {
        Address parsed = addresses.get(text);
        if (parsed == null) {
            parsed = factory.createAddress(text);
            keep(addresses, text, parsed);
        }
        return (Address) parsed.clone();
    }

    int size() {
        return uris.size() + addresses.size();
    }

    private static <T> void keep(Map<String, T> map, String text, T parsed) {
        if (map.size() >= CAPACITY) {
            map.clear();
        }
        map.put(text, parsed);
    }
}
