package org.parley.presence.address;

import static org.parley.presence.address.EchoedInput.printable;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;

/** The %-escapes of a SIP URI's user part and parameters (RFC 3261 §19.1.2, §25.1): UTF-8 octets as {@code %XX}. */
final class PercentEncoding {

    private PercentEncoding() {
    }

    /** {@code s} with its %-escapes decoded as UTF-8; {@code whole} is the URI, for messages. */
    static String decode(String s, String whole) throws MappingException {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new MappingException(Reason.MALFORMED_ADDRESS, "truncated %-escape in '" + printable(whole) + "'");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new MappingException(Reason.MALFORMED_ADDRESS, "invalid %-escape in '" + printable(whole) + "'");
                }
                bytes.put((byte) (hi * 16 + lo));
                i += 2;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "%-escapes in '" + printable(whole) + "' are not UTF-8");
        }
    }

    /** RFC 3261 user = 1*( unreserved / escaped / user-unreserved ). */
    static void encodeUser(String user, StringBuilder out) {
        // ';' and '?' are legal in a user part but trip up many parsers: always escape them.
        encode(user, out, "-_.!~*'()&=+$,/");
    }

    static void encodeParam(String value, StringBuilder out) {
        encode(value, out, "-_.!~*'()[]/:&+$");
    }

    private static void encode(String s, StringBuilder out, String allowedMarks) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (c < 0x80 && allowedMarks.indexOf(c) >= 0);
            if (plain) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
    }
}
