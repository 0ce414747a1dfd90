package io.vine.core.crypto;

import static java.util.Objects.requireNonNull;

/** Generates keys and decodes the protobuf key encodings of the libp2p peer-id spec. */
public final class Keys {
    private Keys() {}

    /**
     * Generates a new key pair: Ed25519, secp256k1, ECDSA on P-256, or RSA with a 2048-bit modulus.
     */
    public static PrivKey generate(KeyType type) {
        requireNonNull(type, "type");
        return switch (type) {
            case ED25519 -> Ed25519.generate();
            case SECP256K1 -> Secp256k1.generate();
            case ECDSA -> Ecdsa.generate();
            case RSA -> Rsa.generate();
        };
    }

    /** Generates a new Ed25519 key pair, the default key type. */
    public static PrivKey generateEd25519() {
        return Ed25519.generate();
    }

    /** The Ed25519 key pair of a 32-byte RFC 8032 seed (private key). */
    public static PrivKey ed25519FromSeed(byte[] seed32) {
        requireNonNull(seed32, "seed32");
        return Ed25519.fromSeed(seed32);
    }

    /**
     * Decodes a protobuf {@code PublicKey}.
     *
     * @throws KeyFormatException if the protobuf or the key inside it is malformed or unsupported
     */
    public static PubKey unmarshalPublicKey(byte[] protobuf) {
        requireNonNull(protobuf, "protobuf");
        KeyCodec.Envelope e = KeyCodec.unmarshal(protobuf, false);
        return switch (e.type()) {
            case ED25519 -> Ed25519.publicKey(e.data());
            case SECP256K1 -> Secp256k1.publicKey(e.data());
            case ECDSA -> Ecdsa.publicKey(e.data());
            case RSA -> Rsa.publicKey(e.data());
        };
    }

    /**
     * Decodes a protobuf {@code PrivateKey}.
     *
     * @throws KeyFormatException if the protobuf or the key inside it is malformed or unsupported
     */
    public static PrivKey unmarshalPrivateKey(byte[] protobuf) {
        requireNonNull(protobuf, "protobuf");
        KeyCodec.Envelope e = KeyCodec.unmarshal(protobuf, true);
        return switch (e.type()) {
            case ED25519 -> Ed25519.privateKey(e.data());
            case SECP256K1 -> Secp256k1.privateKey(e.data());
            case ECDSA -> Ecdsa.privateKey(e.data());
            case RSA -> Rsa.privateKey(e.data());
        };
    }
}
