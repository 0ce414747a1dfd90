package io.vine.core.multiaddr;

import io.vine.core.multiformats.Base32;
import io.vine.core.multiformats.Base58;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/** The multibase encodings a certhash may use in text; formatting always uses base64url ({@code u}). */
final class Multibase {
    private Multibase() {}

    static byte[] decode(String text) {
        if (text.length() < 2) {
            throw new MultiaddrFormatException("invalid certhash value: '" + text + "' (expected: multibase text)");
        }
        String rest = text.substring(1);
        try {
            return switch (text.charAt(0)) {
                case 'u', 'U' -> Base64.getUrlDecoder().decode(rest);
                case 'm', 'M' -> Base64.getDecoder().decode(rest);
                case 'b' -> Base32.decode(rest);
                case 'B' -> Base32.decode(rest.toLowerCase(Locale.ROOT));
                case 'z' -> Base58.decode(rest);
                case 'f', 'F' -> HexFormat.of().parseHex(rest.toLowerCase(Locale.ROOT));
                default -> throw new IllegalArgumentException("unsupported multibase prefix '" + text.charAt(0) + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new MultiaddrFormatException("invalid certhash value: '" + text + "': " + e.getMessage(), e);
        }
    }

    static String encodeBase64Url(byte[] value) {
        return "u" + Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
