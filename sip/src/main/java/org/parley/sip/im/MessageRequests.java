package org.parley.sip.im;

import java.nio.charset.Charset;
import java.util.Set;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import org.parley.presence.MappingException;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.MessageKind;

/** A page-mode MESSAGE request as a model {@link ChatMessage}: shared by the endpoint and the admin dry run. */
public final class MessageRequests {

    static final String MS_CONVERSATION_ID = "Ms-Conversation-ID";

    private MessageRequests() {
    }

    /**
     * @param gatewayDomains the domains Parley answers for on the SIP side (the XMPP domains)
     * @throws MappingException UNKNOWN_DOMAIN for another domain, UNSUPPORTED_BODY for a missing or
     *         unsupported body (→ 415), or an address problem
     */
    public static ChatMessage toChatMessage(Request request, AddressMapper addresses, Set<String> gatewayDomains) throws MappingException {
        FromHeader fromHeader = (FromHeader) request.getHeader(FromHeader.NAME);
        ToHeader toHeader = (ToHeader) request.getHeader(ToHeader.NAME);
        Address from = addresses.parseSipUri(fromHeader.getAddress().getURI().toString());
        Address to = addresses.parseSipUri(request.getRequestURI().toString());
        if (!gatewayDomains.contains(to.domain())) {
            throw new MappingException(MappingException.Reason.UNKNOWN_DOMAIN,
                    "this gateway does not serve " + to.domain() + " (To: " + toHeader.getAddress() + ")");
        }
        ContentTypeHeader ct = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        byte[] raw = request.getRawContent();
        if (ct == null || raw == null) {
            throw new MappingException(MappingException.Reason.UNSUPPORTED_BODY, "MESSAGE without a body");
        }
        MessageBodies.Kind kind = MessageBodies.kindOf(ct.getContentType(), ct.getContentSubType());
        if (kind == MessageBodies.Kind.UNSUPPORTED) {
            throw new MappingException(MappingException.Reason.UNSUPPORTED_BODY, "unsupported content type " + ct.getContentType() + "/"
                    + ct.getContentSubType() + "; accepted: " + String.join(", ", MessageBodies.ACCEPTED));
        }
        Charset charset = MessageBodies.charset(ct.getParameter("charset"));
        String text = new String(raw, charset);
        String plain = kind == MessageBodies.Kind.HTML ? MessageBodies.htmlToText(text) : text;
        String html = kind == MessageBodies.Kind.HTML ? text : null;
        Header conversation = request.getHeader(MS_CONVERSATION_ID);
        String conversationId = conversation == null ? null : conversation.toString().substring(conversation.toString().indexOf(':') + 1).strip();
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        return new ChatMessage(from, to, callId.getCallId(), MessageKind.CHAT, plain, html, conversationId, false, null);
    }
}
