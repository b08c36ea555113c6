package org.parley.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.Set;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.parley.presence.MappingException;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.lync.CategoriesCodec;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.presence.pidf.PidfCodec;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.sip.im.MessageRequests;
import org.parley.sip.subscription.PresencePackage;

/**
 * The SIP side of the admin dry run: a raw SIP request as an operator pastes it → the model event
 * the endpoint would hand on, and a model event bound for SIP → what the endpoint would send.
 * Nothing touches the network; the same parsers and codecs as the live endpoint are used.
 */
public final class SipDryRun {

    private final AddressMapper addresses;
    private final Set<String> gatewayDomains;
    private final PresencePackage presence;
    private final boolean lync;

    public SipDryRun(AddressMapper addresses, Set<String> gatewayDomains, boolean lyncDialect, Clock clock) {
        this.addresses = addresses;
        this.gatewayDomains = Set.copyOf(gatewayDomains);
        SafeXmlParser xml = new SafeXmlParser();
        this.presence = new PresencePackage(new PidfCodec(xml, addresses), new CategoriesCodec(xml, addresses, clock), lyncDialect);
        this.lync = lyncDialect;
    }

    /** MESSAGE, NOTIFY / PUBLISH (presence bodies) and SUBSCRIBE are translated; anything else is refused with the reason. */
    public GatewayEvent read(String raw) throws MappingException {
        Request request = parse(raw);
        String method = request.getMethod();
        Address from = addresses.parseSipUri(((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI().toString());
        switch (method) {
            case Request.MESSAGE:
                return MessageRequests.toChatMessage(request, addresses, gatewayDomains);
            case Request.NOTIFY:
            case Request.PUBLISH: {
                ContentTypeHeader ct = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
                byte[] body = request.getRawContent();
                if (ct == null || body == null) {
                    throw new MappingException(MappingException.Reason.UNSUPPORTED_BODY, method + " without a presence body");
                }
                return presence.decode(ct.getContentType() + "/" + ct.getContentSubType(), new String(body, StandardCharsets.UTF_8),
                        from.bare(), null);
            }
            case Request.SUBSCRIBE: {
                Address to = addresses.parseSipUri(request.getRequestURI().toString());
                ExpiresHeader expires = (ExpiresHeader) request.getHeader(ExpiresHeader.NAME);
                boolean ending = expires != null && expires.getExpires() == 0;
                return new SubscriptionEvent(from.bare(), to.bare(), ending ? SubscriptionAction.CANCEL : SubscriptionAction.REQUEST);
            }
            default:
                throw new MappingException(MappingException.Reason.UNSUPPORTED_BODY, method + " is not translated (MESSAGE, NOTIFY, PUBLISH, SUBSCRIBE are)");
        }
    }

    /** The request the endpoint would send for an event bound for SIP (headers that matter, and the body). */
    public String render(GatewayEvent e) {
        try {
            if (e instanceof ChatMessage m) {
                String type = m.htmlBody() != null ? "text/html;charset=UTF-8" : "text/plain;charset=UTF-8";
                String verb = lync ? "MESSAGE (in the IM session INVITEd for this pair)" : "MESSAGE";
                return verb + " " + addresses.formatSipUri(m.to()) + " SIP/2.0\r\nFrom: <" + addresses.formatSipUri(m.from()) + ">\r\nTo: <"
                        + addresses.formatSipUri(m.to()) + ">\r\nContent-Type: " + type + "\r\n\r\n" + (m.htmlBody() != null ? m.htmlBody() : m.body());
            }
            if (e instanceof PresenceUpdate p) {
                String type = lync ? CategoriesCodec.CONTENT_TYPE : PidfCodec.CONTENT_TYPE;
                return (lync ? "BENOTIFY" : "NOTIFY") + " (to every SIP watcher of " + addresses.formatSipUri(p.from())
                        + ")\r\nEvent: presence\r\nContent-Type: " + type + "\r\n\r\n" + presence.encode(type, p);
            }
            if (e instanceof SubscriptionEvent s) {
                String expires = s.action() == SubscriptionAction.CANCEL ? "0" : "3600";
                return "SUBSCRIBE " + addresses.formatSipUri(s.to()) + " SIP/2.0\r\nFrom: <" + addresses.formatSipUri(s.from()) + ">\r\nEvent: presence\r\nExpires: "
                        + expires + "\r\n";
            }
            if (e instanceof ChatStateChange c) {
                return (lync ? "INFO (KeyboardActivity, in the IM session)" : "MESSAGE (application/im-iscomposing+xml)") + " "
                        + addresses.formatSipUri(c.to()) + "\r\n";
            }
        } catch (RuntimeException bad) {
            return "(cannot render: " + bad.getMessage() + ")";
        }
        return e.toString();
    }

    /**
     * JAIN-SIP's parser accepts a request without the headers every request carries; the live stack
     * never hands such a request on (StrictSyntax), and the translation reads From, To and Call-ID, so
     * here it is refused with the header named (a 400's reason) rather than failing on a null.
     */
    private static void requireMandatoryHeaders(Request request) throws MappingException {
        java.util.List<String> missing = new java.util.ArrayList<>();
        for (String name : new String[] {FromHeader.NAME, ToHeader.NAME, CallIdHeader.NAME, CSeqHeader.NAME, ViaHeader.NAME}) {
            if (request.getHeader(name) == null) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new MappingException(MappingException.Reason.MALFORMED_BODY, "no " + String.join(", ", missing)
                    + " header (RFC 3261 §8.1.1: every request carries To, From, Call-ID, CSeq and Via)");
        }
    }

    /** Line endings normalised to CRLF and Content-Length set to the body actually pasted. */
    static Request parse(String raw) throws MappingException {
        String text = raw.replace("\r\n", "\n").replace("\n", "\r\n").stripLeading();
        int split = text.indexOf("\r\n\r\n");
        String head = split < 0 ? text.stripTrailing() : text.substring(0, split);
        String body = split < 0 ? "" : text.substring(split + 4);
        StringBuilder headers = new StringBuilder();
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (!lower.startsWith("content-length:") && !lower.startsWith("l:")) {
                headers.append(line).append("\r\n");
            }
        }
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        headers.append("Content-Length: ").append(bodyBytes.length).append("\r\n\r\n");
        byte[] head2 = headers.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head2.length + bodyBytes.length];
        System.arraycopy(head2, 0, all, 0, head2.length);
        System.arraycopy(bodyBytes, 0, all, head2.length, bodyBytes.length);
        try {
            SIPMessage message = new StringMsgParser().parseSIPMessage(all, true, false, null);
            if (!(message instanceof SIPRequest request)) {
                throw new MappingException(MappingException.Reason.MALFORMED_BODY, "a SIP request is needed, not a response");
            }
            requireMandatoryHeaders(request);
            return request;
        } catch (ParseException | RuntimeException e) {
            throw new MappingException(MappingException.Reason.MALFORMED_BODY, "not a SIP request: " + e.getMessage());
        }
    }
}
