package io.vine.protocol.ping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PingHandlersTest {
    private final AtomicInteger released = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();

    private EmbeddedChannel responder() {
        EmbeddedChannel ch = EmbeddedChannel.builder().build();
        ch.freezeTime();
        ch.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                reads.incrementAndGet();
                ctx.read();
            }
        });
        ch.pipeline().addLast(new PingResponder(Duration.ofSeconds(10), released::incrementAndGet));
        return ch;
    }

    private static byte[] payload(int seed) {
        byte[] b = new byte[PingInitiator.PAYLOAD_BYTES];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    private static byte[] drain(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            all.writeBytes(b);
            b.release();
        }
        byte[] out = ByteBufUtil.getBytes(all);
        all.release();
        return out;
    }

    @Test
    void responderEchoesWholePayloadsOnly() {
        EmbeddedChannel ch = responder();
        assertThat(ch.config().isAutoRead()).isFalse();
        byte[] p1 = payload(1);
        byte[] p2 = payload(2);
        ch.writeInbound(Unpooled.wrappedBuffer(p1, 0, 10));
        assertThat(drain(ch)).isEmpty();
        ByteBuf rest = Unpooled.buffer().writeBytes(p1, 10, 22).writeBytes(p2).writeBytes(payload(3), 0, 5);
        ch.writeInbound(rest);
        byte[] echoed = drain(ch);
        assertThat(echoed).hasSize(64);
        assertThat(java.util.Arrays.copyOfRange(echoed, 0, 32)).isEqualTo(p1);
        assertThat(java.util.Arrays.copyOfRange(echoed, 32, 64)).isEqualTo(p2);
        // One read requested per read completed, none ahead.
        assertThat(reads.get()).isEqualTo(3);

        // The dialer closes its side: the partial third payload is dropped and the stream closed.
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(drain(ch)).isEmpty();
        assertThat(ch.isOpen()).isFalse();
        assertThat(released.get()).isEqualTo(1);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void responderClosesIdleStreams() {
        EmbeddedChannel ch = responder();
        ch.advanceTimeBy(9, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        ch.writeInbound(Unpooled.wrappedBuffer(payload(1), 0, 31));
        ch.advanceTimeBy(9, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(released.get()).isEqualTo(1);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    /** Carries bytes between an initiator channel and a responder channel until neither has any. */
    private static void pump(EmbeddedChannel initiator, EmbeddedChannel responder, boolean corrupt) {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (ByteBuf b; (b = initiator.readOutbound()) != null; ) {
                moved = true;
                if (b.isReadable()) {
                    responder.writeInbound(b);
                } else {
                    b.release();
                }
            }
            for (ByteBuf b; (b = responder.readOutbound()) != null; ) {
                moved = true;
                if (corrupt && b.isReadable()) {
                    b.setByte(b.readerIndex() + 7, b.getByte(b.readerIndex() + 7) ^ 1);
                }
                if (initiator.isOpen()) {
                    initiator.writeInbound(b);
                } else {
                    b.release();
                }
            }
        }
    }

    @Test
    void initiatorMeasuresEachRoundTrip() throws Exception {
        CompletableFuture<List<Duration>> result = new CompletableFuture<>();
        List<Duration> recorded = new ArrayList<>();
        EmbeddedChannel initiator = new EmbeddedChannel(
                new PingInitiator(3, Duration.ofSeconds(5), result, recorded::add));
        EmbeddedChannel responder = responder();
        pump(initiator, responder, false);
        assertThat(result.get()).hasSize(3).allMatch(d -> !d.isNegative()).isEqualTo(recorded);
        assertThat(initiator.isOpen()).isFalse();
        assertThat(initiator.finishAndReleaseAll()).isFalse();
        assertThat(responder.finishAndReleaseAll()).isFalse();
    }

    @Test
    void wrongEchoFailsWithMismatch() {
        CompletableFuture<List<Duration>> result = new CompletableFuture<>();
        EmbeddedChannel initiator = new EmbeddedChannel(
                new PingInitiator(2, Duration.ofSeconds(5), result, d -> {}));
        EmbeddedChannel responder = responder();
        pump(initiator, responder, true);
        assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PingMismatchException.class).hasMessageContaining("ping 1 of 2");
        assertThat(initiator.isOpen()).isFalse();
        assertThat(initiator.finishAndReleaseAll()).isFalse();
        assertThat(responder.finishAndReleaseAll()).isFalse();
    }

    @Test
    void echoSplitAcrossReadsCountsOnceAndTrailingBytesAreDropped() throws Exception {
        CompletableFuture<List<Duration>> result = new CompletableFuture<>();
        EmbeddedChannel initiator = new EmbeddedChannel(
                new PingInitiator(1, Duration.ofSeconds(5), result, d -> {}));
        ByteBuf sent = initiator.readOutbound();
        initiator.writeInbound(sent.readRetainedSlice(20));
        assertThat(result).isNotDone();
        // The rest of the echo followed by one byte nobody asked for.
        initiator.writeInbound(Unpooled.buffer().writeBytes(sent).writeByte(0));
        sent.release();
        assertThat(result.get()).hasSize(1);
        assertThat(initiator.isOpen()).isFalse();
        assertThat(initiator.finishAndReleaseAll()).isFalse();
    }

    @Test
    void silentPeerTimesOut() {
        CompletableFuture<List<Duration>> result = new CompletableFuture<>();
        EmbeddedChannel initiator = EmbeddedChannel.builder().build();
        initiator.freezeTime();
        initiator.pipeline().addLast(new PingInitiator(1, Duration.ofSeconds(2), result, d -> {}));
        initiator.advanceTimeBy(2, TimeUnit.SECONDS);
        initiator.runScheduledPendingTasks();
        assertThatThrownBy(result::get).cause().isInstanceOf(PingTimeoutException.class);
        assertThat(initiator.isOpen()).isFalse();
        assertThat(initiator.finishAndReleaseAll()).isTrue(); // the unanswered payload
    }

    @Test
    void earlyCloseFails() {
        CompletableFuture<List<Duration>> result = new CompletableFuture<>();
        EmbeddedChannel initiator = new EmbeddedChannel(
                new PingInitiator(2, Duration.ofSeconds(5), result, d -> {}));
        ByteBuf sent = initiator.readOutbound();
        initiator.writeInbound(sent.readRetainedSlice(16));
        sent.release();
        initiator.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThatThrownBy(result::get).cause().isExactlyInstanceOf(PingException.class)
                .hasMessageContaining("after 0 of 2");
        assertThat(initiator.finishAndReleaseAll()).isFalse();
    }
}
