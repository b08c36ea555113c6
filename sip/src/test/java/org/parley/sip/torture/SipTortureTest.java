package org.parley.sip.torture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Receipt;
import org.parley.sip.SipEndpoint;
import org.parley.sip.SipInbound;
import org.parley.sip.SipRefusal;
import org.parley.sip.config.HostPort;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.config.SipTransport;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.TestPki;
import org.parley.sip.tls.TlsMaterial;

/**
 * RFC 4475 (SIP torture test messages) at Parley's SIP listener over mutual TLS, with the RFC's own bytes:
 * the 49 messages of §3 as Appendix A.1's archive carries them (src/test/resources/rfc4475/dat, see its README),
 * each written unchanged on a new connection. Parley answers on the connection a request came in on whatever its
 * Via says (RFC 3261 §18.2.2), so nothing needs rewriting; on a stream, though, §18.3 frames a message by its
 * Content-Length, so the messages the RFC built for UDP framing are judged by what a stream allows (see the rows).
 *
 * <p>One row per message: the outcome RFC 4475 recommends for a UAS (the section is cited) and the headers that
 * outcome must carry (Allow on 405 / 501, Unsupported on 420, Accept on 415). After every message a fresh OPTIONS
 * on a new connection must be answered 200. Each row gets an endpoint of its own, serving the RFC's example
 * domains (example.com, .net, .org) so that its requests are addressed to the UAS under test, as the RFC's
 * outcomes presume; the RFC's messages reuse Via branches, which one endpoint would take for one transaction
 * ({@link #requestsThatShareOnlyTheirBranchAreTwoTransactions} keeps that case).
 */
class SipTortureTest {

    /**
     * What RFC 4475 asks of a UAS for one message.
     *
     * @param statuses   the acceptable final statuses; empty: no answer (only where none is possible)
     * @param headers    headers the answer must carry, with values it must list (case-insensitive)
     * @param closes     after its answer Parley closes the connection (the framing is lost on a stream)
     * @param why        the RFC's words, and why this is the outcome on a stream
     */
    record Expected(Set<Integer> statuses, Map<String, List<String>> headers, boolean closes, String why) {

        static Expected answer(int status, String why) {
            return new Expected(Set.of(status), Map.of(), false, why);
        }

        static Expected oneOf(String why, Integer... statuses) {
            return new Expected(Set.of(statuses), Map.of(), false, why);
        }

        /** No answer: the RFC's outcome cannot be produced on a stream (or there is nothing to answer). */
        static Expected none(String why) {
            return new Expected(Set.of(), Map.of(), false, why);
        }

        Expected with(String header, String... values) {
            Map<String, List<String>> h = new LinkedHashMap<>(headers);
            h.put(header, List.of(values));
            return new Expected(statuses, h, closes, why);
        }

        Expected thenClosed() {
            return new Expected(statuses, headers, true, why);
        }

        Expected allow() {
            return with("Allow", "INVITE", "MESSAGE", "OPTIONS");
        }

        boolean silent() {
            return statuses.isEmpty();
        }
    }

