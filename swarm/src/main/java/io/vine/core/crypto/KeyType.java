package io.vine.core.crypto;

/**
 * The key types of the libp2p peer-id spec. The ordinal of each constant is its number in the
 * {@code KeyType} protobuf enum (RSA = 0, Ed25519 = 1, Secp256k1 = 2, ECDSA = 3).
 */
public enum KeyType {
    RSA,
    ED25519,
    SECP256K1,
    ECDSA;

    /** The number of this key type in the protobuf {@code KeyType} enum. */
    public int number() {
        return ordinal();
    }
}
