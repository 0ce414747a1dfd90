package io.vine.muxer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.vine.core.Direction;
import io.vine.core.LimitExceededException;
import io.vine.core.StreamChannel;
import io.vine.core.StreamException;
import io.vine.core.StreamMuxer;
import io.vine.muxer.MuxerTestKit.Collector;
import io.vine.muxer.MuxerTestKit.Echo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link StreamMuxer} must have, run over a connected pair of local channels with the
 * muxers installed directly on them. A muxer's test extends this class and says how to build the muxer.
 */
@Timeout(120)
public abstract class MuxerContractTest {

    private static EventLoopGroup group;
    private MuxerTestKit kit;

    /** A muxer with its default configuration. */
    protected abstract StreamMuxer newMuxer();

    /** A muxer that allows at most {@code maxStreams} streams per connection. */
    protected abstract StreamMuxer newMuxer(int maxStreams);

    /** Bytes the muxer holds received and unread for {@code stream}. */
    protected abstract long bufferedInboundBytes(StreamChannel stream);

    /** The most bytes a muxer with the default configuration may hold unread for one stream. */
    protected abstract long maxBufferedBytes();

    @BeforeAll
    static void startLoops() {
        group = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoops() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void checkBuffers() throws Exception {
        if (kit != null) {
            kit.close();
        }
    }

    protected MuxerTestKit connect(Consumer<StreamChannel> clientInit, Consumer<StreamChannel> serverInit)
            throws Exception {
        return connect(newMuxer(), newMuxer(), clientInit, serverInit);
    }

    protected MuxerTestKit connect(StreamMuxer clientMuxer, StreamMuxer serverMuxer,
            Consumer<StreamChannel> clientInit, Consumer<StreamChannel> serverInit) throws Exception {
        kit = new MuxerTestKit(group).connect(clientMuxer, serverMuxer, clientInit, serverInit);
        return kit;
    }

    static Consumer<StreamChannel> echo() {
        return s -> s.pipeline().addLast(new Echo());
    }

    static Collector collect(StreamChannel stream) {
        Collector collector = new Collector();
        stream.pipeline().addLast(collector);
        return collector;
    }

    static ChannelFuture write(StreamChannel stream, String text) {
        return stream.writeAndFlush(stream.alloc().buffer().writeBytes(text.getBytes(UTF_8)));
    }

    static ChannelFuture write(StreamChannel stream, byte[] data) {
        return stream.writeAndFlush(stream.alloc().buffer(data.length).writeBytes(data));
    }

    @Test
    void opensStreamsBothWaysAndEchoes() throws Exception {
        MuxerTestKit k = connect(echo(), echo());

        StreamChannel out = k.client.open();
        Collector fromServer = collect(out);
        write(out, "hello server").sync();
        StreamChannel serverSide = k.server.nextInbound();
        assertThat(fromServer.awaitBytes(12)).isTrue();
        assertThat(fromServer.text()).isEqualTo("hello server");
        assertThat(out.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(serverSide.direction()).isEqualTo(Direction.INBOUND);
        assertThat(serverSide.streamId()).isEqualTo(out.streamId());
        assertThat(out.parent()).isSameAs(k.client.channel());

        StreamChannel back = k.server.open();
        Collector fromClient = collect(back);
        write(back, "hello client").sync();
        assertThat(fromClient.awaitBytes(12)).isTrue();
        assertThat(fromClient.text()).isEqualTo("hello client");
        assertThat(k.client.nextInbound().streamId()).isEqualTo(back.streamId());
        assertThat(back.streamId()).isNotEqualTo(out.streamId());
        assertThat(k.client.session().streamCount()).isEqualTo(2);
        assertThat(k.server.session().streamCount()).isEqualTo(2);
    }

    @Test
    void manyConcurrentStreams() throws Exception {
        MuxerTestKit k = connect(echo(), echo());
        int streams = 100;
        List<StreamChannel> opened = new ArrayList<>();
        List<Collector> collectors = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        List<CompletableFuture<StreamChannel>> opens = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            opens.add(k.client.session().openStream());
        }
        for (CompletableFuture<StreamChannel> open : opens) {
            StreamChannel stream = open.get(10, TimeUnit.SECONDS);
            opened.add(stream);
            collectors.add(collect(stream));
            byte[] data = new byte[10_000 + ThreadLocalRandom.current().nextInt(40_000)];
            ThreadLocalRandom.current().nextBytes(data);
            sent.add(data);
        }
        for (int i = 0; i < streams; i++) {
            write(opened.get(i), sent.get(i));
            opened.get(i).shutdownOutput();
        }
        for (int i = 0; i < streams; i++) {
            Collector c = collectors.get(i);
            c.inputShutdown.get(20, TimeUnit.SECONDS);
            assertThat(c.bytes()).as("stream %d", i).isEqualTo(sent.get(i));
        }
        for (StreamChannel stream : opened) {
            assertThat(stream.closeFuture().await(10, TimeUnit.SECONDS)).as("closed after both FINs").isTrue();
        }
        assertThat(MuxerTestKit.await(() -> k.client.session().streamCount() == 0
                && k.server.session().streamCount() == 0, 10_000)).as("streams forgotten").isTrue();
    }

    @Test
    void largeTransferToSlowReaderStaysWithinTheWindow() throws Exception {
        long total = 64L * 1024 * 1024;
        List<Transfer.SlowReader> readers = new ArrayList<>();
        MuxerTestKit k = connect(s -> { }, s -> {
            Transfer.SlowReader reader = new Transfer.SlowReader(200, this::bufferedInboundBytes);
            readers.add(reader);
            s.pipeline().addLast(reader);
        });
        StreamChannel out = k.client.open();
        Transfer.Pump pump = new Transfer.Pump(total, 64 * 1024).start(out);
        k.server.nextInbound();
        Transfer.SlowReader reader = readers.get(0);
        try {
            reader.finished.get(100, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("stalled: received " + reader.received + " of " + total + ", written "
                    + pump.sent + ", writer writable " + out.isWritable(), e);
        }
        pump.done.get(10, TimeUnit.SECONDS);

        assertThat(reader.received).isEqualTo(total);
        assertThat(reader.mismatches).isZero();
        assertThat(reader.maxBuffered).isPositive().isLessThanOrEqualTo(maxBufferedBytes());
        long highWaterMark = out.config().getWriteBufferHighWaterMark();
        assertThat(pump.maxPending).isLessThanOrEqualTo(highWaterMark + 64 * 1024);
    }

    @Test
    void halfClose() throws Exception {
        List<Collector> serverCollectors = new ArrayList<>();
        MuxerTestKit k = connect(s -> { }, s -> serverCollectors.add(collect(s)));
        StreamChannel out = k.client.open();
        Collector fromServer = collect(out);
        write(out, "request").sync();
        out.shutdownOutput().sync();
        assertThat(out.isOutputShutdown()).isTrue();
        ChannelFuture late = write(out, "too late").await();
        assertThat(late.isSuccess()).isFalse();

        StreamChannel in = k.server.nextInbound();
        Collector fromClient = serverCollectors.get(0);
        fromClient.inputShutdownReadComplete.get(10, TimeUnit.SECONDS);
        assertThat(fromClient.text()).isEqualTo("request");
        assertThat(in.isInputShutdown()).isTrue();
        assertThat(in.isOpen()).as("half-closed stream stays open for writing").isTrue();

        write(in, "response").sync();
        assertThat(fromServer.awaitBytes(8)).isTrue();
        assertThat(fromServer.text()).isEqualTo("response");
        assertThat(out.isOpen()).isTrue();
        in.shutdownOutput().sync();
        fromServer.inputShutdownReadComplete.get(10, TimeUnit.SECONDS);
        assertThat(out.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(in.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(MuxerTestKit.await(() -> k.client.session().streamCount() == 0
                && k.server.session().streamCount() == 0, 10_000)).isTrue();
    }

    @Test
    void resetByOpener() throws Exception {
        List<Collector> serverCollectors = new ArrayList<>();
        MuxerTestKit k = connect(s -> { }, s -> serverCollectors.add(collect(s)));
        StreamChannel out = k.client.open();
        write(out, "data").sync();
        StreamChannel in = k.server.nextInbound();
        assertThat(serverCollectors.get(0).awaitBytes(4)).isTrue();

        out.reset().sync();
        assertThat(out.isOpen()).isFalse();
        assertThat(in.closeFuture().await(10, TimeUnit.SECONDS)).as("remote reset closes the stream").isTrue();
        assertThat(write(in, "after reset").await().isSuccess()).isFalse();
        assertThat(MuxerTestKit.await(() -> k.client.session().streamCount() == 0
                && k.server.session().streamCount() == 0, 10_000)).isTrue();
    }

    @Test
    void resetByAcceptorFailsPendingWrites() throws Exception {
        MuxerTestKit k = connect(s -> { }, s -> s.config().setAutoRead(false));
        StreamChannel out = k.client.open();
        byte[] big = new byte[4 * 1024 * 1024];
        ChannelFuture pending = write(out, big);
        // The write is handed to the stream's loop; let it reach the stream before the reset can.
        out.eventLoop().submit(() -> { }).sync();
        StreamChannel in = k.server.nextInbound();
        in.reset().sync();

        assertThat(out.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pending.await(10, TimeUnit.SECONDS)).isTrue();
        if (!pending.isSuccess()) {
            assertThat(pending.cause()).isInstanceOf(StreamException.class);
        }
        assertThat(pending.isSuccess()).as("4 MiB cannot have left before the reset").isEqualTo(!flowControlled());
        assertThat(write(out, "after reset").await().isSuccess()).isFalse();
    }

    @Test
    void remoteCloseClosesStreamsAndFailsOpens() throws Exception {
        MuxerTestKit k = connect(s -> { }, s -> { });
        StreamChannel out = k.client.open();
        k.server.nextInbound();
        k.server.session().close().get(10, TimeUnit.SECONDS);

        assertThat(out.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
        k.client.session().close().get(10, TimeUnit.SECONDS);
        assertThat(k.client.session().streamCount()).isZero();
        CompletableFuture<StreamChannel> open = k.client.session().openStream();
        assertThat(open).failsWithin(10, TimeUnit.SECONDS)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(StreamException.class);
    }

    @Test
    void openerEnforcesItsStreamLimit() throws Exception {
        MuxerTestKit k = connect(newMuxer(2), newMuxer(), s -> { }, s -> { });
        k.client.open();
        k.client.open();
        assertThat(k.client.session().openStream()).failsWithin(10, TimeUnit.SECONDS)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(LimitExceededException.class);
        assertThat(k.client.session().streamCount()).isEqualTo(2);
    }

    @Test
    void acceptorRefusesStreamsOverItsLimit() throws Exception {
        MuxerTestKit k = connect(newMuxer(), newMuxer(2), s -> { }, s -> { });
        StreamChannel a = k.client.open();
        k.client.open();
        k.server.nextInbound();
        k.server.nextInbound();
        StreamChannel third = k.client.open();
        assertThat(third.closeFuture().await(10, TimeUnit.SECONDS)).as("refused by the remote").isTrue();
        assertThat(write(third, "x").await().isSuccess()).isFalse();
        assertThat(k.server.inbound()).isEmpty();
        assertThat(k.server.session().streamCount()).isEqualTo(2);

        // Once a stream is gone on both sides, a new one is accepted.
        a.reset().sync();
        assertThat(MuxerTestKit.await(() -> k.server.session().streamCount() == 1, 10_000)).isTrue();
        StreamChannel fourth = k.client.open();
        write(fourth, "y").sync();
        k.server.nextInbound();
        assertThat(fourth.isOpen()).isTrue();
    }

    @Test
    void writabilityFollowsTheRemoteReader() throws Exception {
        MuxerTestKit k = connect(s -> { }, s -> s.config().setAutoRead(false));
        StreamChannel out = k.client.open();
        long written = 0;
        CompletableFuture<Long> unwritableAfter = new CompletableFuture<>();
        out.eventLoop().execute(() -> {
            long n = 0;
            while (out.isWritable() && n < 64L * 1024 * 1024) {
                ByteBuf buf = out.alloc().buffer(4096).writeZero(4096);
                out.writeAndFlush(buf);
                n += 4096;
            }
            unwritableAfter.complete(n);
        });
        written = unwritableAfter.get(10, TimeUnit.SECONDS);
        assertThat(out.isWritable()).as("a remote that does not read stops the writer").isFalse();
        assertThat(written).isLessThan(64L * 1024 * 1024);

        StreamChannel in = k.server.nextInbound();
        Collector collector = collect(in);
        in.config().setAutoRead(true);
        assertThat(MuxerTestKit.await(out::isWritable, 10_000)).as("writable again once read").isTrue();
        long expected = written;
        assertThat(MuxerTestKit.await(() -> collector.bytes().length == expected, 10_000)).isTrue();
    }

    /** Whether the muxer has per-stream flow control (writes wait for the remote's window). */
    protected boolean flowControlled() {
        return true;
    }
}
