package io.vine.protocol.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vine.protocol.relay.internal.pb.RelayProto;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's side of the limit a relay announced for a circuit (in its STATUS answer to CONNECT,
 * or in its STOP CONNECT): this client closes the relayed connection once it outlives the duration,
 * or once a direction would carry more than the data limit, whether the relay enforces the limit or
 * not, and counts why. It sits on the relayed stream, under the security layer, so it counts the
 * bytes the relay counts. A read is cut at the limit; a write that would cross it fails whole (part
 * of a secured frame is worth nothing). Runs on the stream's event loop.
 */
final class CircuitLimitHandler extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(CircuitLimitHandler.class);

    /**
     * A circuit's limit: {@code durationSeconds} 0 and {@code dataBytes} {@link Long#MAX_VALUE} mean
     * none. The spec leaves an unset field without a limit; a zero is taken the same way.
     */
    record Limit(long durationSeconds, long dataBytes) {
        /** The limit of a message, or null when it announces none. */
        static Limit of(boolean present, RelayProto.Limit limit) {
            if (!present) {
                return null;
            }
            long duration = limit.hasDuration() ? Integer.toUnsignedLong(limit.getDuration()) : 0;
            // data is a uint64: a value above Long.MAX_VALUE reads negative and limits nothing here.
            long data = limit.hasData() && limit.getData() > 0 ? limit.getData() : Long.MAX_VALUE;
            return duration == 0 && data == Long.MAX_VALUE ? null : new Limit(duration, data);
        }
    }

    private final Limit limit;
    private final ClientCounters counters;
    private long received;
    private long sent;
    private ScheduledFuture<?> timer;
    private boolean ended;

    CircuitLimitHandler(Limit limit, ClientCounters counters) {
        this.limit = limit;
        this.counters = counters;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        counters.circuitsLimited.incrementAndGet();
        if (limit.durationSeconds() > 0) {
            timer = ctx.executor().schedule(() -> end(ctx, false, "outlived its duration limit of "
                    + limit.durationSeconds() + " s"), limit.durationSeconds(), TimeUnit.SECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf data)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (ended) {
            data.release();
            return;
        }
        int n = data.readableBytes();
        if (n > limit.dataBytes() - received) {
            int allowed = (int) (limit.dataBytes() - received);
            received = limit.dataBytes();
            if (allowed > 0) {
                ctx.fireChannelRead(data.readRetainedSlice(allowed));
            }
            data.release();
            end(ctx, true, "received more than its data limit of " + limit.dataBytes() + " bytes");
            return;
        }
        received += n;
        ctx.fireChannelRead(data);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf data)) {
            ctx.write(msg, promise);
            return;
        }
        if (ended || data.readableBytes() > limit.dataBytes() - sent) {
            ReferenceCountUtil.release(msg);
            promise.tryFailure(new RelayException("relayed connection: past its data limit of "
                    + limit.dataBytes() + " bytes"));
            end(ctx, true, "would send more than its data limit of " + limit.dataBytes() + " bytes");
            return;
        }
        sent += data.readableBytes();
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    private void end(ChannelHandlerContext ctx, boolean data, String why) {
        if (ended) {
            return;
        }
        ended = true;
        cancelTimer();
        (data ? counters.closedByDataLimit : counters.closedByDurationLimit).incrementAndGet();
        log.debug("relayed connection {}: {}, closing", ctx.channel(), why);
        ctx.close();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
