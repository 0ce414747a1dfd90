package io.vine.benchmarks.memory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.vine.core.Protocol;
import io.vine.core.StreamChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The echo protocol the streams speak: the server writes back what it reads and keeps the stream open. */
final class Echo {
    static final String ID = "/vine/bench/echo/1.0.0";

    private Echo() {}

    /** The server side: one shared handler on every accepted stream. */
    static Protocol server() {
        ChannelHandler echo = new Back();
        return new Protocol() {
            @Override
            public List<String> protocolIds() {
                return List.of(ID);
            }

            @Override
            public void acceptInboundStream(StreamChannel stream, String protocolId) {
                stream.pipeline().addLast(echo);
                stream.config().setAutoRead(true);
            }
        };
    }

    @ChannelHandler.Sharable
    private static final class Back extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent && ctx.channel() instanceof StreamChannel s) {
                s.shutdownOutput();
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** The client side: completes {@link #echoed} once {@code expected} bytes came back; drops what follows. */
    static final class Check extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Void> echoed = new CompletableFuture<>();
        private final int expected;
        private int received;

        Check(int expected) {
            this.expected = expected;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof ByteBuf b) {
                    received += b.readableBytes();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
            if (received >= expected) {
                echoed.complete(null);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            echoed.completeExceptionally(new IllegalStateException("stream closed after " + received + " of "
                    + expected + " echoed bytes"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            echoed.completeExceptionally(cause);
        }
    }
}
