package io.vine.security.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.vine.core.HandshakeException;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.PeerId;
import io.vine.security.noise.pb.NoiseProto.NoiseExtensions;
import io.vine.security.noise.pb.NoiseProto.NoiseHandshakePayload;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HandshakePayloadTest {
    private final PrivKey identity = Keys.generateEd25519();
    private final byte[] staticKey = X25519.generate().publicKey();

    private byte[] signature(PrivKey key, byte[] staticPublic) {
        return key.sign(HandshakePayload.signedData(staticPublic));
    }

    @Test
    void signedDataIsThePrefixAndTheKey() {
        byte[] data = HandshakePayload.signedData(staticKey);
        assertThat(new String(data, 0, 24, StandardCharsets.UTF_8)).isEqualTo("noise-libp2p-static-key:");
        assertThat(data).hasSize(24 + 32).endsWith(staticKey);
    }

    @Test
    void encodedPayloadVerifies() throws Exception {
        byte[] payload = HandshakePayload.encode(identity, signature(identity, staticKey), List.of("/yamux/1.0.0"));
        HandshakePayload.Remote remote = HandshakePayload.verify(payload, staticKey);
        assertThat(remote.key()).isEqualTo(identity.publicKey());
        assertThat(remote.peerId()).isEqualTo(PeerId.fromPublicKey(identity.publicKey()));
        assertThat(remote.muxers()).containsExactly("/yamux/1.0.0");

        NoiseHandshakePayload p = NoiseHandshakePayload.parseFrom(payload);
        assertThat(p.getIdentityKey().toByteArray()).isEqualTo(identity.publicKey().marshal());
    }

    @Test
    void noMuxersMeansNoExtensions() throws Exception {
        byte[] payload = HandshakePayload.encode(identity, signature(identity, staticKey), List.of());
        assertThat(NoiseHandshakePayload.parseFrom(payload).hasExtensions()).isFalse();
        assertThat(HandshakePayload.verify(payload, staticKey).muxers()).isEmpty();
    }

    @Test
    void signatureOverAnotherStaticKeyIsRejected() {
        byte[] payload = HandshakePayload.encode(identity, signature(identity, X25519.generate().publicKey()), List.of());
        assertThatThrownBy(() -> HandshakePayload.verify(payload, staticKey))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void signatureByAnotherIdentityIsRejected() {
        byte[] payload = HandshakePayload.encode(identity, signature(Keys.generateEd25519(), staticKey), List.of());
        assertThatThrownBy(() -> HandshakePayload.verify(payload, staticKey)).isInstanceOf(HandshakeException.class);
    }

    @Test
    void malformedPayloadsAreRejected() {
        assertThatThrownBy(() -> HandshakePayload.verify(new byte[] {(byte) 0x0a, 0x7f, 1}, staticKey))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> HandshakePayload.verify(new byte[0], staticKey))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("without identity_key");
        byte[] badKey = NoiseHandshakePayload.newBuilder()
                .setIdentityKey(ByteString.copyFrom(new byte[] {8, 1, 18, 3, 1, 2, 3}))
                .setIdentitySig(ByteString.copyFrom(new byte[64]))
                .build().toByteArray();
        assertThatThrownBy(() -> HandshakePayload.verify(badKey, staticKey))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("bad identity key");
    }

    @Test
    void unknownExtensionsAreIgnored() throws Exception {
        byte[] payload = NoiseHandshakePayload.newBuilder()
                .setIdentityKey(ByteString.copyFrom(identity.publicKey().marshal()))
                .setIdentitySig(ByteString.copyFrom(signature(identity, staticKey)))
                .setExtensions(NoiseExtensions.newBuilder().addWebtransportCerthashes(ByteString.copyFromUtf8("x")))
                .build().toByteArray();
        assertThat(HandshakePayload.verify(payload, staticKey).muxers()).isEmpty();
    }

    @Test
    void muxerSelectionFollowsTheInitiatorsOrder() {
        assertThat(HandshakePayload.selectMuxer(List.of("/yamux/1.0.0", "/mplex/6.7.0"), List.of("/mplex/6.7.0", "/yamux/1.0.0")))
                .contains("/yamux/1.0.0");
        assertThat(HandshakePayload.selectMuxer(List.of("a"), List.of("b"))).isEqualTo(Optional.empty());
        assertThat(HandshakePayload.selectMuxer(List.of(), List.of("b"))).isEmpty();
    }
}
