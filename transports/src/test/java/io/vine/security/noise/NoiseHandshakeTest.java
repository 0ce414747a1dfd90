package io.vine.security.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vine.core.HandshakeException;
import io.vine.core.PeerIdMismatchException;
import io.vine.core.SecureSession;
import io.vine.core.SecurityContext;
import io.vine.core.crypto.KeyType;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.PeerId;
import io.vine.security.ChannelPair;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoiseHandshakeTest {
    private final ChannelPair wire = new ChannelPair();
    private final PrivKey alice = Keys.generateEd25519();
    private final PrivKey bob = Keys.generateEd25519();

    @AfterEach
    void close() {
        wire.close();
    }

    private CompletableFuture<SecureSession> dial(PrivKey key, Optional<PeerId> expected, List<String> muxers) {
        return new NoiseSecurity().secure(wire.initiator, new SecurityContext(key, true, expected, muxers));
    }

    private CompletableFuture<SecureSession> accept(PrivKey key, List<String> muxers) {
        return new NoiseSecurity().secure(wire.responder, new SecurityContext(key, false, Optional.empty(), muxers));
    }

    @Test
    void handshakeAuthenticatesBothSidesAndInstallsRecordLayer() throws Exception {
        var client = dial(alice, Optional.of(PeerId.fromPublicKey(bob.publicKey())), List.of());
        var server = accept(bob, List.of());
        wire.pump();

        SecureSession c = client.getNow(null);
        SecureSession s = server.getNow(null);
        assertThat(c).isNotNull();
        assertThat(s).isNotNull();
        assertThat(c.localPeer()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
        assertThat(c.remotePeer()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()));
        assertThat(c.remoteKey()).isEqualTo(bob.publicKey());
        assertThat(s.remotePeer()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
        assertThat(s.remoteKey()).isEqualTo(alice.publicKey());
        assertThat(c.earlyMuxer()).isEmpty();
        assertThat(s.earlyMuxer()).isEmpty();
        for (EmbeddedChannel ch : List.of(wire.initiator, wire.responder)) {
            assertThat(ch.pipeline().get(NoiseHandshakeHandler.class)).isNull();
            assertThat(ch.pipeline().get(NoiseRecordDecoder.class)).isNotNull();
            assertThat(ch.pipeline().get(NoiseRecordEncoder.class)).isNotNull();
        }
        assertRoundTrip("ping", "pong");
    }

    @Test
    void handshakeMessagesHaveTheSpecifiedShape() {
        dial(alice, Optional.empty(), List.of());
        accept(bob, List.of());
        byte[] msg1 = ChannelPair.drainBytes(wire.initiator);
        // -> e with an empty payload: 2-byte length, 32-byte ephemeral key
        assertThat(msg1).hasSize(2 + 32);
        assertThat(((msg1[0] & 0xff) << 8) | (msg1[1] & 0xff)).isEqualTo(32);
        wire.responder.writeInbound(Unpooled.wrappedBuffer(msg1));
        byte[] msg2 = ChannelPair.drainBytes(wire.responder);
        int len2 = ((msg2[0] & 0xff) << 8) | (msg2[1] & 0xff);
        assertThat(msg2).hasSize(2 + len2);
        // <- e (32), encrypted s (32 + 16), encrypted payload (+ 16)
        assertThat(len2).isGreaterThan(32 + 48 + 16);
    }

    @ParameterizedTest
    @CsvSource({"ED25519,ED25519", "SECP256K1,ED25519", "ED25519,SECP256K1", "ECDSA,SECP256K1", "ECDSA,ECDSA", "RSA,ED25519"})
    void handshakeWorksWithEveryKeyType(KeyType dialerType, KeyType listenerType) {
        PrivKey dialer = Keys.generate(dialerType);
        PrivKey listener = Keys.generate(listenerType);
        var client = dial(dialer, Optional.of(PeerId.fromPublicKey(listener.publicKey())), List.of());
        var server = accept(listener, List.of());
        wire.pump();
        assertThat(client.join().remoteKey()).isEqualTo(listener.publicKey());
        assertThat(server.join().remotePeer()).isEqualTo(PeerId.fromPublicKey(dialer.publicKey()));
        assertRoundTrip("a", "b");
    }

    @Test
    void wrongExpectedPeerFailsWithMismatchAndSendsNoThirdMessage() {
        PeerId mallory = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
        var client = dial(alice, Optional.of(mallory), List.of());
        var server = accept(bob, List.of());
        ChannelPair.transfer(wire.initiator, wire.responder); // msg1
        ChannelPair.transfer(wire.responder, wire.initiator); // msg2

        assertThat(client).isCompletedExceptionally();
        assertThatThrownBy(client::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PeerIdMismatchException.class)
                .satisfies(e -> {
                    PeerIdMismatchException m = (PeerIdMismatchException) e;
                    assertThat(m.expected()).isEqualTo(mallory);
                    assertThat(m.actual()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()));
                });
        assertThat(wire.initiator.isOpen()).isFalse();
        assertThat(ChannelPair.drain(wire.initiator)).isEmpty();
        assertThat(server).isNotDone();
    }

    @Test
    void tamperedSecondMessageFailsTheInitiator() {
        var client = dial(alice, Optional.empty(), List.of());
        var server = accept(bob, List.of());
        ChannelPair.transfer(wire.initiator, wire.responder);
        ChannelPair.transfer(wire.responder, wire.initiator, flipByte(2 + 40)); // inside encrypted s
        assertFailedWith(client, "invalid handshake message 2");
        assertThat(wire.initiator.isOpen()).isFalse();
        assertThat(server).isNotDone();
    }

    @Test
    void tamperedThirdMessageFailsTheResponder() {
        var client = dial(alice, Optional.empty(), List.of());
        var server = accept(bob, List.of());
        ChannelPair.transfer(wire.initiator, wire.responder);
        ChannelPair.transfer(wire.responder, wire.initiator);
        ChannelPair.transfer(wire.initiator, wire.responder, flipByte(-1)); // last byte of the payload tag
        assertThat(client).isCompleted(); // the initiator cannot know yet
        assertFailedWith(server, "invalid handshake message 3");
        assertThat(wire.responder.isOpen()).isFalse();
    }

    @Test
    void tamperedFirstMessageFailsTheInitiatorOnTheSecond() {
        var client = dial(alice, Optional.empty(), List.of());
        accept(bob, List.of());
        ChannelPair.transfer(wire.initiator, wire.responder, flipByte(5)); // the ephemeral key
        ChannelPair.transfer(wire.responder, wire.initiator);
        assertThat(client).isCompletedExceptionally();
        assertThatThrownBy(client::join).cause().isInstanceOf(HandshakeException.class);
    }

    @Test
    void shortHandshakeMessageIsRejected() {
        var server = accept(bob, List.of());
        ByteBuf msg = Unpooled.buffer().writeShort(10).writeZero(10);
        wire.responder.writeInbound(msg);
        assertFailedWith(server, "handshake message 1 is 10 bytes (expected: >= 32)");
        assertThat(msg.refCnt()).isZero();
        assertThat(wire.responder.isOpen()).isFalse();
    }

    @Test
    void smallOrderEphemeralKeyIsRejected() {
        var client = dial(alice, Optional.empty(), List.of());
        ChannelPair.drain(wire.initiator).forEach(ByteBuf::release);
        ByteBuf msg2 = Unpooled.buffer().writeShort(32 + 48 + 16).writeZero(32 + 48 + 16); // e = 0
        wire.initiator.writeInbound(msg2);
        assertFailedWith(client, "small order");
        assertThat(msg2.refCnt()).isZero();
    }

    @Test
    void malformedPayloadFromAValidNoiseResponderIsRejected() throws Exception {
        var client = dial(alice, Optional.empty(), List.of());
        respondWithPayload(new byte[] {0x0a, 0x7f, 0x01});
        assertFailedWith(client, "malformed handshake payload");
        assertThat(wire.initiator.isOpen()).isFalse();
    }

    @Test
    void payloadSigningAnotherStaticKeyIsRejected() throws Exception {
        var client = dial(alice, Optional.empty(), List.of());
        byte[] otherStatic = X25519.generate().publicKey();
        respondWithPayload(HandshakePayload.encode(bob, bob.sign(HandshakePayload.signedData(otherStatic)), List.of()));
        assertFailedWith(client, "identity signature does not match the static key");
    }

    @Test
    void handshakeMessageOverTheNoiseLimitIsNotSent() {
        List<String> huge = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            huge.add("/muxer/" + "x".repeat(100) + i);
        }
        dial(alice, Optional.empty(), List.of());
        var server = accept(bob, huge);
        ChannelPair.transfer(wire.initiator, wire.responder);
        assertFailedWith(server, "(expected: <= 65535)");
        assertThat(ChannelPair.drain(wire.responder)).isEmpty();
    }

    /** Plays a Noise-correct responder that sends {@code payload} in message 2. */
    private void respondWithPayload(byte[] payload) throws Exception {
        HandshakeState fake = new HandshakeState(false, X25519.generate(), new byte[0]);
        byte[] msg1 = ChannelPair.drainBytes(wire.initiator);
        fake.readMessage(java.util.Arrays.copyOfRange(msg1, 2, msg1.length));
        byte[] msg2 = fake.writeMessage(payload);
        wire.initiator.writeInbound(Unpooled.buffer().writeShort(msg2.length).writeBytes(msg2));
    }

    @Test
    void truncatedHandshakeThenCloseFailsWithoutLeak() {
        var client = dial(alice, Optional.empty(), List.of());
        accept(bob, List.of());
        ChannelPair.transfer(wire.initiator, wire.responder);
        ByteBuf msg2 = ChannelPair.drain(wire.responder).get(0);
        ByteBuf head = msg2.readRetainedSlice(50);
        msg2.release();
        wire.initiator.writeInbound(head);
        assertThat(client).isNotDone();
        wire.initiator.close();
        assertFailedWith(client, "connection closed during the handshake");
        assertThat(head.refCnt()).isZero();
    }

    @Test
    void bytesArrivingWithTheLastHandshakeMessageReachHandlersInstalledByTheFuture() {
        var client = dial(alice, Optional.empty(), List.of());
        var server = accept(bob, List.of());
        List<String> received = new ArrayList<>();
        List<String> events = new ArrayList<>();
        server.thenAccept(s -> {
            events.add("session");
            wire.responder.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg;
                    events.add("data");
                    received.add(b.toString(StandardCharsets.UTF_8));
                    b.release();
                }
            });
        });
        ChannelPair.transfer(wire.initiator, wire.responder);
        ChannelPair.transfer(wire.responder, wire.initiator);
        assertThat(client).isCompleted();
        wire.initiator.writeAndFlush(Unpooled.copiedBuffer("early bird", StandardCharsets.UTF_8));
        // msg3 and the first transport message reach the responder in a single read
        ChannelPair.transferMerged(wire.initiator, wire.responder);

        assertThat(events).containsExactly("session", "data");
        assertThat(received).containsExactly("early bird");
        assertThat((Object) wire.responder.readInbound()).isNull();
    }

    @Test
    void closeDuringHandshakeFailsTheFuture() {
        var server = accept(bob, List.of());
        wire.responder.close();
        assertFailedWith(server, "connection closed during the handshake");
    }

    // --- early muxer negotiation ---

    @Test
    void muxerListedByBothSidesIsTheInitiatorsFirstShared() {
        // the example of connections/inlined-muxer-negotiation.md
        var client = dial(alice, Optional.empty(), List.of("/yamux/1.0.0", "/mplex/6.7.0"));
        var server = accept(bob, List.of("/mplex/6.7.0", "/yamux/1.0.0"));
        wire.pump();
        assertThat(client.join().earlyMuxer()).contains("/yamux/1.0.0");
        assertThat(server.join().earlyMuxer()).contains("/yamux/1.0.0");
    }

    @Test
    void initiatorsPreferenceSkipsMuxersTheResponderLacks() {
        var client = dial(alice, Optional.empty(), List.of("/quux/1", "/mplex/6.7.0", "/yamux/1.0.0"));
        var server = accept(bob, List.of("/yamux/1.0.0", "/mplex/6.7.0"));
        wire.pump();
        assertThat(client.join().earlyMuxer()).contains("/mplex/6.7.0");
        assertThat(server.join().earlyMuxer()).contains("/mplex/6.7.0");
    }

    @Test
    void muxerListedByOneSideOnlyLeavesNegotiationToMultistream() {
        var client = dial(alice, Optional.empty(), List.of("/yamux/1.0.0"));
        var server = accept(bob, List.of());
        wire.pump();
        assertThat(client.join().earlyMuxer()).isEmpty();
        assertThat(server.join().earlyMuxer()).isEmpty();
    }

    @Test
    void muxerListedByResponderOnlyLeavesNegotiationToMultistream() {
        var client = dial(alice, Optional.empty(), List.of());
        var server = accept(bob, List.of("/yamux/1.0.0"));
        wire.pump();
        assertThat(client.join().earlyMuxer()).isEmpty();
        assertThat(server.join().earlyMuxer()).isEmpty();
    }

    @Test
    void disjointMuxerListsLeaveNegotiationToMultistream() {
        var client = dial(alice, Optional.empty(), List.of("/mplex/6.7.0"));
        var server = accept(bob, List.of("/yamux/1.0.0"));
        wire.pump();
        assertThat(client.join().earlyMuxer()).isEmpty();
        assertThat(server.join().earlyMuxer()).isEmpty();
    }

    // --- helpers ---

    private void assertRoundTrip(String fromInitiator, String fromResponder) {
        wire.initiator.writeAndFlush(Unpooled.copiedBuffer(fromInitiator, StandardCharsets.UTF_8));
        wire.responder.writeAndFlush(Unpooled.copiedBuffer(fromResponder, StandardCharsets.UTF_8));
        wire.pump();
        assertThat(new String(ChannelPair.readInboundBytes(wire.responder), StandardCharsets.UTF_8)).isEqualTo(fromInitiator);
        assertThat(new String(ChannelPair.readInboundBytes(wire.initiator), StandardCharsets.UTF_8)).isEqualTo(fromResponder);
    }

    static java.util.function.UnaryOperator<ByteBuf> flipByte(int index) {
        return b -> {
            int i = index >= 0 ? b.readerIndex() + index : b.writerIndex() + index;
            b.setByte(i, b.getByte(i) ^ 0x01);
            return b;
        };
    }

    static void assertFailedWith(CompletableFuture<SecureSession> f, String message) {
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::join).cause().isInstanceOf(HandshakeException.class).hasMessageContaining(message);
    }
}
