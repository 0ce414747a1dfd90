package io.vine.core.multiformats;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * base58btc, the Bitcoin alphabet (multibase prefix {@code z}); the text form of peer ids. Each
 * leading zero byte is written as a leading {@code '1'}. Decoding is quadratic in the length of the
 * text: callers bound the length of what they decode.
 */
public final class Base58 {
    private static final char[] ALPHABET =
            "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
    private static final byte[] INDEXES = new byte[128];

    static {
        Arrays.fill(INDEXES, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            INDEXES[ALPHABET[i]] = (byte) i;
        }
    }

    private Base58() {}

    /** Encodes {@code data} as base58btc text. */
    public static String encode(byte[] data) {
        requireNonNull(data, "data");
        int zeros = 0;
        while (zeros < data.length && data[zeros] == 0) {
            zeros++;
        }
        // log(256) / log(58) < 1.37; digits holds base-58 digits, least significant first.
        byte[] digits = new byte[(data.length - zeros) * 137 / 100 + 1];
        int used = 0;
        for (int i = zeros; i < data.length; i++) {
            int carry = data[i] & 0xff;
            for (int j = 0; j < used; j++) {
                carry += (digits[j] & 0xff) << 8;
                digits[j] = (byte) (carry % 58);
                carry /= 58;
            }
            while (carry > 0) {
                digits[used++] = (byte) (carry % 58);
                carry /= 58;
            }
        }
        StringBuilder sb = new StringBuilder(zeros + used);
        for (int i = 0; i < zeros; i++) {
            sb.append('1');
        }
        for (int i = used - 1; i >= 0; i--) {
            sb.append(ALPHABET[digits[i]]);
        }
        return sb.toString();
    }

    /**
     * Decodes base58btc text.
     *
     * @throws IllegalArgumentException if the text holds a character outside the alphabet
     */
    public static byte[] decode(CharSequence text) {
        requireNonNull(text, "text");
        int zeros = 0;
        while (zeros < text.length() && text.charAt(zeros) == '1') {
            zeros++;
        }
        // log(58) / log(256) < 0.733; bytes holds base-256 digits, least significant first.
        byte[] bytes = new byte[(text.length() - zeros) * 733 / 1000 + 1];
        int used = 0;
        for (int i = zeros; i < text.length(); i++) {
            char c = text.charAt(i);
            int digit = c < 128 ? INDEXES[c] : -1;
            if (digit < 0) {
                throw new IllegalArgumentException(
                        "base58btc: invalid character '" + c + "' at index " + i);
            }
            int carry = digit;
            for (int j = 0; j < used; j++) {
                carry += (bytes[j] & 0xff) * 58;
                bytes[j] = (byte) carry;
                carry >>>= 8;
            }
            while (carry > 0) {
                bytes[used++] = (byte) carry;
                carry >>>= 8;
            }
        }
        byte[] out = new byte[zeros + used];
        for (int i = 0; i < used; i++) {
            out[out.length - 1 - i] = bytes[i];
        }
        return out;
    }
}
