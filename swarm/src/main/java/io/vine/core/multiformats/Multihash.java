package io.vine.core.multiformats;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A multihash (multiformats/multihash): {@code varint(code) varint(length) digest}. Only the
 * functions peer ids use can be computed here (identity and sha2-256); any code can be decoded.
 */
public final class Multihash {
    /** The identity "hash": the digest is the data itself. */
    public static final int IDENTITY = 0x00;
    /** SHA2-256, 32-byte digest. */
    public static final int SHA2_256 = 0x12;
    /** Bound on a digest length when decoding. */
    public static final int MAX_DIGEST_BYTES = 1024;

    private final int code;
    private final byte[] digest;

    private Multihash(int code, byte[] digest) {
        this.code = code;
        this.digest = digest;
    }

    /** A multihash of the given code with the given digest (copied). */
    public static Multihash of(int code, byte[] digest) {
        requireNonNull(digest, "digest");
        if (code < 0) {
            throw new IllegalArgumentException("code: " + code + " (expected: >= 0)");
        }
        if (digest.length > MAX_DIGEST_BYTES) {
            throw new IllegalArgumentException(
                    "digest: " + digest.length + " bytes (expected: <= " + MAX_DIGEST_BYTES + ")");
        }
        if (code == SHA2_256 && digest.length != 32) {
            throw new IllegalArgumentException("sha2-256 digest: " + digest.length + " bytes (expected: 32)");
        }
        return new Multihash(code, digest.clone());
    }

    /** The identity multihash of {@code data}. */
    public static Multihash identity(byte[] data) {
        return of(IDENTITY, data);
    }

    /** The sha2-256 multihash of {@code data}. */
    public static Multihash sha256(byte[] data) {
        requireNonNull(data, "data");
        try {
            return new Multihash(SHA2_256, MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /**
     * Decodes a multihash that fills {@code bytes} exactly.
     *
     * @throws IllegalArgumentException if the bytes are not exactly one well-formed multihash
     */
    public static Multihash decode(byte[] bytes) {
        requireNonNull(bytes, "bytes");
        return decode(bytes, 0, bytes.length);
    }

    /** Decodes a multihash that fills {@code bytes[offset, offset + length)} exactly. */
    public static Multihash decode(byte[] bytes, int offset, int length) {
        requireNonNull(bytes, "bytes");
        int end = offset + length;
        int[] pos = {offset};
        long code = readVarint(bytes, pos, end, "code");
        long size = readVarint(bytes, pos, end, "length");
        if (code > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("multihash: code " + code + " too large");
        }
        if (size > MAX_DIGEST_BYTES) {
            throw new IllegalArgumentException(
                    "multihash: digest length " + size + " (expected: <= " + MAX_DIGEST_BYTES + ")");
        }
        if (size != end - pos[0]) {
            throw new IllegalArgumentException(
                    "multihash: digest length " + size + " but " + (end - pos[0]) + " bytes follow");
        }
        if (code == SHA2_256 && size != 32) {
            throw new IllegalArgumentException("multihash: sha2-256 digest of " + size + " bytes (expected: 32)");
        }
        return new Multihash((int) code, Arrays.copyOfRange(bytes, pos[0], end));
    }

    /** Reads a minimal unsigned varint of at most 9 bytes (multiformats unsigned-varint). */
    private static long readVarint(byte[] b, int[] pos, int end, String what) {
        long value = 0;
        for (int i = 0; i < 9; i++) {
            if (pos[0] >= end) {
                throw new IllegalArgumentException("multihash: truncated " + what);
            }
            int x = b[pos[0]++] & 0xff;
            value |= (long) (x & 0x7f) << (7 * i);
            if ((x & 0x80) == 0) {
                if (x == 0 && i > 0) {
                    throw new IllegalArgumentException("multihash: non-minimal varint " + what);
                }
                return value;
            }
        }
        throw new IllegalArgumentException("multihash: varint " + what + " longer than 9 bytes");
    }

    public int code() {
        return code;
    }

    public byte[] digest() {
        return digest.clone();
    }

    /** The binary multihash. */
    public byte[] toBytes() {
        byte[] out = new byte[20 + digest.length];
        int n = writeVarint(out, 0, code);
        n = writeVarint(out, n, digest.length);
        System.arraycopy(digest, 0, out, n, digest.length);
        return Arrays.copyOf(out, n + digest.length);
    }

    private static int writeVarint(byte[] out, int pos, long value) {
        while (value >= 0x80) {
            out[pos++] = (byte) (value | 0x80);
            value >>>= 7;
        }
        out[pos++] = (byte) value;
        return pos;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multihash m && code == m.code && Arrays.equals(digest, m.digest);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "Multihash(0x" + Integer.toHexString(code) + ", " + HexFormat.of().formatHex(digest) + ")";
    }
}
