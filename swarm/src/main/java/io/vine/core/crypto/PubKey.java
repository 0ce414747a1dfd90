package io.vine.core.crypto;

/**
 * A public key of one of the libp2p key types. Implementations are immutable and thread-safe;
 * {@code equals} and {@code hashCode} compare the type and the encoded key.
 */
public interface PubKey {
    /** The type of this key. */
    KeyType type();

    /** The key in the encoding of its type: the {@code Data} field of the protobuf {@code PublicKey}. */
    byte[] raw();

    /** The canonical protobuf {@code PublicKey} encoding of this key (what peer ids are made of). */
    byte[] marshal();

    /**
     * Verifies a signature made with the matching private key over {@code data}. Returns false for a
     * malformed signature rather than throwing.
     */
    boolean verify(byte[] data, byte[] signature);
}
