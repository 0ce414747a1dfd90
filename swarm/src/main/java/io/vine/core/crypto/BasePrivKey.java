package io.vine.core.crypto;

/** Common part of the private keys; never prints key material. */
abstract class BasePrivKey implements PrivKey {
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
