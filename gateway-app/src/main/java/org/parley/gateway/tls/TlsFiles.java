package org.parley.gateway.tls;

import java.nio.file.Path;

/** The PEM files Parley's TLS comes from (configured, or the generated development PKI's). */
public record TlsFiles(Path certificate, Path key, char[] keyPassword, Path ca) {
}
