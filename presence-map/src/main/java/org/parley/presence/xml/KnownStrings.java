package org.parley.presence.xml;

import java.util.Arrays;

/**
 * The element names, attribute names and namespace URIs that presence bodies repeat in every
 * document, so the parser can hand out one shared instance instead of allocating a new string for
 * each occurrence (they were a third of the allocation of a msrtc categories parse).
 *
 * <p>An immutable open-addressing table built once, keyed on the length and a few characters, so a
 * lookup costs a handful of array reads and a miss usually no comparison at all.
 */
final class KnownStrings {

    private static final String[] WORDS = {
        // PIDF (RFC 3863), data model (RFC 4479), RPID (RFC 4480)
        "presence", "tuple", "status", "basic", "contact", "note", "timestamp", "dm:person", "dm:device", "dm:note",
        "rpid:activities", "rpid:away", "rpid:busy", "rpid:meeting", "rpid:on-the-phone", "rpid:other",
        "rpid:unknown", "rpid:vacation", "rpid:appointment", "rpid:meal", "rpid:mood", "rpid:place-type",
        "person", "activities", "entity", "id", "priority",
        // msrtc categories ([MS-PRES])
        "categories", "category", "state", "availability", "activity", "custom", "body", "name", "instance",
        "publishTime", "container", "version", "expireType", "manual", "xsi:type", "token", "uri", "type",
        "static", "aggregateState", "userState", "machineState", "phoneState", "calendarState", "personal",
        "in-a-meeting", "in-a-conference", "on-the-phone", "in-presentation", "out-of-office",
        "urgent-interruptions-only", "Available", "Busy", "Away", "BeRightBack", "DoNotDisturb", "Offline", "Inactive",
        "OOF", "contactCard", "calendarData", "endpoint", "device", "services", "userProperties", "0",
        // XMPP presence (RFC 6121) and errors
        "show", "away", "chat", "dnd", "xa", "from", "to", "error", "text", "xml:lang", "lang", "en",
        "unavailable", "lync-state",
        // namespace declarations and their values
        "xmlns", "xmlns:dm", "xmlns:rpid", "xmlns:xsi", "xmlns:c", "xmlns:caps", "xmlns:ep",
        "urn:ietf:params:xml:ns:pidf", "urn:ietf:params:xml:ns:pidf:data-model", "urn:ietf:params:xml:ns:pidf:rpid",
        "urn:ietf:params:xml:ns:pidf:caps", "urn:ietf:params:xml:ns:im-iscomposing", "urn:ietf:params:xml:ns:xmpp-stanzas",
        "http://schemas.microsoft.com/2006/09/sip/categories", "http://schemas.microsoft.com/2006/09/sip/state",
        "http://schemas.microsoft.com/2006/09/sip/note", "http://www.w3.org/2001/XMLSchema-instance",
        "http://www.w3.org/XML/1998/namespace", "jabber:server", "jabber:client", "jabber:component:accept",
        "urn:parley:lync-state:0",
        // attribute values every msrtc document repeats
        "true", "false", "1", "2", "3", "100", "200", "300", "400", "32000", "user", "device", "en-US",
    };

    private static final int BITS = 9;
    /** From this length on a word is compared with the vectorised {@link Arrays#equals}. */
    private static final int LONG_WORD = 24;
    private static final String[] TABLE = build();
    private static final char[][] TABLE_CHARS = charsOf(TABLE);
    private static final int MASK = TABLE.length - 1;

    private KnownStrings() {
    }

    private static char[][] charsOf(String[] table) {
        char[][] chars = new char[table.length][];
        for (int i = 0; i < table.length; i++) {
            chars[i] = table[i] == null ? null : table[i].toCharArray();
        }
        return chars;
    }

    private static String[] build() {
        String[] table = new String[1 << BITS];
        for (String w : WORDS) {
            char[] c = w.toCharArray();
            int i = slot(c, 0, c.length);
            while (table[i] != null && !table[i].equals(w)) {
                i = (i + 1) & (table.length - 1);
            }
            table[i] = w;
        }
        return table;
    }

    /**
     * A plain loop for short words (the vectorised Arrays.equals stub costs more per call than it saves on a
     * name of a few characters); the vectorised compare for the namespace URIs, which are 40-50 characters and
     * declared again by every msrtc document.
     */
    private static boolean same(char[] word, char[] chars, int start) {
        if (word.length >= LONG_WORD) {
            return Arrays.equals(word, 0, word.length, chars, start, start + word.length);
        }
        for (int i = 0; i < word.length; i++) {
            if (word[i] != chars[start + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The table slot of {@code chars[start, start + length)}: from the length and four characters
     * (first, middle, next to last, last), not from every character. A full String-style hash is a
     * chain of dependent multiplications per character, and the parser would pay it for every name
     * and attribute value it reads; a collision only costs one more probe.
     */
    private static int slot(char[] chars, int start, int length) {
        int end = start + length - 1;
        int key = length;
        key = key * 31 + chars[start];
        key = key * 31 + chars[start + (length >> 1)];
        key = key * 31 + chars[Math.max(start, end - 1)];
        key = key * 31 + chars[end];
        return (key * 0x9E3779B9) >>> (32 - BITS);
    }

    /**
     * The shared instance equal to {@code chars[start, start + length)} ({@code length > 0}), or
     * {@code null}. A hit is confirmed character by character. (The arrays are filled once in the
     * static initialiser and never written again.)
     */
    static String lookup(char[] chars, int start, int length) {
        if (length == 0) {
            return "";
        }
        for (int i = slot(chars, start, length);; i = (i + 1) & MASK) {
            char[] w = TABLE_CHARS[i];
            if (w == null) {
                return null;
            }
            if (w.length == length && same(w, chars, start)) {
                return TABLE[i];
            }
        }
    }
}
