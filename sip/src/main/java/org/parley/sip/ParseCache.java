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
        return (URI) parsed(uris, text, factory::createURI).clone();
    }

    /** {@code text} as {@link AddressFactory#createAddress(String)} parses it, a copy of its own. */
    Address address(String text) throws ParseException {
        return (Address) parsed(addresses, text, factory::createAddress).clone();
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String text) throws ParseException;
    }

    /** The kept original: never handed out. */
    private static <T> T parsed(Map<String, T> kept, String text, Parser<T> parser) throws ParseException {
        T original = kept.get(text);
        if (original == null) {
            original = parser.parse(text);
            if (kept.size() >= CAPACITY) {
                kept.clear();
            }
            kept.put(text, original);
        }
        return original;
    }

    int size() {
        return uris.size() + addresses.size();
    }
}
