package org.parley.presence.address;

/** Input echoed in error messages: cut and stripped of controls, so that a message stays one readable line. */
final class EchoedInput {

    private EchoedInput() {
    }

    static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        StringBuilder b = new StringBuilder(cut.length());
        cut.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                b.append('?');
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }
}
