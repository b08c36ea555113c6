package org.parley.xmpp.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and leaf certificates made with the openssl command line (installed with the
 * interop peers), for tests of the xmpp module, which has no Bouncy Castle of its own.
 */
public final class OpensslPki {

    private final Path dir;

    public OpensslPki(Path dir) throws IOException, InterruptedException {
        this.dir = Files.createDirectories(dir);
        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", path("ca.key"), "-out", path("ca.crt"),
                "-subj", "/CN=Parley Interop CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    public Path ca() {
        return dir.resolve("ca.crt");
    }

    /** A leaf for {@code domain} (CN and SAN), serverAuth + clientAuth, signed by the CA: {@code domain.crt/.key}. */
    public void leaf(String domain) throws IOException, InterruptedException {
        Files.writeString(dir.resolve(domain + ".ext"), "subjectAltName=DNS:" + domain
                + "\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n", StandardCharsets.US_ASCII);
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", path(domain + ".key"), "-out", path(domain + ".csr"), "-subj", "/CN=" + domain);
        run("x509", "-req", "-in", path(domain + ".csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"), "-CAcreateserial",
                "-days", "2", "-out", path(domain + ".crt"), "-extfile", path(domain + ".ext"));
    }

    /**
     * A CA-signed leaf for {@code domain} whose extended key usage is {@code purposes} (openssl's names, e.g.
     * {@code serverAuth} — a 2026 Let's Encrypt certificate — or {@code emailProtection}), saved as {@code name.crt/.key}.
     */
    public void leafFor(String name, String domain, String purposes) throws IOException, InterruptedException {
        issue(name, domain, "DNS:" + domain, purposes);
    }

    /**
     * A CA-signed leaf with exactly the subjectAltName {@code sans} (openssl's syntax, e.g.
     * {@code otherName:1.3.6.1.5.5.7.8.5;UTF8:xmpp.test} for an XmppAddr), CN {@code cn}: {@code name.crt/.key}.
     */
    public void leafNamed(String name, String cn, String sans) throws IOException, InterruptedException {
        issue(name, cn, sans, "serverAuth,clientAuth");
    }

    private void issue(String name, String cn, String sans, String purposes) throws IOException, InterruptedException {
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + sans
                + "\nextendedKeyUsage=" + purposes + "\nbasicConstraints=CA:FALSE\n", StandardCharsets.US_ASCII);
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", path(name + ".key"), "-out", path(name + ".csr"), "-subj", "/CN=" + cn);
        run("x509", "-req", "-in", path(name + ".csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"), "-CAcreateserial",
                "-days", "2", "-out", path(name + ".crt"), "-extfile", path(name + ".ext"));
    }

    /**
     * A CA-signed leaf for {@code domain} valid only from {@code notBefore} to {@code notAfter}
     * ({@code YYYYMMDDHHMMSSZ}), saved as {@code name.crt/.key}: expired and not-yet-valid certificates
     * for the TLS matrix ({@code openssl x509} cannot backdate, {@code openssl ca} can).
     */
    public void leafValidBetween(String name, String domain, String notBefore, String notAfter) throws IOException, InterruptedException {
        Path db = Files.createDirectories(dir.resolve("ca-db"));
        if (!Files.exists(db.resolve("index.txt"))) {
            Files.writeString(db.resolve("index.txt"), "");
            Files.writeString(db.resolve("serial"), "1000\n");
            Files.writeString(db.resolve("ca.cnf"), "[ca]\ndefault_ca=parley\n[parley]\ndatabase=" + db.resolve("index.txt")
                    + "\nnew_certs_dir=" + db + "\nserial=" + db.resolve("serial") + "\ndefault_md=sha256\npolicy=any\n"
                    + "unique_subject=no\n[any]\ncommonName=supplied\n", StandardCharsets.US_ASCII);
        }
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=DNS:" + domain
                + "\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n", StandardCharsets.US_ASCII);
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", path(name + ".key"), "-out", path(name + ".csr"), "-subj", "/CN=" + domain);
        run("ca", "-batch", "-notext", "-config", db.resolve("ca.cnf").toString(), "-cert", path("ca.crt"), "-keyfile", path("ca.key"),
                "-in", path(name + ".csr"), "-out", path(name + ".crt"), "-startdate", notBefore, "-enddate", notAfter,
                "-extfile", path(name + ".ext"));
    }

    /** A self-signed leaf for {@code domain} (no CA): {@code domain-self.crt/.key}. */
    public void selfSigned(String domain) throws IOException, InterruptedException {
        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", path(domain + "-self.key"),
                "-out", path(domain + "-self.crt"), "-subj", "/CN=" + domain, "-addext", "subjectAltName=DNS:" + domain);
    }

    /** PKCS#12 with key and chain, password {@code changeit}. */
    public Path pkcs12(String name) throws IOException, InterruptedException {
        run("pkcs12", "-export", "-inkey", path(name + ".key"), "-in", path(name + ".crt"), "-out", path(name + ".p12"),
                "-passout", "pass:changeit");
        return dir.resolve(name + ".p12");
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    private String path(String name) {
        return dir.resolve(name).toString();
    }

    private void run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + output);
        }
    }
}
