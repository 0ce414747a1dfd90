package io.vine.muxer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vine.core.StreamChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/** Bulk transfers for the muxer contract: a writer that respects writability and a slow reader. */
public final class Transfer {

    private Transfer() {}

    /**
     * Writes {@code total} bytes of {@link MuxerTestKit#pattern} in {@code chunk}-byte buffers, only while
     * the stream is writable, then half-closes. Records the most bytes ever pending in the stream.
     */
    public static final class Pump extends ChannelInboundHandlerAdapter {
        private final long total;
        private final int chunk;
        private StreamChannel stream;
        public volatile long sent;
        public volatile long maxPending;
        public final CompletableFuture<Void> done = new CompletableFuture<>();

        public Pump(long total, int chunk) {
            this.total = total;
            this.chunk = chunk;
        }

        /** Installs the pump on {@code stream} and starts it on the stream's event loop. */
        public Pump start(StreamChannel stream) {
            this.stream = stream;
            stream.eventLoop().execute(() -> {
                stream.pipeline().addLast(this);
                pump();
            });
            return this;
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump();
            ctx.fireChannelWritabilityChanged();
        }

        private void pump() {
            while (sent < total && stream.isWritable()) {
                int n = (int) Math.min(chunk, total - sent);
                byte[] data = new byte[n];
                for (int i = 0; i < n; i++) {
                    data[i] = MuxerTestKit.pattern(sent + i);
                }
                ByteBuf buf = stream.alloc().buffer(n).writeBytes(data);
                sent += n;
                stream.write(buf).addListener(f -> {
                    if (!f.isSuccess()) {
                        done.completeExceptionally(f.cause());
                    }
                });
                ChannelOutboundBuffer out = stream.unsafe().outboundBuffer();
                if (out != null) {
                    maxPending = Math.max(maxPending, out.totalPendingWriteBytes());
                }
            }
            stream.flush();
            if (sent == total && !done.isDone()) {
                stream.shutdownOutput().addListener(f -> {
                    if (f.isSuccess()) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(f.cause());
                    }
                });
            }
        }
    }

    /**
     * Reads with auto-read off, one {@code read()} per {@code delayMicros}, checks the pattern, and samples
     * the bytes the muxer holds unread for the stream.
     */
    public static final class SlowReader extends ChannelInboundHandlerAdapter {
        private final long delayMicros;
        private final ToLongFunction<StreamChannel> buffered;
        public volatile long received;
        public volatile long maxBuffered;
        public volatile long mismatches;
        public final CompletableFuture<Void> finished = new CompletableFuture<>();

        public SlowReader(long delayMicros, ToLongFunction<StreamChannel> buffered) {
            this.delayMicros = delayMicros;
            this.buffered = buffered;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(false);
            scheduleRead(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            maxBuffered = Math.max(maxBuffered, buffered.applyAsLong((StreamChannel) ctx.channel()));
            ByteBuf buf = (ByteBuf) msg;
            try {
                long offset = received;
                byte[] data = new byte[buf.readableBytes()];
                buf.readBytes(data);
                int n = data.length;
                for (int i = 0; i < n; i++) {
                    if (data[i] != MuxerTestKit.pattern(offset + i)) {
                        mismatches++;
                    }
                }
                received = offset + n;
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            maxBuffered = Math.max(maxBuffered, buffered.applyAsLong((StreamChannel) ctx.channel()));
            scheduleRead(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                finished.complete(null);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            finished.completeExceptionally(new IllegalStateException("stream closed after " + received + " bytes"));
        }

        private void scheduleRead(ChannelHandlerContext ctx) {
            ctx.executor().schedule(() -> {
                ctx.read();
            }, delayMicros, TimeUnit.MICROSECONDS);
        }
    }
}
