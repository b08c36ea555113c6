package org.parley.presence;

import java.util.Objects;
import org.parley.presence.model.ErrorCondition;

/**
 * The one exception presence-map's parsers and mappers throw. It is checked on purpose: every
 * caller must turn bad input into a protocol error (SIP 4xx, XMPP stanza error), never a 500.
 */
public final class MappingException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the input was refused, with the XMPP condition and SIP status a caller should answer. */
    public enum Reason {
        MALFORMED_ADDRESS(ErrorCondition.JID_MALFORMED, 484),
        UNSUPPORTED_ADDRESS(ErrorCondition.ITEM_NOT_FOUND, 404),
        UNKNOWN_DOMAIN(ErrorCondition.ITEM_NOT_FOUND, 404),
        MALFORMED_BODY(ErrorCondition.BAD_REQUEST, 400),
        UNSUPPORTED_BODY(ErrorCondition.NOT_ACCEPTABLE, 415),
        FORBIDDEN_XML(ErrorCondition.POLICY_VIOLATION, 400),
        TOO_LARGE(ErrorCondition.POLICY_VIOLATION, 413);

        private final ErrorCondition condition;
        private final int sipStatus;

        Reason(ErrorCondition condition, int sipStatus) {
            this.condition = condition;
            this.sipStatus = sipStatus;
        }

        public ErrorCondition condition() {
            return condition;
        }

        public int sipStatus() {
            return sipStatus;
        }
    }

    private final Reason reason;

    public MappingException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public MappingException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
