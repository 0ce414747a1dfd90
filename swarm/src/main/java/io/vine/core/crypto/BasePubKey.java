package io.vine.core.crypto;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HexFormat;

/** Common part of the public keys: the type, the encoded key, equality on both. */
abstract class BasePubKey implements PubKey {
    private final KeyType type;
    private final byte[] raw;
    private volatile byte[] marshalled;

    BasePubKey(KeyType type, byte[] raw) {
        this.type = type;
        this.raw = raw;
    }

    @Override
    public final KeyType type() {
        return type;
    }

    @Override
    public final byte[] raw() {
        return raw.clone();
    }

    /** The encoded key without a defensive copy, for callers in this package that do not modify it. */
    final byte[] rawUnsafe() {
        return raw;
    }

    @Override
    public final byte[] marshal() {
        byte[] m = marshalled;
        if (m == null) {
            m = KeyCodec.marshal(type, raw, false);
            marshalled = m;
        }
        return m.clone();
    }

    @Override
    public final boolean verify(byte[] data, byte[] signature) {
        requireNonNull(data, "data");
        requireNonNull(signature, "signature");
        return verifySignature(data, signature);
    }

    /** Verifies a signature; false, never an exception, for a malformed one. */
    abstract boolean verifySignature(byte[] data, byte[] signature);

    @Override
    public final boolean equals(Object o) {
        return o instanceof BasePubKey other && type == other.type && Arrays.equals(raw, other.raw);
    }

    @Override
    public final int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(raw);
    }

    @Override
    public final String toString() {
        return type + "PubKey(" + HexFormat.of().formatHex(raw) + ")";
    }
}
