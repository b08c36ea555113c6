package org.parley.gateway.doctor;

/**
 * One line of {@code parley doctor}: what was checked, how it came out, and the concrete fix.
 *
 * @param area   certificate, hosts, dns, front end, xmpp
 * @param fix    what to do about a failure or warning; null when fine
 */
public record Check(String area, String name, Status status, String detail, String fix) {

    public enum Status {
        OK("✓"), WARN("!"), FAIL("✗");

        public final String mark;

        Status(String mark) {
            this.mark = mark;
        }
    }

    public static Check ok(String area, String name, String detail) {
        return new Check(area, name, Status.OK, detail, null);
    }

    public static Check warn(String area, String name, String detail, String fix) {
        return new Check(area, name, Status.WARN, detail, fix);
    }

    public static Check fail(String area, String name, String detail, String fix) {
        return new Check(area, name, Status.FAIL, detail, fix);
    }

    public String line() {
        return status.mark + " " + area + ": " + name + (detail == null ? "" : " — " + detail) + (fix == null ? "" : "\n    fix: " + fix);
    }
}
