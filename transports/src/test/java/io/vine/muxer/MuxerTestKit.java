package io.vine.muxer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.vine.core.MuxedSession;
import io.vine.core.StreamChannel;
import io.vine.core.StreamMuxer;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Two muxer sessions over a connected pair of Netty local channels, with an allocator whose live bytes
 * are counted: {@link #close()} fails when a buffer was not released.
 */
public final class MuxerTestKit implements AutoCloseable {

    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    /** Every buffer of the connection and its streams; {@link #close()} checks that none is left. */
    public final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, false, false);

    private final EventLoopGroup group;
    private Channel listener;
    public Side client;
    public Side server;

    public MuxerTestKit(EventLoopGroup group) {
        this.group = group;
    }

    /** One end: the connection channel, its muxer session and the streams the remote opened. */
    public record Side(Channel channel, MuxedSession session, BlockingQueue<StreamChannel> inbound) {
        public StreamChannel nextInbound() throws InterruptedException {
            StreamChannel stream = inbound.poll(10, TimeUnit.SECONDS);
            assertThat(stream).as("inbound stream").isNotNull();
            return stream;
        }

        public StreamChannel open() throws Exception {
            return session.openStream().get(10, TimeUnit.SECONDS);
        }
    }

    /** Connects a client (initiator) and a server; each {@code init} runs on every inbound stream. */
    public MuxerTestKit connect(StreamMuxer clientMuxer, StreamMuxer serverMuxer, Consumer<StreamChannel> clientInit,
            Consumer<StreamChannel> serverInit) throws Exception {
        LocalAddress address = new LocalAddress("muxer-contract-" + ADDRESSES.incrementAndGet());
        CompletableFuture<Side> serverSide = new CompletableFuture<>();
        listener = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childOption(ChannelOption.ALLOCATOR, alloc)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        serverSide.complete(start(ch, serverMuxer, false, serverInit));
                    }
                })
                .bind(address).sync().channel();
        CompletableFuture<Side> clientSide = new CompletableFuture<>();
        new Bootstrap().group(group).channel(LocalChannel.class)
                .option(ChannelOption.ALLOCATOR, alloc)
                .handler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        clientSide.complete(start(ch, clientMuxer, true, clientInit));
                    }
                })
                .connect(address).sync();
        client = clientSide.get(10, TimeUnit.SECONDS);
        server = serverSide.get(10, TimeUnit.SECONDS);
        return this;
    }

    private static Side start(Channel ch, StreamMuxer muxer, boolean initiator, Consumer<StreamChannel> init) {
        BlockingQueue<StreamChannel> inbound = new LinkedBlockingQueue<>();
        MuxedSession session = muxer.start(ch, initiator, stream -> {
            init.accept(stream);
            inbound.add(stream);
        });
        return new Side(ch, session, inbound);
    }

    /** Closes both connections and asserts that every buffer was released. */
    @Override
    public void close() throws Exception {
        if (client != null) {
            client.channel.close().sync();
        }
        if (server != null) {
            server.channel.close().sync();
        }
        if (listener != null) {
            listener.close().sync();
        }
        await(() -> alloc.metric().usedHeapMemory() == 0 && alloc.metric().usedDirectMemory() == 0, 5_000);
        assertThat(alloc.metric().usedHeapMemory()).as("heap bytes never released").isZero();
        assertThat(alloc.metric().usedDirectMemory()).as("direct bytes never released").isZero();
    }

    /** Polls {@code condition} until it holds or {@code millis} pass; returns whether it held. */
    public static boolean await(BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    /** The byte at {@code offset} of the test pattern. */
    public static byte pattern(long offset) {
        return (byte) (offset * 31 + (offset >>> 11));
    }

    /** Collects what a stream receives and the half-close events. */
    public static final class Collector extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        public final CompletableFuture<Void> inputShutdown = new CompletableFuture<>();
        public final CompletableFuture<Void> inputShutdownReadComplete = new CompletableFuture<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                byte[] data = new byte[buf.readableBytes()];
                buf.readBytes(data);
                synchronized (bytes) {
                    bytes.writeBytes(data);
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                inputShutdown.complete(null);
            } else if (evt == ChannelInputShutdownReadComplete.INSTANCE) {
                assertThat(inputShutdown).isDone();
                inputShutdownReadComplete.complete(null);
            }
            ctx.fireUserEventTriggered(evt);
        }

        public byte[] bytes() {
            synchronized (bytes) {
                return bytes.toByteArray();
            }
        }

        public String text() {
            return new String(bytes(), java.nio.charset.StandardCharsets.UTF_8);
        }

        public boolean awaitBytes(int n) throws InterruptedException {
            return await(() -> bytes().length >= n, 10_000);
        }
    }

    /** Echoes what it reads, and half-closes when the remote did. */
    public static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                ((DuplexChannel) ctx.channel()).shutdownOutput();
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
