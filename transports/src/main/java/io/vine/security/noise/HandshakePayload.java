package io.vine.security.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vine.core.HandshakeException;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.crypto.PubKey;
import io.vine.core.peer.PeerId;
import io.vine.core.VineException;
import io.vine.security.noise.pb.NoiseProto;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The libp2p handshake payload of noise-libp2p (libp2p/specs noise/README.md, "The libp2p Handshake
 * Payload"): the identity key, its signature over the static Noise key, and the extensions.
 */
final class HandshakePayload {
    private static final byte[] SIG_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.UTF_8);

    private HandshakePayload() {}

    /** What a verified remote payload proves. */
    record Remote(PubKey key, PeerId peerId, List<String> muxers) {}

    /** The bytes signed by the identity key: the prefix followed by the static Noise public key. */
    static byte[] signedData(byte[] staticPublic) {
        byte[] data = Arrays.copyOf(SIG_PREFIX, SIG_PREFIX.length + staticPublic.length);
        System.arraycopy(staticPublic, 0, data, SIG_PREFIX.length, staticPublic.length);
        return data;
    }

    /** Encodes our payload; {@code muxers} go into the extensions when not empty. */
    static byte[] encode(PrivKey identity, byte[] signature, List<String> muxers) {
        NoiseProto.NoiseHandshakePayload.Builder b = NoiseProto.NoiseHandshakePayload.newBuilder()
                .setIdentityKey(ByteString.copyFrom(identity.publicKey().marshal()))
                .setIdentitySig(ByteString.copyFrom(signature));
        if (!muxers.isEmpty()) {
            b.setExtensions(NoiseProto.NoiseExtensions.newBuilder().addAllStreamMuxers(muxers));
        }
        return b.build().toByteArray();
    }

    /**
     * Decodes a remote payload and verifies its signature over {@code remoteStatic}.
     *
     * @throws HandshakeException if the payload is malformed, the key unsupported or the signature
     *     invalid
     */
    static Remote verify(byte[] payload, byte[] remoteStatic) throws HandshakeException {
        NoiseProto.NoiseHandshakePayload p;
        try {
            p = NoiseProto.NoiseHandshakePayload.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new HandshakeException("noise: malformed handshake payload: " + e.getMessage(), e);
        }
        if (!p.hasIdentityKey() || !p.hasIdentitySig()) {
            throw new HandshakeException("noise: handshake payload without identity_key or identity_sig");
        }
        PubKey key;
        try {
            key = Keys.unmarshalPublicKey(p.getIdentityKey().toByteArray());
        } catch (VineException e) {
            throw new HandshakeException("noise: bad identity key: " + e.getMessage(), e);
        }
        if (!key.verify(signedData(remoteStatic), p.getIdentitySig().toByteArray())) {
            throw new HandshakeException("noise: identity signature does not match the static key");
        }
        List<String> muxers = p.hasExtensions() ? List.copyOf(p.getExtensions().getStreamMuxersList()) : List.of();
        return new Remote(key, PeerId.fromPublicKey(key), muxers);
    }

    /**
     * The stream muxer agreed in the handshake (libp2p/specs connections/inlined-muxer-negotiation.md):
     * the first entry of the initiator's list that the responder also lists. Empty when either side
     * sent no list, and also when the lists do not overlap: like go-libp2p, we then leave the choice to
     * multistream-select after the handshake rather than failing the connection.
     */
    static Optional<String> selectMuxer(List<String> initiatorMuxers, List<String> responderMuxers) {
        for (String m : initiatorMuxers) {
            if (responderMuxers.contains(m)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
