package io.vine.core.multiformats;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * RFC 4648 base32 in lower case without padding (multibase prefix {@code b}), the text form of
 * CIDs. Decoding is strict: lower-case letters only, no padding, and unused trailing bits must be
 * zero, so that each byte string has exactly one text form.
 */
public final class Base32 {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final byte[] INDEXES = new byte[128];

    static {
        Arrays.fill(INDEXES, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            INDEXES[ALPHABET[i]] = (byte) i;
        }
    }

    private Base32() {}

    /** Encodes {@code data} as lower-case base32 without padding. */
    public static String encode(byte[] data) {
        requireNonNull(data, "data");
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                sb.append(ALPHABET[(buffer >>> bits) & 31]);
            }
        }
        if (bits > 0) {
            sb.append(ALPHABET[(buffer << (5 - bits)) & 31]);
        }
        return sb.toString();
    }

    /**
     * Decodes lower-case base32 without padding.
     *
     * @throws IllegalArgumentException on a character outside the alphabet, an impossible length,
     *     or non-zero trailing bits
     */
    public static byte[] decode(CharSequence text) {
        requireNonNull(text, "text");
        int rem = text.length() % 8;
        if (rem == 1 || rem == 3 || rem == 6) {
            throw new IllegalArgumentException("base32: invalid length " + text.length());
        }
        byte[] out = new byte[text.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int digit = c < 128 ? INDEXES[c] : -1;
            if (digit < 0) {
                throw new IllegalArgumentException("base32: invalid character '" + c + "' at index " + i);
            }
            buffer = (buffer << 5) | digit;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (buffer >>> bits);
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0) {
            throw new IllegalArgumentException("base32: non-zero trailing bits");
        }
        return out;
    }
}
