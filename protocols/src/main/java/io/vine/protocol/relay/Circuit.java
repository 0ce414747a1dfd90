package io.vine.protocol.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vine.core.StreamChannel;
import io.vine.core.peer.PeerId;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit the relay relays: the initiator's hop stream and the target's stop stream, each read only
 * while the other can take what it reads (reading stops while the other stream is not writable, so
 * at most a stream's write buffer is held). A half-close passes through; the circuit closes when both
 * directions finished, a stream closes or fails, a limited circuit outlives its duration, or a
 * direction of it carries more than its data limit. Holds one circuit slot of the store until closed.
 */
final class Circuit {
    private static final Logger log = LoggerFactory.getLogger(Circuit.class);

    private final RelayService service;
    private final StreamChannel a;
    private final StreamChannel b;
    private final PeerId src;
    private final PeerId dst;
    private final long limitBytes;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger finished = new AtomicInteger();
    private volatile ScheduledFuture<?> timer;

    Circuit(RelayService service, StreamChannel hop, StreamChannel stop, PeerId src, PeerId dst, boolean unlimited) {
        this.service = service;
        this.a = hop;
        this.b = stop;
        this.src = src;
        this.dst = dst;
        this.limitBytes = unlimited ? Long.MAX_VALUE : service.config().circuitBytes();
        if (!unlimited) {
            long ms = service.config().circuitDuration().toMillis();
            timer = a.eventLoop().schedule(() -> close(RelayMetrics.CloseReason.DURATION_LIMIT), ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Starts relaying, on the hop stream's loop; {@code restA}/{@code restB} came early on each stream. */
    void start(ByteBuf restA, ByteBuf restB) {
        service.counters().circuitsOpened.incrementAndGet();
        service.opened(this);
        log.debug("circuit {} -> {} open", src, dst);
        a.closeFuture().addListener(f -> close(RelayMetrics.CloseReason.CLOSED));
        b.closeFuture().addListener(f -> close(RelayMetrics.CloseReason.CLOSED));
        Pipe ab = new Pipe(a, b);
        a.pipeline().addLast(ab);
        ab.forward(restA);
        b.eventLoop().execute(() -> {
            Pipe ba = new Pipe(b, a);
            b.pipeline().addLast(ba);
            ba.forward(restB);
            b.flush();
            a.flush();
            ba.resumeOrHold(b.isInputShutdown());
        });
        b.flush();
        ab.resumeOrHold(a.isInputShutdown());
    }

    void close(RelayMetrics.CloseReason reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        log.debug("circuit {} -> {} closed: {}", src, dst, reason);
        service.counters().closed(reason);
        service.store().closeCircuit(src, dst);
        service.closed(this);
        a.close();
        b.close();
    }

    /** Moves what {@code from} reads to {@code to}. Lives in {@code from}'s pipeline. */
    private final class Pipe extends ChannelInboundHandlerAdapter {
        private final StreamChannel from;
        private final StreamChannel to;
        private long count;
        private boolean over;

        Pipe(StreamChannel from, StreamChannel to) {
            this.from = from;
            this.to = to;
        }

        void forward(ByteBuf data) {
            if (data.isReadable()) {
                write(data);
            } else {
                data.release();
            }
        }

        /** Reads on, unless the input already ended before this pipe was installed. */
        void resumeOrHold(boolean inputShutdown) {
            if (inputShutdown) {
                finish();
            } else {
                from.config().setAutoRead(true);
                hold();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf data) || over || closed.get()) {
                ReferenceCountUtil.release(msg);
                return;
            }
            write(data);
        }

        private void write(ByteBuf data) {
            int n = data.readableBytes();
            if (count + n > limitBytes) {
                over = true;
                from.config().setAutoRead(false);
                int allowed = (int) (limitBytes - count);
                count = limitBytes;
                service.counters().bytesRelayed.addAndGet(allowed);
                ByteBuf part = data.readRetainedSlice(allowed);
                data.release();
                to.writeAndFlush(part).addListener(f -> close(RelayMetrics.CloseReason.DATA_LIMIT));
                return;
            }
            count += n;
            service.counters().bytesRelayed.addAndGet(n);
            to.write(data, to.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            to.flush();
            hold();
            ctx.fireChannelReadComplete();
        }

        /** Stops reading while {@code to} cannot take more; checks again after, against a lost wake-up. */
        private void hold() {
            if (!to.isWritable() && !over) {
                from.config().setAutoRead(false);
                if (to.isWritable()) {
                    from.config().setAutoRead(true);
                }
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // from can take more (or no more): the other pipe reads to and writes here.
            if (!over) {
                to.config().setAutoRead(from.isWritable());
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                finish();
            }
            ReferenceCountUtil.release(evt);
        }

        private void finish() {
            to.shutdownOutput();
            if (finished.incrementAndGet() == 2) {
                close(RelayMetrics.CloseReason.CLOSED);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("circuit {} -> {}: {}", src, dst, cause.toString());
            close(RelayMetrics.CloseReason.ERROR);
        }
    }
}
