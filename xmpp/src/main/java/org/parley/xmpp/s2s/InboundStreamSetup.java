package org.parley.xmpp.s2s;

import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.stream.XmppWireTap;
import org.xmpp.packet.Packet;

/**
 * What every inbound stream of one {@link InboundServerListener} shares.
 *
 * @param replies       where replies to inbound stanzas go (stanza errors, IQ results): s2s streams are one-way,
 *                      so not back on the stream they came on
 * @param dialbackKeys  keys this gateway gave out as originating server, to answer partners' db:verify; {@code null}: none
 * @param verifier      checks partners' dialback keys; {@code null}: inbound dialback is not offered
 * @param verifications where those checks run, so that a slow authoritative server holds up no stream
 */
record InboundStreamSetup(S2sListenerConfig config, S2sTls tls, PartnerPolicy policy, InboundDispatcher dispatcher,
                          Consumer<Packet> replies, DialbackKeys dialbackKeys, DialbackVerifier verifier,
                          ExecutorService verifications, XmppWireTap tap) {
}
