package io.vine.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/** Handlers for transport tests: echo, collect bytes, record the events a pipeline sees. */
public final class Wires {
    private Wires() {}

    /** Writes back every byte it reads. */
    @ChannelHandler.Sharable
    public static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    /** Gathers what a channel reads; {@link #received} completes once {@code expected} bytes came. */
    public static final class Collector extends ChannelInboundHandlerAdapter {
        private final int expected;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        public final CompletableFuture<byte[]> received = new CompletableFuture<>();
        public final CompletableFuture<Void> inputClosed = new CompletableFuture<>();

        public Collector(int expected) {
            this.expected = expected;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                ByteBuf buf = (ByteBuf) msg;
                byte[] chunk = new byte[buf.readableBytes()];
                buf.readBytes(chunk);
                bytes.writeBytes(chunk);
                if (bytes.size() >= expected) {
                    received.complete(bytes.toByteArray());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                inputClosed.complete(null);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inputClosed.complete(null);
            ctx.fireChannelInactive();
        }
    }

    /**
     * Records, per channel, the events a handler sees, in order: "added", "active", "inactive".
     * Sharable, as a listener's initializer must be.
     */
    @ChannelHandler.Sharable
    public static final class Recorder extends ChannelInboundHandlerAdapter {
        public final Map<Channel, List<String>> events = new ConcurrentHashMap<>();
        public final BlockingQueue<Channel> active = new LinkedBlockingQueue<>();
        private final Supplier<ChannelHandler> next;

        /** A recorder that adds nothing. */
        public Recorder() {
            this.next = null;
        }

        /** @param next added after this recorder when the channel becomes active (one channel only) */
        public Recorder(ChannelHandler next) {
            this.next = () -> next;
        }

        /** @param next makes the handler added after this recorder on each channel as it becomes active */
        public Recorder(Supplier<ChannelHandler> next) {
            this.next = next;
        }

        private void record(Channel ch, String event) {
            events.computeIfAbsent(ch, c -> new CopyOnWriteArrayList<>()).add(event);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            record(ctx.channel(), "added");
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            record(ctx.channel(), "active");
            if (next != null) {
                ctx.pipeline().addLast(next.get());
            }
            active.add(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            record(ctx.channel(), "inactive");
            ctx.fireChannelInactive();
        }
    }
}
