package org.parley.xmpp.stream;

import java.util.Locale;

/** RFC 6120 §4.9.3 stream error conditions Parley raises. */
public enum StreamErrorCondition {
    BAD_FORMAT,
    HOST_UNKNOWN,
    INVALID_NAMESPACE,
    NOT_AUTHORIZED,
    NOT_WELL_FORMED,
    POLICY_VIOLATION,
    RESTRICTED_XML,
    UNSUPPORTED_STANZA_TYPE,
    UNSUPPORTED_ENCODING,
    INVALID_FROM,
    IMPROPER_ADDRESSING,
    CONNECTION_TIMEOUT,
    INTERNAL_SERVER_ERROR;

    public static final String NAMESPACE = "urn:ietf:params:xml:ns:xmpp-streams";

    public String xmppName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
