package org.parley.sip.im;

/** The RFC 3326 {@code Reason} header value that tells a SIP sender why its request was refused. */
final class ReasonHeader {

    static final String NAME = "Reason";

    private ReasonHeader() {
    }

    /** {@code SIP;cause=<status>;text="<why>"}, the text escaped for a quoted string and kept on one line. */
    static String value(int status, String why) {
        String text = why.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", " ").replace("\n", " ");
        return "SIP;cause=" + status + ";text=\"" + text + "\"";
    }
}
