package org.parley.sip.im;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.parley.presence.model.Address;

/**
 * Open IM sessions by Call-ID and by pair of users, whoever started them: a reply from the XMPP
 * user goes into the session the Lync user opened, and the next message of an XMPP user reuses
 * the session Parley opened — one open session per pair.
 */
public final class ImSessionRegistry {

    private final Map<String, ImSession> byCallId = new ConcurrentHashMap<>();
    private final Map<String, String> callIdByPair = new ConcurrentHashMap<>();

    public void put(ImSession s) {
        byCallId.put(s.callId(), s);
        callIdByPair.put(pair(s.sipUser(), s.gatewayUser()), s.callId());
    }

    public ImSession get(String callId) {
        return byCallId.get(callId);
    }

    public ImSession forPair(Address sipUser, Address gatewayUser) {
        String callId = callIdByPair.get(pair(sipUser, gatewayUser));
        return callId == null ? null : byCallId.get(callId);
    }

    public ImSession update(String callId, UnaryOperator<ImSession> change) {
        return byCallId.computeIfPresent(callId, (k, s) -> change.apply(s));
    }

    public ImSession remove(String callId) {
        ImSession s = byCallId.remove(callId);
        if (s != null) {
            callIdByPair.remove(pair(s.sipUser(), s.gatewayUser()), callId);
        }
        return s;
    }

    public boolean contains(String callId) {
        return byCallId.containsKey(callId);
    }

    public int size() {
        return byCallId.size();
    }

    public Collection<ImSession> all() {
        return byCallId.values();
    }

    private static String pair(Address sipUser, Address gatewayUser) {
        return sipUser.bare() + "|" + gatewayUser.bare();
    }
}
