package io.vine.protocol.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.vine.core.codec.VarintFrameDecoder;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiformats.Varint;
import io.vine.core.peer.PeerId;
import io.vine.protocol.identify.internal.pb.IdentifyProto;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdentifyReaderTest {
    private static final PrivKey KEY = Keys.generateEd25519();
    private static final PeerId PEER = PeerId.fromPublicKey(KEY.publicKey());
    private static final Multiaddr ADDR = Multiaddr.parse("/ip4/192.0.2.1/tcp/4001");
    private static final Multiaddr OBSERVED = Multiaddr.parse("/ip4/198.51.100.7/tcp/51234");

    private final CompletableFuture<IdentifyUpdate> result = new CompletableFuture<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new VarintFrameDecoder(IdentifyCodec.MAX_MESSAGE_BYTES),
            new IdentifyReader(PEER, Duration.ofSeconds(5), result));

    static IdentifyProto.Identify message(PrivKey key) {
        return IdentifyCodec.encode(key.publicKey(), List.of(ADDR), OBSERVED,
                List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"), "test/1.0");
    }

    private void endOfInput() {
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    }

    @Test
    void readsOneMessageUntilTheRemoteCloses() throws Exception {
        channel.writeInbound(Identify.frame(ByteBufAllocator.DEFAULT, message(KEY)));
        assertThat(result).isNotDone();
        endOfInput();

        IdentifyUpdate update = result.get();
        assertThat(update.publicKey()).contains(KEY.publicKey());
        assertThat(update.listenAddrs()).contains(List.of(ADDR));
        assertThat(update.observedAddr()).contains(OBSERVED);
        assertThat(update.protocols()).contains(List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"));
        assertThat(update.agentVersion()).contains("test/1.0");
        assertThat(update.protocolVersion()).contains("ipfs/0.1.0");
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void mergesMessagesSplitByTheSender() throws Exception {
        IdentifyProto.Identify first = IdentifyProto.Identify.newBuilder()
                .setPublicKey(ByteString.copyFrom(KEY.publicKey().marshal()))
                .addListenAddrs(ByteString.copyFrom(ADDR.toBytes())).build();
        IdentifyProto.Identify second = IdentifyProto.Identify.newBuilder()
                .setAgentVersion("split/1").addProtocols("/x/1").build();
        ByteBuf both = Unpooled.wrappedBuffer(Identify.frame(ByteBufAllocator.DEFAULT, first),
                Identify.frame(ByteBufAllocator.DEFAULT, second));
        channel.writeInbound(both);
        channel.close();

        IdentifyUpdate update = result.get();
        assertThat(update.listenAddrs()).contains(List.of(ADDR));
        assertThat(update.agentVersion()).contains("split/1");
        assertThat(update.protocols()).contains(List.of("/x/1"));
        assertThat(update.observedAddr()).isEmpty();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void deliversByteByByte() throws Exception {
        ByteBuf frame = Identify.frame(ByteBufAllocator.DEFAULT, message(KEY));
        while (frame.isReadable()) {
            channel.writeInbound(frame.readRetainedSlice(1));
        }
        frame.release();
        endOfInput();
        assertThat(result.get().publicKey()).contains(KEY.publicKey());
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void truncatedMessageFails() {
        ByteBuf frame = Identify.frame(ByteBufAllocator.DEFAULT, message(KEY));
        channel.writeInbound(frame.retainedSlice(0, frame.readableBytes() - 3));
        frame.release();
        endOfInput();
        assertFails("stream closed before a complete message");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void oversizedLengthPrefixResetsBeforeBuffering() {
        ByteBuf prefix = Varint.write(Unpooled.buffer(), IdentifyCodec.MAX_MESSAGE_BYTES + 1);
        channel.writeInbound(prefix);
        assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IdentifyException.class)
                .cause().isInstanceOf(TooLongFrameException.class);
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void oversizedMessageFails() {
        IdentifyProto.Identify big = message(KEY).toBuilder()
                .setAgentVersion("a".repeat(IdentifyCodec.MAX_MESSAGE_BYTES)).build();
        channel.writeInbound(Identify.frame(ByteBufAllocator.DEFAULT, big));
        assertThatThrownBy(result::get).cause().isInstanceOf(IdentifyException.class);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void keyOfAnotherPeerIsRejected() {
        channel.writeInbound(Identify.frame(ByteBufAllocator.DEFAULT, message(Keys.generateEd25519())));
        endOfInput();
        assertFails("expected: the key of " + PEER);
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void malformedKeyIsRejected() {
        IdentifyProto.Identify bad = message(KEY).toBuilder()
                .setPublicKey(ByteString.copyFrom(new byte[] {8, 1, 18, 3, 1, 2, 3})).build();
        channel.writeInbound(Identify.frame(ByteBufAllocator.DEFAULT, bad));
        endOfInput();
        assertFails("malformed public key");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void malformedProtobufFails() {
        ByteBuf garbage = Varint.write(Unpooled.buffer(), 4).writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, 0x0f, 0x01});
        channel.writeInbound(garbage);
        assertFails("malformed message");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void malformedAddressesAreSkipped() throws Exception {
        IdentifyProto.Identify m = message(KEY).toBuilder()
                .addListenAddrs(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, 0x7f}))
                .setObservedAddr(ByteString.copyFrom(new byte[] {4, 1}))
                .build();
        channel.writeInbound(Identify.frame(ByteBufAllocator.DEFAULT, m));
        endOfInput();
        IdentifyUpdate update = result.get();
        assertThat(update.listenAddrs()).contains(List.of(ADDR));
        assertThat(update.observedAddr()).isEmpty();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void tooManyMessagesFail() {
        for (int i = 0; i <= IdentifyCodec.MAX_MESSAGES; i++) {
            channel.writeInbound(Identify.frame(ByteBufAllocator.DEFAULT, message(KEY)));
        }
        assertFails("more than " + IdentifyCodec.MAX_MESSAGES + " messages");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void silentPeerTimesOut() {
        EmbeddedChannel slow = EmbeddedChannel.builder().build();
        CompletableFuture<IdentifyUpdate> r = new CompletableFuture<>();
        slow.freezeTime();
        slow.pipeline().addLast(new VarintFrameDecoder(100), new IdentifyReader(PEER, Duration.ofSeconds(3), r));
        slow.advanceTimeBy(3, TimeUnit.SECONDS);
        slow.runScheduledPendingTasks();
        assertThatThrownBy(r::get).cause().isInstanceOf(IdentifyException.class).hasMessageContaining("timed out");
        assertThat(slow.isOpen()).isFalse();
        assertThat(slow.finishAndReleaseAll()).isFalse();
        channel.finishAndReleaseAll();
    }

    private void assertFails(String message) {
        assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IdentifyException.class).hasMessageContaining(message);
    }
}
