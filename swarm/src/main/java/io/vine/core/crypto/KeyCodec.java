package io.vine.core.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vine.core.crypto.internal.pb.CryptoProto;

/**
 * The protobuf envelopes {@code PublicKey} and {@code PrivateKey}. Encoding is canonical (fields in
 * tag order, minimal varints, as the spec requires); decoding accepts any valid protobuf encoding,
 * as the other implementations do, because peer ids are computed from the re-encoded key.
 */
final class KeyCodec {
    /** Bound on an encoded public key: an RSA-8192 PKIX key is about 1.1 KiB. */
    static final int MAX_PUBLIC_KEY_BYTES = 2048;
    /** Bound on an encoded private key: an RSA-8192 PKCS#1 key is about 4.7 KiB. */
    static final int MAX_PRIVATE_KEY_BYTES = 8192;

    private KeyCodec() {}

    static byte[] marshal(KeyType type, byte[] data, boolean privateKey) {
        CryptoProto.KeyType pbType = CryptoProto.KeyType.forNumber(type.number());
        ByteString bytes = ByteString.copyFrom(data);
        if (privateKey) {
            return CryptoProto.PrivateKey.newBuilder().setType(pbType).setData(bytes).build().toByteArray();
        }
        return CryptoProto.PublicKey.newBuilder().setType(pbType).setData(bytes).build().toByteArray();
    }

    /** A decoded envelope: the key type and the key data. */
    record Envelope(KeyType type, byte[] data) {}

    static Envelope unmarshal(byte[] encoded, boolean privateKey) {
        String what = privateKey ? "private key" : "public key";
        int max = privateKey ? MAX_PRIVATE_KEY_BYTES : MAX_PUBLIC_KEY_BYTES;
        if (encoded.length > max) {
            throw new KeyFormatException(what + ": " + encoded.length + " bytes (expected: <= " + max + ")");
        }
        try {
            CryptoProto.KeyType pbType;
            ByteString data;
            if (privateKey) {
                CryptoProto.PrivateKey pb = CryptoProto.PrivateKey.parseFrom(encoded);
                pbType = pb.getType();
                data = pb.getData();
            } else {
                CryptoProto.PublicKey pb = CryptoProto.PublicKey.parseFrom(encoded);
                pbType = pb.getType();
                data = pb.getData();
            }
            return new Envelope(KeyType.values()[pbType.getNumber()], data.toByteArray());
        } catch (InvalidProtocolBufferException e) {
            throw new KeyFormatException(what + ": malformed protobuf: " + e.getMessage(), e);
        }
    }
}
