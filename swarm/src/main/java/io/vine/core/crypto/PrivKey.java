package io.vine.core.crypto;

/** A private key of one of the libp2p key types. Immutable and thread-safe. */
public interface PrivKey {
    /** The type of this key. */
    KeyType type();

    /** The public half of this key. */
    PubKey publicKey();

    /** Signs {@code data} with the signature scheme of this key's type (see the peer-id spec). */
    byte[] sign(byte[] data);

    /** The protobuf {@code PrivateKey} encoding of this key, as stored in identity files. */
    byte[] marshal();
}
