package io.vine.protocol.perf;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vine.core.StreamChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of perf on one stream: reads the requested size (uint64, big-endian), counts and
 * releases the upload until the client's end of stream, then sends the requested bytes from the
 * shared zero buffer as the stream stays writable, and half-closes. A request over the maximum, an
 * end of stream inside the 8-byte header, or a stream where nothing moves for the idle timeout
 * (a client that stopped reading, also while the last bytes drain) is reset. Holds no buffer of its
 * own.
 */
final class PerfResponder extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(PerfResponder.class);

    private final long maxDownloadBytes;
    private final Duration idleTimeout;
    private final Runnable onClosed;
    private int headerBytes;
    private long requested;
    private long uploaded;
    private long sent;
    private boolean sending;
    private boolean sentAll;
    private boolean done;
    private long progressMark = -1;
    private boolean pumpScheduled;
    private ScheduledFuture<?> watchdog;

    PerfResponder(long maxDownloadBytes, Duration idleTimeout, Runnable onClosed) {
        this.maxDownloadBytes = maxDownloadBytes;
        this.idleTimeout = idleTimeout;
        this.onClosed = onClosed;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setWriteBufferWaterMark(Zeros.WATER_MARK);
        // Upload bytes are released as they come, so reading all the time holds no memory.
        ctx.channel().config().setAutoRead(true);
        long period = idleTimeout.toNanos();
        watchdog = ctx.executor().scheduleAtFixedRate(() -> checkProgress(ctx), period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (done || !(msg instanceof ByteBuf in)) {
                return;
            }
            while (headerBytes < Long.BYTES && in.isReadable()) {
                requested = requested << 8 | in.readUnsignedByte();
                if (++headerBytes == Long.BYTES && Long.compareUnsigned(requested, maxDownloadBytes) > 0) {
                    refuse(ctx, "asks for " + Long.toUnsignedString(requested) + " bytes (expected: <= "
                            + maxDownloadBytes + ")");
                    return;
                }
            }
            uploaded += in.readableBytes();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && !done && !sending) {
            if (headerBytes < Long.BYTES) {
                refuse(ctx, "ended its side after " + headerBytes + " of 8 header bytes");
            } else {
                sending = true;
                pump(ctx);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Later, not now: this event may come from inside the stream's own write path.
        if (sending && !pumpScheduled && ctx.channel().isWritable()) {
            pumpScheduled = true;
            ctx.executor().execute(() -> {
                pumpScheduled = false;
                pump(ctx);
            });
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void pump(ChannelHandlerContext ctx) {
        while (!done && !sentAll && sent < requested && ctx.channel().isWritable()) {
            sent += Zeros.write(ctx.channel(), requested - sent);
        }
        ctx.flush();
        if (!done && !sentAll && sent == requested) {
            sentAll = true;
            log.debug("perf: {} uploaded {} bytes and downloaded {}", ctx.channel(), uploaded, sent);
            ((StreamChannel) ctx.channel()).shutdownOutput();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!done) {
            log.debug("perf: {} failed after {} bytes up, {} of {} down: {}", ctx.channel(), uploaded, sent,
                    Long.toUnsignedString(requested), cause.toString());
            finish();
            ((StreamChannel) ctx.channel()).reset();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!done && !sentAll) {
            log.debug("perf: {} closed after {} bytes up, {} of {} down", ctx.channel(), uploaded, sent,
                    Long.toUnsignedString(requested));
        }
        finish();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        finish();
    }

    private void checkProgress(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer pending = ctx.channel().unsafe().outboundBuffer();
        long drained = sent - (pending == null ? 0 : pending.totalPendingWriteBytes());
        long mark = headerBytes + uploaded + drained;
        if (mark == progressMark && !done) {
            refuse(ctx, "moved no byte for " + idleTimeout + " (" + uploaded + " bytes up, " + sent + " of "
                    + Long.toUnsignedString(requested) + " down" + (sending ? ": the client stopped reading)" : ")"));
        }
        progressMark = mark;
    }

    private void refuse(ChannelHandlerContext ctx, String why) {
        log.info("perf: resetting a stream from {}: it {}", remote(ctx), why);
        finish();
        ((StreamChannel) ctx.channel()).reset();
    }

    private static Object remote(ChannelHandlerContext ctx) {
        StreamChannel stream = (StreamChannel) ctx.channel();
        return stream.connection() == null ? stream : stream.connection().remotePeer();
    }

    /** Stops the watchdog and releases the stream's slot; idempotent. */
    private void finish() {
        if (done) {
            return;
        }
        done = true;
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        onClosed.run();
    }
}