    static Stream<Arguments> rfc4475() {
        return Stream.of(
                // §3.1.1 Valid Messages: a parser must accept them; what follows is ordinary UAS processing
                row("wsinv", "3.1.1.1", Expected.answer(481, "well formed (folding, odd LWS and case, compact forms); its To "
                        + "carries a tag and no dialog matches: 481 (RFC 3261 §12.2.2)")),
                row("intmeth", "3.1.1.2", Expected.answer(501, "an unknown method: 'Endpoints will generate a 501 listing the methods "
                        + "they understand in an Allow header field'").allow()),
                row("esc01", "3.1.1.3", Expected.answer(488, "well formed, %-escapes are equivalent to their characters: an INVITE "
                        + "to sips:user@example.com (escaped) at example.net offering audio/video only: 488 (RFC 3261 §21.4.26)")),
                row("escnull", "3.1.1.4", Expected.answer(405, "well formed; a REGISTER and Parley is no registrar: 'Endpoints choosing "
                        + "not to act as registrars will simply reject the request. A 405 Method Not Allowed is appropriate' (§3.3.7)")
                        .allow()),
                row("esc02", "3.1.1.5", Expected.answer(501, "'The request method is unknown. It is NOT equivalent to REGISTER... An "
                        + "endpoint would reject this message with a 501'").allow()),
                row("lwsdisp", "3.1.1.6", Expected.answer(200, "'Elements should accept this request as well formed': OPTIONS 200")
                        .allow()),
                row("longreq", "3.1.1.7", Expected.answer(488, "a well-formed INVITE with long values offering audio/video only: 488")),
                row("dblreq", "3.1.1.8", Expected.answer(405, "'handle the REGISTER request normally': 405 (no registrar). On a stream "
                        + "the trailing INVITE is not datagram noise but the next request (RFC 3261 §18.3); it is answered after").allow()),
                row("semiuri", "3.1.1.9", Expected.answer(200, "'Receiving elements will accept this as a well-formed message': OPTIONS 200")
                        .allow()),
                row("transports", "3.1.1.10", Expected.answer(200, "'Parsers must accept this message as well formed': OPTIONS 200")
                        .allow()),
                row("mpart01", "3.1.1.11", Expected.answer(415, "well formed 'even if the application above the parser does not support "
                        + "multipart/signed'; a MESSAGE body Parley cannot take is 415 with Accept (RFC 3261 §8.2.3)")
                        .with("Accept", "text/plain")),
                row("unreason", "3.1.1.12", Expected.none("a well-formed 200 matching no transaction: a response is never answered "
                        + "(RFC 3261 §18.1.2 discards it)")),
                row("noreason", "3.1.1.13", Expected.none("a well-formed 100 matching no transaction: never answered")),
                // §3.1.2 Invalid Messages
                row("badinv01", "3.1.2.1", Expected.answer(400, "'should respond with a 400 Bad Request error'")),
                row("clerr", "3.1.2.2", Expected.none("Content-Length 9999, 154 octets follow: 'If this message arrived over a "
                        + "stream-based transport ... wait for more data on the stream and close the connection if none is "
                        + "forthcoming'; the 400 the RFC asks over UDP needs the datagram's end")),
                row("ncl", "3.1.2.3", Expected.answer(400, "Content-Length -999: 'should respond with an error ... over TCP, the framing "
                        + "error is not recoverable, and the connection should be closed'").thenClosed()),
                row("scalar02", "3.1.2.4", Expected.answer(400, "CSeq > 2**32-1: 'should respond with a 400 Bad Request due to the CSeq "
                        + "error'")),
                row("scalarlg", "3.1.2.5", Expected.none("a response with overlarge values: 'will simply discard it'")),
                row("quotbal", "3.1.2.6", Expected.answer(400, "unterminated quoted display name: 'should return a 400 Bad Request'")),
                row("ltgtruri", "3.1.2.7", Expected.answer(400, "'<>' around the Request-URI: 'reasonable always to reject ... with a 400'")),
                row("lwsruri", "3.1.2.8", Expected.answer(400, "LWS in the Request-URI: 'should respond with a 400 Bad Request'")),
                row("lwsstart", "3.1.2.9", Expected.answer(400, "several SP in the Request-Line: 'acceptable to reject this request as "
                        + "malformed'")),
                row("trws", "3.1.2.10", Expected.answer(400, "SP after the SIP-Version: 'acceptable to reject this request as malformed'")),
                row("escruri", "3.1.2.11", Expected.answer(400, "escaped headers in the Request-URI (RFC 3261 §19.1.1: not allowed "
                        + "there): 'acceptable ... to reject this request with a 400 Bad Request'")),
                row("baddate", "3.1.2.12", Expected.answer(488, "a non-GMT Date: 'an element shouldn't [reject it] unless the contents "
                        + "of the Date header field were actually important to its processing'; Parley ignores Date, so the INVITE is "
                        + "processed: audio/video only, 488")),
                row("regbadct", "3.1.2.13", Expected.answer(400, "name-addr with '?' headers not in <>: 'reasonable ... to respond "
                        + "with a 400 Bad Request'")),
                row("badaspec", "3.1.2.14", Expected.answer(400, "spaces inside an addr-spec: 'reasonable to reject this request with a "
                        + "400 Bad Request'")),
                row("baddn", "3.1.2.15", Expected.none("the RFC asks 400, but the archive's message has no blank line ending its "
                        + "header block: over UDP the datagram ends it, on a stream the request never completes, so no answer can "
                        + "be formed")),
                row("badvers", "3.1.2.16", Expected.answer(505, "SIP/7.0: 'should respond to the request with a 505 Version Not "
                        + "Supported error'")),
                row("mismatch01", "3.1.2.17", Expected.answer(400, "CSeq method INVITE on an OPTIONS: 'Any element receiving this "
                        + "request will respond with a 400 Bad Request'")),
                row("mismatch02", "3.1.2.18", Expected.answer(501, "unknown method with a CSeq mismatch: 'should respond with a 501 Not "
                        + "Implemented. A 400 Bad Request is also acceptable, but choosing a 501 ... has better future-proof "
                        + "characteristics'").allow()),
                row("bigcode", "3.1.2.19", Expected.none("response code 4294967301: 'should simply drop it'")),
                // §3.2 Transaction Layer Semantics
                row("badbranch", "3.2.1", Expected.oneOf("branch=z9hG4bK with no identifier: 'could reject the request with a 400 "
                        + "Response ... or it could fall back to the RFC 2543-style transaction identifier' (then OPTIONS 200)", 400, 200)),
                // §3.3 Application-Layer Semantics
                row("insuf", "3.3.1", Expected.answer(400, "no Call-ID, From, To: 'Ideally, it will respond with a 400 Bad Request'")),
                row("unkscm", "3.3.2", Expected.answer(416, "'will reject it with a 416 Unsupported URI Scheme response'")),
                row("novelsc", "3.3.3", Expected.answer(416, "soap.beep: 'If an element will never accept this scheme as meaningful in "
                        + "a Request-URI, it is appropriate to treat it as unknown and return a 416'")),
                row("unksm2", "3.3.4", Expected.answer(405, "well formed; a REGISTER, and Parley is no registrar: 405 (§3.3.7) "
                        + "before any look at the To (RFC 3261 §8.2.1)").allow()),
                row("bext01", "3.3.5", Expected.answer(420, "'will respond with a 420 Bad Extension response, containing an "
                        + "Unsupported header field listing these features from ... the Require' header field (a UAS)")
                        .with("Unsupported", "nothingSupportsThis", "nothingSupportsThisEither")),
                row("invut", "3.3.6", Expected.answer(415, "body application/unknownformat: 'An endpoint receiving this request would "
                        + "reject it with a 415 Unsupported Media Type error' (with Accept, RFC 3261 §8.2.3)")
                        .with("Accept", "application/sdp")),
                row("regaut01", "3.3.7", Expected.answer(405, "'Endpoints choosing not to act as registrars will simply reject the "
                        + "request. A 405 Method Not Allowed is appropriate'").allow()),
                row("multi01", "3.3.8", Expected.answer(400, "several Call-ID, To, From, Max-Forwards, CSeq: 'would respond with a "
                        + "400 Bad Request error'")),
                row("mcl01", "3.3.9", Expected.answer(400, "Content-Length 13 and 5: 'should respond with an error ... If a request "
                        + "like this arrives over TCP, the framing error is not recoverable, and the connection should be closed'")
                        .thenClosed()),
                row("bcast", "3.3.10", Expected.none("a 200 with a broadcast Via: 'an endpoint receiving this message should simply "
                        + "discard it'")),
                row("zeromf", "3.3.11", Expected.answer(200, "Max-Forwards 0 at the UAS: 'An endpoint should process the request as if "
                        + "the Max-Forwards field value were still positive': OPTIONS 200").allow()),
                row("cparam01", "3.3.12", Expected.answer(405, "a REGISTER that 'should succeed' at a registrar; Parley is none: 405 "
                        + "(§3.3.7)").allow()),
                row("cparam02", "3.3.13", Expected.answer(405, "a REGISTER; Parley is no registrar: 405 (§3.3.7)").allow()),
                row("regescrt", "3.3.14", Expected.answer(405, "a REGISTER; Parley is no registrar: 405 (§3.3.7)").allow()),
                row("sdp01", "3.3.15", Expected.oneOf("Accept: text/nobodyKnowsThis on an INVITE: 'could respond with a 406 Not "
                        + "Acceptable ... It is also appropriate to respond with a 400 Bad Request'", 406, 400)),
                // §3.4 Backward Compatibility
                row("inv2543", "3.4.1", Expected.answer(400, "RFC 2543 syntax, accepted over UDP where 'The body is assumed to be all "
                        + "octets in the datagram'; on a stream Content-Length is mandatory (RFC 3261 §18.3, §20.14), so the body "
                        + "cannot be framed and what is left is an INVITE without Contact: 400 (RFC 3261 §8.1.1.8)")));
    }

