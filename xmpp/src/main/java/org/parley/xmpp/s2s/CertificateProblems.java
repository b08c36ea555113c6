package org.parley.xmpp.s2s;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Date;

/**
 * Turns the JDK's certificate failures into the reason an operator needs in the log ("expired on …",
 * "not valid before …", "not issued by a trusted CA", "names other.test, not xmpp.test"): JSSE's own
 * messages ("PKIX path validation failed: … validity check failed") hide which check failed.
 */
final class CertificateProblems {

    private CertificateProblems() {
    }

    /** The reason behind a failed chain check or handshake, from the most specific cause in the chain. */
    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return "certificate expired (" + t.getMessage() + ")";
            }
            if (t instanceof CertificateNotYetValidException) {
                return "certificate not yet valid (" + t.getMessage() + ")";
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return "certificate expired";
            }
            if (t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return "certificate not yet valid";
            }
            String m = String.valueOf(t.getMessage());
            if (m.contains("unable to find valid certification path") || m.contains("no trust anchor")
                    || t instanceof java.security.cert.CertPathBuilderException) {
                return "certificate not issued by a trusted CA (" + m + ")";
            }
            if (m.contains("Extended key usage")) {
                return "certificate's extended key usage does not permit this use (" + m + ")";
            }
            if (m.contains("No subject alternative") || m.contains("No name matching")) {
                return "certificate name mismatch (" + m + ")";
            }
        }
        return String.valueOf(failure.getMessage());
    }

    /** Validity of the leaf at {@code now}, checked first so that an expired but trusted chain says so. */
    static String validity(X509Certificate leaf, Date now) {
        if (now.after(leaf.getNotAfter())) {
            return "certificate expired on " + leaf.getNotAfter().toInstant();
        }
        if (now.before(leaf.getNotBefore())) {
            return "certificate not valid before " + leaf.getNotBefore().toInstant();
        }
        return null;
    }
}
