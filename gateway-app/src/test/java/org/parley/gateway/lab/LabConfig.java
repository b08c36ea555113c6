package org.parley.gateway.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The lab's names and Parley's configuration file for it — the file docs/lab.md shows. */
final class LabConfig {

    static final String SIP_DOMAIN = "sip.test";
    static final String XMPP_DOMAIN = "xmpp.test";
    static final String POOL = "gw.sip.test";

    private LabConfig() {
    }

    /**
     * Parley between a standard SIP server and an XMPP server: {@code dialect: rfc} (PIDF, page-mode MESSAGE),
     * Kamailio as the one front end, Prosody as the one partner (certificate required, no dialback) reached by a
     * static route, the development PKI (no tls.* set) and everything on loopback.
     */
    static Path write(Path file, Path dataDir, int sipPort, int kamailioPort, int s2sPort, int prosodyS2sPort, int adminPort)
            throws IOException {
        return Files.writeString(file, """
                # Parley in the lab (docs/lab.md): Kamailio as the SIP side, Prosody as the XMPP partner.
                server:
                  port: %d
                parley:
                  data-dir: %s
                  lync:
                    domains: [%s]
                    pool-fqdn: %s
                    computer-fqdn: 127.0.0.1
                    front-ends: ["127.0.0.1:%d"]
                    dialect: rfc
                    listen-port: %d
                  xmpp:
                    s2s:
                      port: %d
                      unknown-partners: refuse
                      partners:
                        %s: { tls: required, sasl-external: required, dialback: false }
                      routes:
                        %s: "127.0.0.1:%d"
                """.formatted(adminPort, dataDir, SIP_DOMAIN, POOL, kamailioPort, sipPort, s2sPort, XMPP_DOMAIN, XMPP_DOMAIN, prosodyS2sPort));
    }

    static String pidf(String basic, String note) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:alice@" + SIP_DOMAIN
                + "\"><tuple id=\"t1\"><status><basic>" + basic + "</basic></status><note>" + note + "</note></tuple></presence>";
    }
}