    private static Arguments row(String name, String section, Expected expected) {
        return Arguments.of(name, section, expected);
    }

    /** What the endpoint reported as refused below its handlers (for the trace). */
    private static final Queue<SipRefusal> REFUSALS = new ConcurrentLinkedQueue<>();

    /** Answers Parley's SIP module gives before any handler runs; each must reach the trace. */
    private static final Set<Integer> REFUSED_BELOW_THE_HANDLERS = Set.of(400, 416, 420, 505);

    private static final AtomicInteger FRESH = new AtomicInteger();

    private static TestPki pki;
    private static TestPki.Issued ca;
    private static TlsMaterial gatewayTls;
    private static SSLContext frontEnd;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki();
        ca = pki.newCa("Torture CA");
        TestPki.Issued gw = pki.newLeaf(ca, "gw.contoso.com", "127.0.0.1");
        TestPki.Issued fe = pki.newLeaf(ca, "fe1.contoso.com", "127.0.0.1");
        gatewayTls = new TlsMaterial(List.of(gw.certificate()), gw.keys().getPrivate(), List.of(ca.certificate()), Set.of("fe1.contoso.com"));
        frontEnd = new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(), List.of(ca.certificate()), Set.of("gw.contoso.com"))
                .sslContext(r -> { });
    }

    /**
     * A started Parley SIP endpoint on mutual TLS. The RFC's requests are for users at example.com / .net / .org:
     * here those are domains Parley serves, so that they are addressed to the UAS under test.
     */
    static final class Uas implements AutoCloseable {
        final SipEndpoint parley;
        final int port;

        Uas() throws Exception {
            port = FreePorts.next();
            Set<String> served = Set.of("xmpp.test", "example.com", "example.net", "example.org");
            SipEndpointConfig config = new SipEndpointConfig("gw.contoso.com", "127.0.0.1", "127.0.0.1", port, SipTransport.TLS,
                    gatewayTls, List.of(new HostPort("127.0.0.1", FreePorts.next())), Duration.ofSeconds(2), Duration.ofSeconds(3),
                    Duration.ofSeconds(30), served, null, null);
            SipInbound inbound = m -> CompletableFuture.completedFuture(new Receipt(m.to(), m.from(), m.id()));
            org.parley.sip.SipWireTap tap = new org.parley.sip.SipWireTap() {
                @Override
                public void onRefused(SipRefusal refusal) {
                    REFUSALS.add(refusal);
                }
            };
            List<String> mapped = new ArrayList<>(served);
            mapped.add("contoso.com");
            parley = new SipEndpoint(config, AddressMapper.forDomains(mapped),
                    new org.parley.sip.SipSides(inbound, tap, org.parley.sip.subscription.WatcherDialogReplication.NONE), Clock.systemUTC(),
                    line -> { });
            parley.start();
        }

        @Override
        public void close() {
            parley.close();
        }
    }

    @ParameterizedTest(name = "§{1} {0}")
    @MethodSource("rfc4475")
    void eachMessageGetsTheOutcomeRfc4475RecommendsAndParleyAnswersAFreshRequestAfter(String name, String section, Expected expected)
            throws Exception {
        try (Uas uas = new Uas()) {
            replay(uas, name, section, expected);
        }
    }

    /**
     * Each row has an endpoint of its own: the RFC's messages are independent tests and reuse Via branches
     * ({@code z9hG4bKkdjuw} in 20 of them) from different hosts, which JAIN-SIP would take for one transaction
     * ({@link #requestsThatShareOnlyTheirBranchAreTwoTransactions}).
     */
    private static void replay(Uas uas, String name, String section, Expected expected) throws Exception {
        REFUSALS.clear();
        byte[] message = dat(name);
        Answer answer = sendAlone(uas.port, message, expected);
        System.out.println("RFC 4475 §" + section + " " + name + " -> " + (answer == null ? "no answer" : answer.describe()));

        SoftAssertions soft = new SoftAssertions();
        if (expected.silent()) {
            soft.assertThat(answer).as("§%s %s: no answer (%s) — got %s", section, name, expected.why(),
                    answer == null ? null : answer.describe()).isNull();
        } else {
            soft.assertThat(answer == null ? 0 : answer.status()).as("§%s %s: %s — got %s", section, name, expected.why(),
                    answer == null ? "no answer" : answer.describe()).isIn(expected.statuses());
            if (answer != null && expected.statuses().contains(answer.status())) {
                expected.headers().forEach((header, values) -> {
                    String value = answer.header(header);
                    soft.assertThat(value).as("§%s %s: the %d carries %s", section, name, answer.status(), header).isNotNull();
                    for (String v : values) {
                        soft.assertThat(value == null ? "" : value.toLowerCase(Locale.ROOT)).as("§%s %s: %s lists %s", section, name,
                                header, v).contains(v.toLowerCase(Locale.ROOT));
                    }
                });
                if (expected.closes()) {
                    soft.assertThat(answer.closed()).as("§%s %s: after the %d the connection is closed: %s", section, name,
                            answer.status(), expected.why()).isTrue();
                }
            }
        }
        soft.assertThat(freshOptions(uas.port)).as("after §%s %s Parley answers a fresh OPTIONS on a new connection", section, name)
                .isEqualTo(200);
        if (answer != null && REFUSED_BELOW_THE_HANDLERS.contains(answer.status())) {
            String key = keyOf(message);
            List<SipRefusal> reported = refusalsFor(key);
            soft.assertThat(reported).as("§%s %s answered %d: the refusal reaches the trace", section, name, answer.status())
                    .anyMatch(r -> r.status() == answer.status());
        }
        soft.assertAll();
    }

    /** Every §3 message of the archive has exactly one row, and nothing else has one. */
    @Test
    void theTableHasOneRowPerRfc4475Message() throws Exception {
        List<String> rows = rfc4475().map(a -> (String) a.get()[0]).toList();
        Set<String> messages = new TreeSet<>(archive().keySet());
        messages.remove("test"); // in the archive, described by no section of the RFC
        assertThat(rows).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(rows)).isEqualTo(messages);
        assertThat(rows).hasSize(49);
    }

    /** The .dat files are the archive's members byte for byte (nothing in the checkout rewrote a line end). */
    @Test
    void theDatFilesAreAppendixA1sArchiveByteForByte() throws Exception {
        Map<String, byte[]> archive = archive();
        assertThat(archive).hasSize(50);
        archive.forEach((name, bytes) -> {
            try {
                assertThat(dat(name)).as("%s.dat", name).isEqualTo(bytes);
            } catch (IOException e) {
                throw new AssertionError(name, e);
            }
        });
    }

    @Test
    void responsesNobodyAskedForLeaveTheConnectionUsable() throws Exception {
        try (Uas uas = new Uas(); SSLSocket s = connect(uas.port)) {
            OutputStream out = s.getOutputStream();
            out.write(dat("unreason"));
            out.write(dat("bigcode"));
            out.write(dat("bcast"));
            out.write(options("stray-responses").getBytes(StandardCharsets.UTF_8));
            out.flush();
            Answer answer = readFinal(s.getInputStream(), 5_000);
            assertThat(answer).isNotNull();
            assertThat(answer.status()).isEqualTo(200);
        }
    }

    /**
     * RFC 3261 §17.2.3: a request matches a server transaction by branch, sent-by and method, so RFC 4475's
     * {@code lwsdisp} (OPTIONS from funky.example.com) is a transaction of its own even though {@code esc01} (INVITE
     * from host5.example.net) used the same branch {@code z9hG4bKkdjuw} just before. Both are answered, each on its
     * own connection, as when each is replayed alone.
     */
    @Test
    void requestsThatShareOnlyTheirBranchAreTwoTransactions() throws Exception {
        try (Uas uas = new Uas()) {
            Answer invite = sendAlone(uas.port, dat("esc01"), Expected.answer(488, "esc01"));
            assertThat(invite).as("esc01 alone").isNotNull();
            assertThat(invite.status()).isEqualTo(488);
            Answer options = sendAlone(uas.port, dat("lwsdisp"), Expected.answer(200, "lwsdisp"));
            assertThat(options == null ? "no answer" : options.describe())
                    .as("lwsdisp after esc01: same branch, another sent-by and method, so another transaction (RFC 3261 §17.2.3)")
                    .startsWith("SIP/2.0 200");
        }
    }

    // ------------------------------------------------------------------ the wire

    /** A final response: its status, its header lines (unfolded), whether the peer closed after it. */
    record Answer(int status, String statusLine, List<String> headers, boolean closed) {

        String header(String name) {
            List<String> values = new ArrayList<>();
            for (String h : headers) {
                int colon = h.indexOf(':');
                if (colon > 0 && h.substring(0, colon).strip().equalsIgnoreCase(name)) {
                    values.add(h.substring(colon + 1).strip());
                }
            }
            return values.isEmpty() ? null : String.join(", ", values);
        }

        String describe() {
            List<String> shown = new ArrayList<>();
            for (String name : List.of("Allow", "Unsupported", "Accept", "Warning", "Reason")) {
                if (header(name) != null) {
                    shown.add(name + ": " + header(name));
                }
            }
            return statusLine + (shown.isEmpty() ? "" : " [" + String.join("; ", shown) + "]") + (closed ? " (then closed)" : "");
        }

        /** This answer, noting whether the stream ends within {@code millis} (what follows the answer is ignored). */
        Answer closedWithin(InputStream in, long millis) {
            long deadline = System.currentTimeMillis() + millis;
            try {
                while (System.currentTimeMillis() < deadline) {
                    try {
                        if (in.read() < 0) {
                            return new Answer(status, statusLine, headers, true);
                        }
                    } catch (SocketTimeoutException slow) {
                        // poll on
                    }
                }
            } catch (IOException reset) {
                return new Answer(status, statusLine, headers, true);
            }
            return this;
        }
    }

    /** The message alone on a new connection; its first final answer, null for none. */
    private static Answer sendAlone(int port, byte[] message, Expected expected) throws IOException {
        try (SSLSocket s = connect(port)) {
            s.getOutputStream().write(message);
            s.getOutputStream().flush();
            Answer answer = readFinal(s.getInputStream(), expected.silent() ? 2_000 : 5_000);
            return answer != null && expected.closes() ? answer.closedWithin(s.getInputStream(), 3_000) : answer;
        }
    }

    private static SSLSocket connect(int port) throws IOException {
        SSLSocket s = (SSLSocket) frontEnd.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        s.setTcpNoDelay(true);
        s.setSoTimeout(5_000); // the handshake waits on a busy 2-core machine
        s.startHandshake();
        s.setSoTimeout(250); // readFinal polls against its own deadline
        return s;
    }

    /** The first final (non-1xx) response read, null if the stream ends or the time runs out first. */
    private static Answer readFinal(InputStream in, long timeoutMillis) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        String statusLine = null;
        List<String> headers = new ArrayList<>();
        while (System.currentTimeMillis() < deadline) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException slow) {
                continue;
            } catch (IOException reset) {
                return null;
            }
            if (b < 0) {
                return null;
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String l = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (l.endsWith("\r")) {
                l = l.substring(0, l.length() - 1);
            }
            if (statusLine == null) {
                if (l.startsWith("SIP/2.0 ") && l.length() >= 11) {
                    statusLine = l;
                }
                continue;
            }
            if (!l.isEmpty()) {
                if ((l.startsWith(" ") || l.startsWith("\t")) && !headers.isEmpty()) {
                    headers.set(headers.size() - 1, headers.get(headers.size() - 1) + " " + l.strip());
                } else {
                    headers.add(l);
                }
                continue;
            }
            int status = Integer.parseInt(statusLine.substring(8, 11));
            if (status >= 200) {
                return new Answer(status, statusLine, List.copyOf(headers), false);
            }
            statusLine = null; // a provisional response: wait for the final one
            headers.clear();
        }
        return null;
    }

    private static String options(String branch) {
        return "OPTIONS sip:gw.contoso.com SIP/2.0\r\nVia: SIP/2.0/TLS fe1.contoso.com;branch=z9hG4bK-" + branch + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:fe1@contoso.com>;tag=" + branch + "\r\nTo: <sip:gw.contoso.com>\r\n"
                + "Call-ID: " + branch + "@fe1.contoso.com\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    }

    /** A new OPTIONS on a new connection; its final status, 0 for none. */
    private static int freshOptions(int port) throws Exception {
        try (SSLSocket s = connect(port)) {
            s.getOutputStream().write(options("fresh-" + FRESH.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            Answer a = readFinal(s.getInputStream(), 5_000);
            return a == null ? 0 : a.status();
        }
    }

    // ------------------------------------------------------------------ the trace

    /** What identifies a torture message in a report: its Call-ID (each is unique to its case), else its Via branch. */
    private static String keyOf(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        Matcher callId = Pattern.compile("(?mi)^(?:Call-ID|i)[ \\t]*:[ \\t]*(\\S+)").matcher(text);
        if (callId.find()) {
            return callId.group(1);
        }
        Matcher branch = Pattern.compile("branch=([^;\\s]+)").matcher(text);
        assertThat(branch.find()).as("a Call-ID or a Via branch in the test message").isTrue();
        return branch.group(1);
    }

    /** The refusals reported for this message; the endpoint answers before it reports, so this waits up to 5 s for one. */
    private static List<SipRefusal> refusalsFor(String key) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            List<SipRefusal> reported = REFUSALS.stream().filter(r -> r.raw() != null && r.raw().contains(key)).toList();
            if (!reported.isEmpty() || System.nanoTime() > deadline) {
                return reported;
            }
            Thread.sleep(10);
        }
    }

    // ------------------------------------------------------------------ the bytes

    /** The RFC's message as the archive carries it: no line end or octet changed. */
    static byte[] dat(String name) throws IOException {
        try (InputStream in = SipTortureTest.class.getResourceAsStream("/rfc4475/dat/" + name + ".dat")) {
            if (in == null) {
                throw new IOException("no /rfc4475/dat/" + name + ".dat");
            }
            return in.readAllBytes();
        }
    }

    /** Appendix A.1's archive, decoded from the base64 block kept beside the files: member name (no .dat) to bytes. */
    static Map<String, byte[]> archive() throws IOException {
        byte[] b64;
        try (InputStream in = SipTortureTest.class.getResourceAsStream("/rfc4475/dat/appendix-a.b64")) {
            b64 = in.readAllBytes();
        }
        byte[] tar;
        try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(java.util.Base64.getMimeDecoder().decode(b64)))) {
            tar = gz.readAllBytes(); // GZIPInputStream checks the CRC-32 and length trailer
        }
        Map<String, byte[]> members = new LinkedHashMap<>();
        for (int at = 0; at + 512 <= tar.length; ) {
            byte[] header = Arrays.copyOfRange(tar, at, at + 512);
            if (header[0] == 0) {
                break; // the end-of-archive blocks
            }
            String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replaceAll("\u0000.*", "");
            int size = Integer.parseInt(new String(header, 124, 12, StandardCharsets.US_ASCII).replaceAll("[\u0000 ]", ""), 8);
            assertThat(name).as("archive member").endsWith(".dat");
            members.put(name.substring(0, name.length() - 4), Arrays.copyOfRange(tar, at + 512, at + 512 + size));
            at += 512 + (size + 511) / 512 * 512;
        }
        return members;
    }
}
