package io.vine.cli;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vine.core.Protocol;
import io.vine.core.StreamChannel;
import io.vine.core.peer.PeerId;
import io.vine.swarm.Swarm;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The nodes of {@code vine demo}: the standard stack plus a byte-counting sink protocol. */
final class DemoNodes {
    static final String SINK = "/vine/demo/sink/1.0.0";
    private static final int CHUNK = 64 * 1024;

    record Transfer(long received, double seconds) {}

    private DemoNodes() {}

    static Swarm node() {
        return NodeStack.builder(null, List.of("noise"), List.of("yamux"), Version.AGENT).protocol(new Sink()).build();
    }

    /** Streams {@code bytes} to {@code peer}'s sink and completes with what the sink counted. */
    static CompletableFuture<Transfer> send(Swarm from, PeerId peer, long bytes) {
        CompletableFuture<Transfer> done = new CompletableFuture<>();
        from.newStream(peer, new Sender(bytes, done), SINK).exceptionally(e -> {
            done.completeExceptionally(e);
            return null;
        });
        return done;
    }

    /** Counts what arrives; when the sender half-closes, answers with the count and closes. */
    private static final class Sink implements Protocol {
        @Override
        public List<String> protocolIds() {
            return List.of(SINK);
        }

        @Override
        public void acceptInboundStream(StreamChannel stream, String protocolId) {
            stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                long count;

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf buf = (ByteBuf) msg;
                    count += buf.readableBytes();
                    buf.release();
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof ChannelInputShutdownEvent) {
                        ctx.writeAndFlush(ctx.alloc().buffer(8).writeLong(count)).addListener(f -> ctx.close());
                    }
                    ctx.fireUserEventTriggered(evt);
                }
            });
        }
    }

    /** Writes while the stream is writable, half-closes, then reads the sink's count. */
    private static final class Sender extends ChannelInboundHandlerAdapter {
        private final long total;
        private final CompletableFuture<Transfer> done;
        private final ByteBuf chunk = Unpooled.directBuffer(CHUNK).writeZero(CHUNK);
        private long sent;
        private long start;
        private ByteBuf reply;

        Sender(long total, CompletableFuture<Transfer> done) {
            this.total = total;
            this.done = done;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            start = System.nanoTime();
            reply = ctx.alloc().buffer(8);
            pump(ctx);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            chunk.release();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        private void pump(ChannelHandlerContext ctx) {
            // Count before writing: a write can fire channelWritabilityChanged, and so pump(), at once.
            while (sent < total && ctx.channel().isWritable()) {
                int n = (int) Math.min(CHUNK, total - sent);
                sent += n;
                ctx.write(chunk.retainedSlice(0, n));
            }
            ctx.flush();
            if (sent == total) {
                sent++;
                ((StreamChannel) ctx.channel()).shutdownOutput();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            reply.writeBytes(buf, Math.min(buf.readableBytes(), reply.writableBytes()));
            buf.release();
            if (reply.readableBytes() == 8) {
                done.complete(new Transfer(reply.readLong(), (System.nanoTime() - start) / 1e9));
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            reply.release();
            done.completeExceptionally(new IllegalStateException("the sink closed the stream before answering"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }
}
