package io.vine.security.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.UnsupportedMessageTypeException;
import io.vine.core.SecurityContext;
import io.vine.core.crypto.Keys;
import io.vine.security.ChannelPair;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NoiseRecordLayerTest {
    private final ChannelPair wire = new ChannelPair();

    @BeforeEach
    void handshake() {
        var client = new NoiseSecurity().secure(wire.initiator,
                new SecurityContext(Keys.generateEd25519(), true, Optional.empty(), List.of()));
        var server = new NoiseSecurity().secure(wire.responder,
                new SecurityContext(Keys.generateEd25519(), false, Optional.empty(), List.of()));
        wire.pump();
        assertThat(client).isCompleted();
        assertThat(server).isCompleted();
    }

    @AfterEach
    void close() {
        wire.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 65518, 65519, 65520, 200_000, 16 * 65519, 16 * 65519 + 1, 3_000_000})
    void writesAreSplitIntoNoiseMessagesAndRejoined(int size) {
        byte[] data = random(size);
        ChannelFuture written = wire.initiator.writeAndFlush(Unpooled.wrappedBuffer(data));
        assertThat(written.isSuccess()).isTrue();

        byte[] onWire = ChannelPair.drainBytes(wire.initiator);
        int frames = 0;
        for (int pos = 0; pos < onWire.length; frames++) {
            int len = ((onWire[pos] & 0xff) << 8) | (onWire[pos + 1] & 0xff);
            assertThat(len).isBetween(17, 65535);
            pos += 2 + len;
        }
        int expectedFrames = (size + 65518) / 65519;
        assertThat(frames).isEqualTo(expectedFrames);
        assertThat(onWire).hasSize(size + 18 * expectedFrames);

        wire.responder.writeInbound(Unpooled.wrappedBuffer(onWire));
        assertThat(ChannelPair.readInboundBytes(wire.responder)).isEqualTo(data);
    }

    @Test
    void bothDirectionsInterleaved() {
        for (int i = 0; i < 20; i++) {
            byte[] a = random(1000 + i * 5000);
            byte[] b = random(7 + i * 3000);
            wire.initiator.writeAndFlush(Unpooled.wrappedBuffer(a));
            wire.responder.writeAndFlush(Unpooled.wrappedBuffer(b));
            wire.pump();
            assertThat(ChannelPair.readInboundBytes(wire.responder)).isEqualTo(a);
            assertThat(ChannelPair.readInboundBytes(wire.initiator)).isEqualTo(b);
        }
    }

    @Test
    void directBuffersAndByteByByteDelivery() {
        byte[] data = random(70_000);
        ByteBuf direct = ByteBufAllocator.DEFAULT.directBuffer(data.length).writeBytes(data);
        wire.responder.writeAndFlush(direct);
        byte[] onWire = ChannelPair.drainBytes(wire.responder);
        for (byte b : onWire) {
            ByteBuf one = ByteBufAllocator.DEFAULT.directBuffer(1).writeByte(b);
            wire.initiator.writeInbound(one);
        }
        assertThat(ChannelPair.readInboundBytes(wire.initiator)).isEqualTo(data);
        assertThat(direct.refCnt()).isZero();
    }

    @Test
    void emptyWriteSendsNothing() {
        assertThat(wire.initiator.writeAndFlush(Unpooled.EMPTY_BUFFER).isSuccess()).isTrue();
        wire.pump();
        assertThat((Object) wire.responder.readInbound()).isNull();
    }

    @Test
    void nonBufferWritesFailWithoutReachingTheWire() {
        ChannelFuture f = wire.initiator.writeAndFlush("not bytes");
        assertThat(f.cause()).isInstanceOf(UnsupportedMessageTypeException.class);
        assertThat(ChannelPair.drain(wire.initiator)).isEmpty();
    }

    @Test
    void tamperedTransportMessageClosesWithDecryptionError() {
        wire.initiator.writeAndFlush(Unpooled.wrappedBuffer(random(100)));
        ByteBuf frame = ChannelPair.drain(wire.initiator).get(0);
        frame.setByte(10, frame.getByte(10) ^ 0x40);
        assertThatThrownBy(() -> wire.responder.writeInbound(frame))
                .isInstanceOf(NoiseDecryptionException.class)
                .hasMessageContaining("cannot decrypt");
        assertThat(frame.refCnt()).isZero();
        assertThat(wire.responder.isOpen()).isFalse();
        assertThat((Object) wire.responder.readInbound()).isNull();
    }

    @Test
    void replayedTransportMessageIsRejected() {
        wire.initiator.writeAndFlush(Unpooled.wrappedBuffer(random(100)));
        ByteBuf frame = ChannelPair.drain(wire.initiator).get(0);
        ByteBuf replay = frame.copy();
        wire.responder.writeInbound(frame);
        assertThat(ChannelPair.readInboundBytes(wire.responder)).hasSize(100);
        assertThatThrownBy(() -> wire.responder.writeInbound(replay)).isInstanceOf(NoiseDecryptionException.class);
        assertThat(replay.refCnt()).isZero();
    }

    @Test
    void messageShorterThanTheTagIsCorrupt() {
        ByteBuf bad = Unpooled.buffer().writeShort(15).writeZero(15);
        assertThatThrownBy(() -> wire.responder.writeInbound(bad))
                .isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("15 bytes (expected: >= 16)");
        assertThat(bad.refCnt()).isZero();
        assertThat(wire.responder.isOpen()).isFalse();
    }

    @Test
    void bytesAfterAFailureAreDropped() {
        wire.initiator.writeAndFlush(Unpooled.wrappedBuffer(random(10)));
        wire.initiator.writeAndFlush(Unpooled.wrappedBuffer(random(10)));
        List<ByteBuf> frames = ChannelPair.drain(wire.initiator);
        ByteBuf both = Unpooled.buffer().writeBytes(frames.get(0)).writeBytes(frames.get(1));
        frames.forEach(ByteBuf::release);
        both.setByte(5, both.getByte(5) ^ 1); // spoil the first
        assertThatThrownBy(() -> wire.responder.writeInbound(both)).isInstanceOf(NoiseDecryptionException.class);
        assertThat(both.refCnt()).isZero();
        assertThat((Object) wire.responder.readInbound()).isNull();
    }

    @Test
    void truncatedMessageThenCloseReleasesEverything() {
        wire.initiator.writeAndFlush(Unpooled.wrappedBuffer(random(1000)));
        ByteBuf frame = ChannelPair.drain(wire.initiator).get(0);
        ByteBuf head = frame.readRetainedSlice(500);
        frame.release();
        wire.responder.writeInbound(head);
        assertThat((Object) wire.responder.readInbound()).isNull();
        wire.responder.close();
        assertThat(head.refCnt()).isZero();
    }

    @Test
    void compositeWritesAreEncryptedInPlaceWithTheSameResult() {
        byte[] data = random(3 * 65519 + 100);
        var composite = Unpooled.compositeBuffer();
        int[] cuts = {0, 12, 65519, 65530, 140_000, data.length};
        for (int i = 1; i < cuts.length; i++) {
            ByteBuf part = ByteBufAllocator.DEFAULT.directBuffer(cuts[i] - cuts[i - 1]);
            composite.addComponent(true, part.writeBytes(data, cuts[i - 1], cuts[i] - cuts[i - 1]));
        }
        assertThat(composite.nioBufferCount()).isGreaterThan(1);
        assertThat(wire.initiator.writeAndFlush(composite).isSuccess()).isTrue();
        assertThat(composite.refCnt()).isZero();
        wire.pump();
        assertThat(ChannelPair.readInboundBytes(wire.responder)).isEqualTo(data);
    }

    @Test
    void emptyTransportMessageIsAuthenticatedButNotPassedOn() throws Exception {
        byte[] key = random(32);
        CipherState sender = new CipherState();
        sender.initializeKey(key);
        CipherState receiver = new CipherState();
        receiver.initializeKey(key);
        EmbeddedChannel ch = new EmbeddedChannel(new NoiseRecordDecoder(receiver));
        byte[] tag = new byte[16];
        sender.encrypt(ByteBuffer.allocate(0), ByteBuffer.wrap(tag));
        ch.writeInbound(Unpooled.buffer().writeShort(16).writeBytes(tag));
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.isOpen()).isTrue();
        // the nonce advanced on both sides: the next message still decrypts
        byte[] sealed = new byte[3 + 16];
        sender.encrypt(ByteBuffer.wrap(new byte[] {1, 2, 3}), ByteBuffer.wrap(sealed));
        ch.writeInbound(Unpooled.buffer().writeShort(sealed.length).writeBytes(sealed));
        assertThat(ChannelPair.readInboundBytes(ch)).containsExactly(1, 2, 3);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }
}
