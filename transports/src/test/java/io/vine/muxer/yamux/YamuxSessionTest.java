package io.vine.muxer.yamux;

import static io.vine.muxer.yamux.YamuxFrame.FLAG_ACK;
import static io.vine.muxer.yamux.YamuxFrame.FLAG_FIN;
import static io.vine.muxer.yamux.YamuxFrame.FLAG_RST;
import static io.vine.muxer.yamux.YamuxFrame.FLAG_SYN;
import static io.vine.muxer.yamux.YamuxFrame.GO_AWAY_NORMAL;
import static io.vine.muxer.yamux.YamuxFrame.GO_AWAY_PROTOCOL_ERROR;
import static io.vine.muxer.yamux.YamuxFrame.TYPE_DATA;
import static io.vine.muxer.yamux.YamuxFrame.TYPE_GO_AWAY;
import static io.vine.muxer.yamux.YamuxFrame.TYPE_PING;
import static io.vine.muxer.yamux.YamuxFrame.TYPE_WINDOW_UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vine.core.Direction;
import io.vine.core.StreamChannel;
import io.vine.core.StreamException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session against hand-written frames: one EmbeddedChannel is the connection, the test is the remote. */
class YamuxSessionTest {

    private final List<StreamChannel> accepted = new ArrayList<>();
    private final List<ByteBuf> received = new ArrayList<>();
    private EmbeddedChannel channel;
    private YamuxSession session;
    private EmbeddedChannel wire;
    private boolean autoRead = true;

    @AfterEach
    void release() {
        received.forEach(ByteBuf::release);
        channel.finishAndReleaseAll();
        if (wire != null) {
            wire.finishAndReleaseAll();
        }
    }

