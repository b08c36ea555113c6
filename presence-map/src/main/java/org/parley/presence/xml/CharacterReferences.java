package org.parley.presence.xml;

import org.parley.presence.MappingException;

/**
 * What a reference to a character stands for: the five entities XML predefines ({@code &lt; &gt; &amp; &quot;
 * &apos;}) and numeric character references ({@code &#233;}, {@code &#xE9;}). The one place both readers of them
 * share: the strict {@link XmlReader} ({@link #xml}), which refuses anything else, and the HTML-to-text rendering of
 * instant messages in the sip module ({@link #html}), which keeps what it does not know as written.
 *
 * <p>A reference is given as the range of its name in a string, the characters between {@code '&'} and {@code ';'}:
 * neither caller has to cut it out first. Finding where a reference ends is the caller's (the XML reader caps the
 * length and refuses an unterminated one; the HTML rendering keeps a lone {@code '&'}).
 */
public final class CharacterReferences {

    private static final String[] PREDEFINED_NAMES = {"lt", "gt", "amp", "quot", "apos"};
    private static final String[] PREDEFINED_CHARS = {"<", ">", "&", "\"", "'"};

    private CharacterReferences() {
    }

    /**
     * The replacement of the XML reference named {@code text[from, to)} (XML 1.0 §4.1, §4.6). Anything but the five
     * predefined entities (a body has no DTD that could declare another), a decimal {@code #n} or a hexadecimal
     * {@code #xh} (lower-case x) naming an XML character is refused as a malformed body.
     */
    public static String xml(String text, int from, int to) throws MappingException {
        String predefined = predefined(text, from, to);
        if (predefined != null) {
            return predefined;
        }
        if (to == from || text.charAt(from) != '#') {
            throw XmlScanner.malformed("undeclared entity &" + text.substring(from, to) + ";");
        }
        boolean hex = to > from + 1 && text.charAt(from + 1) == 'x';
        int digits = hex ? from + 2 : from + 1;
        int cp;
        try {
            cp = Integer.parseInt(text, digits, to, hex ? 16 : 10);
        } catch (NumberFormatException e) {
            throw XmlScanner.malformed("invalid character reference &" + text.substring(from, to) + ";");
        }
        // Integer.parseInt takes a leading sign, which XML's CharRef does not
        char first = text.charAt(digits);
        if (first == '+' || first == '-' || !isXmlChar(cp)) {
            throw XmlScanner.malformed("character reference &" + text.substring(from, to) + "; is not an XML character");
        }
        return new String(Character.toChars(cp));
    }

    /**
     * The replacement of the HTML reference named {@code text[from, to)}, or {@code null} for one this does not know.
     * Lenient, as browsers are with the bodies Lync clients write: besides the five, {@code &nbsp;} (as a plain space,
     * which is what a text rendering wants) and a decimal or hexadecimal ({@code #x} or {@code #X}) reference to any
     * code point.
     */
    public static String html(String text, int from, int to) {
        String predefined = predefined(text, from, to);
        if (predefined != null) {
            return predefined;
        }
        if (to - from == 4 && text.startsWith("nbsp", from)) {
            return " ";
        }
        if (to == from || text.charAt(from) != '#') {
            return null;
        }
        boolean hex = to > from + 1 && (text.charAt(from + 1) == 'x' || text.charAt(from + 1) == 'X');
        try {
            return new String(Character.toChars(Integer.parseInt(text, hex ? from + 2 : from + 1, to, hex ? 16 : 10)));
        } catch (IllegalArgumentException notANumberOrNoCodePoint) {
            return null;
        }
    }

    /** The replacement of one of the five entities XML predefines, or {@code null}; compared in place, no string made. */
    private static String predefined(String text, int from, int to) {
        int length = to - from;
        for (int i = 0; i < PREDEFINED_NAMES.length; i++) {
            String name = PREDEFINED_NAMES[i];
            if (name.length() == length && text.startsWith(name, from)) {
                return PREDEFINED_CHARS[i];
            }
        }
        return null;
    }

    /** XML 1.0 §2.2 Char. */
    private static boolean isXmlChar(int cp) {
        return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
    }
}
