package io.vine.core.crypto;

import static java.util.Objects.requireNonNull;

/** Common part of the private keys; never prints key material. */
abstract class BasePrivKey implements PrivKey {
    @Override
    public final byte[] sign(byte[] data) {
        return signData(requireNonNull(data, "data"));
    }

    /** Signs with this key's scheme. */
    abstract byte[] signData(byte[] data);

    @Override
    public final byte[] marshal() {
        return KeyCodec.marshal(type(), encode(), true);
    }

    /** The {@code Data} field of the protobuf {@code PrivateKey}. */
    abstract byte[] encode();

    @Override
    public final String toString() {
        return type() + "PrivKey(public=" + publicKey() + ")";
    }
}
