package io.vine.security.plaintext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vine.core.HandshakeException;
import io.vine.core.PeerIdMismatchException;
import io.vine.core.SecureSession;
import io.vine.core.SecurityContext;
import io.vine.core.crypto.KeyType;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.PeerId;
import io.vine.security.ChannelPair;
import io.vine.security.plaintext.pb.PlaintextProto.Exchange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PlaintextSecurityTest {
    private final ChannelPair wire = new ChannelPair();
    private final PrivKey alice = Keys.generateEd25519();
    private final PrivKey bob = Keys.generateEd25519();

    @AfterEach
    void close() {
        wire.close();
    }

    private CompletableFuture<SecureSession> dial(PrivKey key, Optional<PeerId> expected) {
        return new PlaintextSecurity().secure(wire.initiator, new SecurityContext(key, true, expected, List.of("/yamux/1.0.0")));
    }

    private CompletableFuture<SecureSession> accept(PrivKey key) {
        return new PlaintextSecurity().secure(wire.responder, new SecurityContext(key, false, Optional.empty(), List.of()));
    }

    @Test
    void exchangeIdentifiesBothSidesAndLeavesBytesAlone() {
        var client = dial(alice, Optional.of(PeerId.fromPublicKey(bob.publicKey())));
        var server = accept(bob);
        wire.pump();
        SecureSession c = client.join();
        SecureSession s = server.join();
        assertThat(c.remotePeer()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()));
        assertThat(c.remoteKey()).isEqualTo(bob.publicKey());
        assertThat(c.localPeer()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
        assertThat(s.remotePeer()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
        assertThat(c.earlyMuxer()).isEmpty();
        assertThat(wire.initiator.pipeline().get(PlaintextHandshakeHandler.class)).isNull();

        wire.initiator.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
        assertThat(ChannelPair.drainBytes(wire.initiator)).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void everyKeyType(KeyType type) {
        PrivKey key = Keys.generate(type);
        var client = new PlaintextSecurity(16 * 1024).secure(wire.initiator,
                new SecurityContext(alice, true, Optional.of(PeerId.fromPublicKey(key.publicKey())), List.of()));
        var server = new PlaintextSecurity(16 * 1024).secure(wire.responder,
                new SecurityContext(key, false, Optional.empty(), List.of()));
        wire.pump();
        assertThat(client.join().remoteKey()).isEqualTo(key.publicKey());
        assertThat(server.join().remoteKey()).isEqualTo(alice.publicKey());
    }

    @Test
    void exchangeIsAVarintPrefixedProtobuf() throws Exception {
        accept(bob);
        byte[] sent = ChannelPair.drainBytes(wire.responder);
        assertThat(sent[0] & 0xff).isEqualTo(sent.length - 1); // one-byte varint for an Ed25519 key
        Exchange e = Exchange.parseFrom(java.util.Arrays.copyOfRange(sent, 1, sent.length));
        assertThat(e.getId().toByteArray()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()).toBytes());
        assertThat(e.getPubkey().toByteArray()).isEqualTo(bob.publicKey().marshal());
    }

    @Test
    void wrongExpectedPeer() {
        PeerId mallory = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
        var client = dial(alice, Optional.of(mallory));
        accept(bob);
        wire.pump();
        assertThatThrownBy(client::join).cause().isInstanceOf(PeerIdMismatchException.class);
        assertThat(wire.initiator.isOpen()).isFalse();
    }

    @Test
    void idThatDoesNotMatchTheKeyIsRejected() {
        var server = accept(bob);
        byte[] lie = Exchange.newBuilder()
                .setId(ByteString.copyFrom(PeerId.fromPublicKey(bob.publicKey()).toBytes()))
                .setPubkey(ByteString.copyFrom(alice.publicKey().marshal()))
                .build().toByteArray();
        ByteBuf in = Unpooled.buffer().writeByte(lie.length).writeBytes(lie);
        wire.responder.writeInbound(in);
        assertFailed(server, "does not match its public key");
        assertThat(in.refCnt()).isZero();
    }

    @Test
    void oversizedLengthIsRejectedBeforeBuffering() {
        var server = accept(bob);
        ByteBuf in = Unpooled.buffer().writeByte(0x81).writeByte(0x20); // 4097
        wire.responder.writeInbound(in);
        assertFailed(server, "(expected: <= 4096)");
        assertThat(in.refCnt()).isZero();
        assertThat(wire.responder.isOpen()).isFalse();
    }

    @Test
    void overlongAndNonMinimalVarintsAreRejected() {
        var server = accept(bob);
        byte[] overlong = new byte[10];
        java.util.Arrays.fill(overlong, (byte) 0x80);
        wire.responder.writeInbound(Unpooled.wrappedBuffer(overlong));
        assertFailed(server, "bad length prefix: varint: longer than 9 bytes");
    }

    @Test
    void nonMinimalVarintIsRejected() {
        var server = accept(bob);
        wire.responder.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x85, 0}));
        assertFailed(server, "not minimally encoded");
    }

    @Test
    void malformedAndIncompleteExchangesAreRejected() {
        var server = accept(bob);
        wire.responder.writeInbound(Unpooled.wrappedBuffer(new byte[] {3, 0x0a, 0x7f, 0}));
        assertFailed(server, "malformed Exchange");
    }

    @Test
    void exchangeWithoutKeyIsRejected() {
        var server = accept(bob);
        byte[] noKey = Exchange.newBuilder().setId(ByteString.copyFrom(new byte[] {0, 1, 2})).build().toByteArray();
        wire.responder.writeInbound(Unpooled.buffer().writeByte(noKey.length).writeBytes(noKey));
        assertFailed(server, "without id or pubkey");
    }

    @Test
    void truncatedExchangeThenCloseFailsWithoutLeak() {
        var server = accept(bob);
        dial(alice, Optional.empty());
        ByteBuf exchange = ChannelPair.drain(wire.initiator).get(0);
        ByteBuf head = exchange.readRetainedSlice(10);
        exchange.release();
        wire.responder.writeInbound(head);
        assertThat(server).isNotDone();
        wire.responder.close();
        assertFailed(server, "connection closed");
        assertThat(head.refCnt()).isZero();
    }

    @Test
    void bytesSentWithTheExchangeFollowTheSessionCallback() {
        var client = dial(alice, Optional.empty());
        var server = accept(bob);
        List<String> events = new ArrayList<>();
        server.thenAccept(s -> wire.responder.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                events.add(((ByteBuf) msg).toString(StandardCharsets.UTF_8));
                ((ByteBuf) msg).release();
            }
        }));
        ChannelPair.transfer(wire.responder, wire.initiator);
        assertThat(client).isCompleted();
        wire.initiator.writeAndFlush(Unpooled.copiedBuffer("right behind", StandardCharsets.UTF_8));
        ChannelPair.transferMerged(wire.initiator, wire.responder);
        assertThat(server).isCompleted();
        assertThat(events).containsExactly("right behind");
    }

    @Test
    void rejectsNonPositiveBound() {
        assertThatThrownBy(() -> new PlaintextSecurity(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxExchangeSize: 0 (expected: > 0)");
    }

    private static void assertFailed(CompletableFuture<SecureSession> f, String message) {
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::join).cause().isInstanceOf(HandshakeException.class).hasMessageContaining(message);
    }
}