    /** Starts a responder (even stream ids) unless {@code initiator}; drains the initial ping. */
    private void start(YamuxConfig config, boolean initiator) {
        channel = new EmbeddedChannel();
        session = (YamuxSession) new Yamux(config).start(channel, initiator, stream -> {
            accepted.add(stream);
            stream.config().setAutoRead(autoRead);
            stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    received.add((ByteBuf) msg);
                }
            });
        });
        wire = new EmbeddedChannel(new YamuxFrameDecoder(Integer.MAX_VALUE));
        YamuxFrame ping = next();
        assertThat(ping.type()).isEqualTo(TYPE_PING);
        assertThat(ping.flags()).isEqualTo(FLAG_SYN);
    }

    private void start() {
        start(YamuxConfig.builder().keepAliveInterval(Duration.ZERO).build(), false);
    }

    private void remote(int type, int flags, int streamId, long length) {
        channel.writeInbound(YamuxFrame.header(UnpooledByteBufAllocator.DEFAULT, type, flags, streamId, length));
    }

    private void remoteData(int flags, int streamId, int length) {
        ByteBuf header = YamuxFrame.header(UnpooledByteBufAllocator.DEFAULT, TYPE_DATA, flags, streamId, length);
        channel.writeInbound(Unpooled.wrappedBuffer(header, Unpooled.buffer(length).writeZero(length)));
    }

    /** The next frame this side wrote, or null. */
    private YamuxFrame next() {
        channel.runPendingTasks();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            wire.writeInbound(out);
        }
        return wire.readInbound();
    }

    private void assertGoAway(long code) {
        YamuxFrame frame = next();
        while (frame != null && frame.type() != TYPE_GO_AWAY) {
            frame.release();
            frame = next();
        }
        assertThat(frame).as("GoAway").isNotNull();
        assertThat(frame.length()).isEqualTo(code);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closeDoesNotWaitLongerThanItsGraceForAGoAwayThatCannotLeave() {
        // A dead link with a full send buffer: nothing written ever completes.
        List<Object> stuck = new ArrayList<>();
        channel = new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
                stuck.add(msg);
            }
        });
        session = (YamuxSession) new Yamux(YamuxConfig.builder().keepAliveInterval(Duration.ZERO).build())
                .start(channel, false, stream -> { });
        session.close();
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("open while the GoAway may still leave").isTrue();
        channel.advanceTimeBy(YamuxSession.CLOSE_GRACE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        stuck.forEach(io.netty.util.ReferenceCountUtil::release);
    }

    @Test
    void answersPingsWithTheSameOpaqueValue() {
        start();
        remote(TYPE_PING, FLAG_SYN, 0, 0xDEADBEEFL);
        YamuxFrame pong = next();
        assertThat(pong.type()).isEqualTo(TYPE_PING);
        assertThat(pong.flags()).isEqualTo(FLAG_ACK);
        assertThat(pong.length()).isEqualTo(0xDEADBEEFL);
    }

    @Test
    void measuresTheRoundTripFromItsPing() {
        start();
        assertThat(session.rttNanos()).isZero();
        remote(TYPE_PING, FLAG_ACK, 0, 1); // not the opaque value of our ping
        assertThat(session.rttNanos()).isZero();
        remote(TYPE_PING, FLAG_ACK, 0, 0);
        assertThat(session.rttNanos()).isPositive();
    }

    @Test
    void acceptsAStreamAndAcknowledgesItWithItsFirstFrame() {
        start();
        remoteData(FLAG_SYN, 1, 10);
        assertThat(accepted).hasSize(1);
        StreamChannel stream = accepted.get(0);
        assertThat(stream.streamId()).isEqualTo(1);
        assertThat(stream.direction()).isEqualTo(Direction.INBOUND);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).readableBytes()).isEqualTo(10);
        assertThat(next()).as("no implicit ACK").isNull();

        stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        YamuxFrame data = next();
        assertThat(data.type()).isEqualTo(TYPE_DATA);
        assertThat(data.flags()).isEqualTo(FLAG_ACK);
        assertThat(data.streamId()).isEqualTo(1);
        assertThat(data.content().readableBytes()).isEqualTo(3);
        data.release();
        stream.shutdownOutput();
        YamuxFrame fin = next();
        assertThat(fin.flags()).isEqualTo(FLAG_FIN);
    }

    @Test
    void writesLeaveInFramesOfTheConfiguredPayloadSize64KiBByDefault() {
        assertThat(YamuxConfig.DEFAULT.maxFramePayload()).isEqualTo(64 * 1024);
        assertThat(framePayloadsOfOneWrite(YamuxConfig.builder().keepAliveInterval(Duration.ZERO).build(),
                200 * 1024)).containsExactly(65536, 65536, 65536, 8192);
        channel.finishAndReleaseAll();
        wire.finishAndReleaseAll();
        accepted.clear();
        received.forEach(ByteBuf::release);
        received.clear();
        assertThat(framePayloadsOfOneWrite(
                YamuxConfig.builder().maxFramePayload(16 * 1024).keepAliveInterval(Duration.ZERO).build(), 40 * 1024))
                .containsExactly(16384, 16384, 8192);
    }

    /** Payload sizes of the Data frames one write of {@code bytes} on an accepted stream leaves in. */
    private List<Integer> framePayloadsOfOneWrite(YamuxConfig config, int bytes) {
        start(config, false);
        remoteData(FLAG_SYN, 1, 1);
        accepted.get(0).writeAndFlush(Unpooled.buffer(bytes).writeZero(bytes));
        List<Integer> sizes = new ArrayList<>();
        for (YamuxFrame frame = next(); frame != null; frame = next()) {
            assertThat(frame.type()).isEqualTo(TYPE_DATA);
            sizes.add(frame.content().readableBytes());
            frame.release();
        }
        return sizes;
    }

    @Test
    void opensStreamsWithItsParityAndSyn() throws Exception {
        start();
        StreamChannel a = session.openStream().get(1, TimeUnit.SECONDS);
        StreamChannel b = session.openStream().get(1, TimeUnit.SECONDS);
        assertThat(a.streamId()).isEqualTo(2);
        assertThat(b.streamId()).isEqualTo(4);
        YamuxFrame syn = next();
        assertThat(syn.type()).isEqualTo(TYPE_WINDOW_UPDATE);
        assertThat(syn.flags()).isEqualTo(FLAG_SYN);
        assertThat(syn.streamId()).isEqualTo(2);
        assertThat(syn.length()).isZero();
        assertThat(next().streamId()).isEqualTo(4);
    }

    @Test
    void largerInitialWindowIsGrantedWithTheSyn() throws Exception {
        start(YamuxConfig.builder().initialWindow(1 << 20).keepAliveInterval(Duration.ZERO).build(), true);
        assertThat(session.openStream().get(1, TimeUnit.SECONDS).streamId()).isEqualTo(1);
        YamuxFrame syn = next();
        assertThat(syn.length()).isEqualTo((1 << 20) - YamuxFrame.DEFAULT_WINDOW);
    }

    @Test
    void streamIdOfTheWrongParityIsAProtocolError() {
        start();
        remote(TYPE_WINDOW_UPDATE, FLAG_SYN, 2, 0);
        assertThat(accepted).isEmpty();
        assertGoAway(GO_AWAY_PROTOCOL_ERROR);
    }

    @Test
    void synForAnOpenStreamIsAProtocolError() {
        start();
        remote(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0);
        remote(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0);
        assertGoAway(GO_AWAY_PROTOCOL_ERROR);
        assertThat(accepted.get(0).isOpen()).isFalse();
    }

    @Test
    void dataBeyondTheWindowIsAProtocolError() {
        autoRead = false;
        start();
        remoteData(FLAG_SYN, 1, YamuxFrame.DEFAULT_WINDOW - 10);
        remoteData(0, 1, 11);
        assertGoAway(GO_AWAY_PROTOCOL_ERROR);
        assertThat(accepted.get(0).isOpen()).isFalse();
    }

    @Test
    void malformedHeaderClosesWithGoAway() {
        start();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}));
        assertGoAway(GO_AWAY_PROTOCOL_ERROR);
    }

    @Test
    void framesForUnknownStreamsAreDropped() {
        start();
        remoteData(0, 5, 100);
        remote(TYPE_WINDOW_UPDATE, FLAG_FIN, 7, 10);
        assertThat(accepted).isEmpty();
        assertThat(next()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void streamsOverTheLimitAreReset() {
        start(YamuxConfig.builder().maxStreams(1).keepAliveInterval(Duration.ZERO).build(), false);
        remote(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0);
        remoteData(FLAG_SYN, 3, 50);
        assertThat(accepted).hasSize(1);
        YamuxFrame rst = next();
        assertThat(rst.streamId()).isEqualTo(3);
        assertThat(rst.flags()).isEqualTo(FLAG_RST);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void remoteResetClosesTheStreamAndFailsPendingWrites() {
        start();
        remote(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0);
        StreamChannel stream = accepted.get(0);
        // More than the remote's window: the rest waits in the stream.
        var pending = stream.writeAndFlush(Unpooled.buffer(300_000).writeZero(300_000));
        remote(TYPE_WINDOW_UPDATE, FLAG_RST, 1, 0);
        assertThat(stream.isOpen()).isFalse();
        assertThat(pending.cause()).isInstanceOf(StreamException.class);
        assertThat(session.streamCount()).isZero();
    }

    @Test
    void goAwayReceivedRefusesNewStreams() {
        start();
        remote(TYPE_GO_AWAY, 0, 0, GO_AWAY_NORMAL);
        CompletableFuture<StreamChannel> open = session.openStream();
        assertThat(open).failsWithin(1, TimeUnit.SECONDS)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(StreamException.class)
                .withMessageContaining("GoAway");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void closeSendsGoAwayAndClosesTheConnection() {
        start();
        remote(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0);
        CompletableFuture<Void> closed = session.close();
        assertGoAway(GO_AWAY_NORMAL);
        assertThat(closed).isCompleted();
        assertThat(accepted.get(0).isOpen()).isFalse();
    }

    @Test
    void keepAliveClosesAConnectionThatStopsAnswering() {
        start(YamuxConfig.builder().keepAliveInterval(Duration.ofSeconds(1)).build(), false);
        remote(TYPE_PING, FLAG_ACK, 0, 0);
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        YamuxFrame ping = next();
        assertThat(ping.type()).isEqualTo(TYPE_PING);
        assertThat(ping.length()).isEqualTo(1);
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    // ---- receive window: replenished as read, doubled when the reader keeps up with the link ----

    private long windowUpdate() {
        YamuxFrame frame = next();
        assertThat(frame).as("WindowUpdate").isNotNull();
        assertThat(frame.type()).isEqualTo(TYPE_WINDOW_UPDATE);
        assertThat(frame.streamId()).isEqualTo(1);
        return frame.length();
    }

    private void pongAfter(long millis) throws InterruptedException {
        Thread.sleep(millis);
        remote(TYPE_PING, FLAG_ACK, 0, 0);
        assertThat(session.rttNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void windowIsReplenishedOnlyAsTheApplicationReads() {
        autoRead = false;
        start();
        remoteData(FLAG_SYN, 1, 200_000);
        assertThat(next()).as("nothing read, nothing granted").isNull();
        StreamChannel stream = accepted.get(0);
        assertThat(((YamuxStream) stream).queuedInboundBytes()).isEqualTo(200_000);
        stream.read();
        assertThat(windowUpdate()).as("no RTT known yet: no growth").isEqualTo(200_000);
        assertThat(((YamuxStream) stream).queuedInboundBytes()).isZero();
    }

    @Test
    void smallReadsAreGrantedInBatchesOfHalfTheWindow() {
        start();
        remoteData(FLAG_SYN, 1, 100_000);
        assertThat(next()).isNull();
        remoteData(0, 1, 31_072);
        assertThat(windowUpdate()).isEqualTo(131_072);
    }

    @Test
    void windowDoublesWhenHalfOfItIsReadWithinTwoRoundTrips() throws Exception {
        start();
        pongAfter(200);
        remoteData(FLAG_SYN, 1, 128 * 1024);
        assertThat(windowUpdate()).isEqualTo(128 * 1024 + 256 * 1024);
        remoteData(0, 1, 256 * 1024);
        assertThat(windowUpdate()).isEqualTo(256 * 1024 + 512 * 1024);
    }

    @Test
    void windowStaysWhenTheReaderIsSlowerThanTheLink() throws Exception {
        start();
        pongAfter(20);
        remote(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0);
        // Slower than two round trips as measured (the measurement includes this JVM's warm-up).
        Thread.sleep(2 * TimeUnit.NANOSECONDS.toMillis(Math.max(session.rttNanos(), YamuxStream.MIN_TUNING_RTT_NANOS)) + 50);
        remoteData(0, 1, 128 * 1024);
        assertThat(windowUpdate()).isEqualTo(128 * 1024);
    }

    @Test
    void windowGrowthStopsAtMaxWindow() throws Exception {
        start(YamuxConfig.builder().maxWindow(512 * 1024).keepAliveInterval(Duration.ZERO).build(), false);
        pongAfter(200);
        remoteData(FLAG_SYN, 1, 128 * 1024);
        assertThat(windowUpdate()).isEqualTo(128 * 1024 + 256 * 1024);
        remoteData(0, 1, 256 * 1024);
        assertThat(windowUpdate()).as("at maxWindow").isEqualTo(256 * 1024);
    }

    @Test
    void windowGrowthStopsAtTheConnectionBudget() throws Exception {
        start(YamuxConfig.builder().maxConnectionWindow(320 * 1024).keepAliveInterval(Duration.ZERO).build(), false);
        pongAfter(200);
        remoteData(FLAG_SYN, 1, 128 * 1024);
        assertThat(windowUpdate()).as("64 KiB left in the budget").isEqualTo(128 * 1024 + 64 * 1024);
    }

    // ---- local close ----

    @Test
    void closeSendsFinAndForgetsTheStreamAtTheRemoteFin() {
        start();
        remote(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0);
        accepted.get(0).close();
        YamuxFrame fin = next();
        assertThat(fin.flags()).isEqualTo(FLAG_ACK | FLAG_FIN);
        assertThat(session.streamCount()).isEqualTo(1);
        remote(TYPE_WINDOW_UPDATE, FLAG_FIN, 1, 0);
        assertThat(session.streamCount()).isZero();
        assertThat(next()).isNull();
    }

    @Test
    void dataAfterALocalCloseIsAnsweredWithReset() {
        start();
        remote(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0);
        accepted.get(0).close();
        next().release();
        remoteData(0, 1, 100);
        YamuxFrame rst = next();
        assertThat(rst.flags()).isEqualTo(FLAG_RST);
        assertThat(session.streamCount()).isZero();
    }

    @Test
    void closeWithUnreadDataResets() {
        autoRead = false;
        start();
        remoteData(FLAG_SYN, 1, 100);
        accepted.get(0).close();
        YamuxFrame rst = next();
        assertThat(rst.flags()).isEqualTo(FLAG_RST);
        assertThat(session.streamCount()).isZero();
    }

    @Test
    void closedStreamWithoutRemoteFinIsResetAfterTheCloseTimeout() {
        start(YamuxConfig.builder().closeTimeout(Duration.ofSeconds(5)).keepAliveInterval(Duration.ZERO).build(), false);
        remote(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0);
        accepted.get(0).close();
        next().release();
        channel.advanceTimeBy(4, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(session.streamCount()).isEqualTo(1);
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(next().flags()).isEqualTo(FLAG_RST);
        assertThat(session.streamCount()).isZero();
    }
}
