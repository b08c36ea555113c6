package org.parley.presence.error;

import java.util.EnumMap;
import java.util.Map;
import org.parley.presence.model.ErrorCondition;

/**
 * RFC 7247 §7 error tables. Where the RFC lists two SIP codes for one XMPP condition, the first
 * is used when Parley produces a SIP response; both read back to the same condition.
 * docs/presence-mapping.md reproduces both tables.
 */
public final class ErrorMapping {

    private static final Map<ErrorCondition, Integer> XMPP_TO_SIP = new EnumMap<>(ErrorCondition.class);

    static {
        // RFC 7247 §7.1, Table 3.
        XMPP_TO_SIP.put(ErrorCondition.BAD_REQUEST, 400);
        XMPP_TO_SIP.put(ErrorCondition.CONFLICT, 400);
        XMPP_TO_SIP.put(ErrorCondition.FEATURE_NOT_IMPLEMENTED, 405);
        XMPP_TO_SIP.put(ErrorCondition.FORBIDDEN, 403);
        XMPP_TO_SIP.put(ErrorCondition.GONE, 301);
        XMPP_TO_SIP.put(ErrorCondition.INTERNAL_SERVER_ERROR, 500);
        XMPP_TO_SIP.put(ErrorCondition.ITEM_NOT_FOUND, 404);
        XMPP_TO_SIP.put(ErrorCondition.JID_MALFORMED, 484);
        XMPP_TO_SIP.put(ErrorCondition.NOT_ACCEPTABLE, 406);
        XMPP_TO_SIP.put(ErrorCondition.NOT_ALLOWED, 405);
        XMPP_TO_SIP.put(ErrorCondition.NOT_AUTHORIZED, 401);
        XMPP_TO_SIP.put(ErrorCondition.POLICY_VIOLATION, 403);
        XMPP_TO_SIP.put(ErrorCondition.RECIPIENT_UNAVAILABLE, 480);
        XMPP_TO_SIP.put(ErrorCondition.REDIRECT, 302);
        XMPP_TO_SIP.put(ErrorCondition.REGISTRATION_REQUIRED, 400);
        XMPP_TO_SIP.put(ErrorCondition.REMOTE_SERVER_NOT_FOUND, 404);
        XMPP_TO_SIP.put(ErrorCondition.REMOTE_SERVER_TIMEOUT, 408);
        XMPP_TO_SIP.put(ErrorCondition.RESOURCE_CONSTRAINT, 500);
        XMPP_TO_SIP.put(ErrorCondition.SERVICE_UNAVAILABLE, 503);
        XMPP_TO_SIP.put(ErrorCondition.SUBSCRIPTION_REQUIRED, 400);
        XMPP_TO_SIP.put(ErrorCondition.UNDEFINED_CONDITION, 400);
        XMPP_TO_SIP.put(ErrorCondition.UNEXPECTED_REQUEST, 491);
    }

    private ErrorMapping() {
    }

    /** The SIP final response status Parley sends for an XMPP stanza error. */
    public static int toSipStatus(ErrorCondition condition) {
        return XMPP_TO_SIP.get(condition);
    }

    /** The XMPP condition for a SIP final response status (RFC 7247 §7.2, Table 4). */
    public static ErrorCondition toXmppCondition(int status) {
        return switch (status) {
            case 400 -> ErrorCondition.BAD_REQUEST;
            case 401 -> ErrorCondition.NOT_AUTHORIZED;
            case 402 -> ErrorCondition.BAD_REQUEST;
            case 403 -> ErrorCondition.FORBIDDEN;
            case 404, 481, 484, 485, 604 -> ErrorCondition.ITEM_NOT_FOUND;
            case 405, 501 -> ErrorCondition.FEATURE_NOT_IMPLEMENTED;
            case 406, 488, 606 -> ErrorCondition.NOT_ACCEPTABLE;
            case 407 -> ErrorCondition.REGISTRATION_REQUIRED;
            case 408, 504 -> ErrorCondition.REMOTE_SERVER_TIMEOUT;
            case 301, 410 -> ErrorCondition.GONE;
            case 480, 486 -> ErrorCondition.RECIPIENT_UNAVAILABLE;
            case 491 -> ErrorCondition.UNEXPECTED_REQUEST;
            case 500 -> ErrorCondition.INTERNAL_SERVER_ERROR;
            case 502 -> ErrorCondition.REMOTE_SERVER_NOT_FOUND;
            case 503, 600, 603 -> ErrorCondition.SERVICE_UNAVAILABLE;
            default -> byClass(status);
        };
    }

    /** Codes the table does not list are read by their class (RFC 3261 §8.1.3.2: treat as x00). */
    private static ErrorCondition byClass(int status) {
        if (status >= 300 && status < 400) {
            return ErrorCondition.REDIRECT;
        }
        if (status >= 400 && status < 500) {
            return ErrorCondition.BAD_REQUEST;
        }
        if (status >= 500 && status < 600) {
            return ErrorCondition.INTERNAL_SERVER_ERROR;
        }
        if (status >= 600 && status < 700) {
            return ErrorCondition.SERVICE_UNAVAILABLE;
        }
        throw new IllegalArgumentException("not a SIP error status: " + status);
    }
}
