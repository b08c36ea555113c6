package org.parley.sip.im;

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

    /**
     * A MESSAGE read.
     *
     * @param note what the trace should hear about the body (content of a multipart left out), {@code null} if nothing
     */
    public record Read(ChatMessage message, String note) {
    }

    private MessageRequests() {
    }

    /**
     * @param gatewayDomains the domains Parley answers for on the SIP side (the XMPP domains)
     * @throws MappingException UNKNOWN_DOMAIN for another domain, UNSUPPORTED_BODY for a missing or
     *         unsupported body (→ 415), or an address problem
     */
    public static ChatMessage toChatMessage(Request request, AddressMapper addresses, Set<String> gatewayDomains) throws MappingException {
        return read(request, addresses, gatewayDomains).message();
    }

    /** {@link #toChatMessage}, with what the trace should hear about the body. */
    public static Read read(Request request, AddressMapper addresses, Set<String> gatewayDomains) throws MappingException {
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
        String mediaType = ct.getContentType() + "/" + ct.getContentSubType();
        ImText text = ImText.read(mediaType, ct.getParameter("charset"), ct.getParameter("boundary"), raw);
        Header conversation = request.getHeader(MS_CONVERSATION_ID);
        String conversationId = conversation == null ? null : conversation.toString().substring(conversation.toString().indexOf(':') + 1).strip();
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        return new Read(new ChatMessage(from, to, callId.getCallId(), MessageKind.CHAT, text.plain(), text.html(), conversationId, false, null),
                text.note(mediaType.toLowerCase(java.util.Locale.ROOT)));
    }
}
