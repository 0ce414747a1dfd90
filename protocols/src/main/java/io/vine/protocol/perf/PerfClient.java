package io.vine.protocol.perf;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vine.core.StreamChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The client's side of perf on one stream: writes the download size (uint64, big-endian), uploads
 * zeros as fast as the stream stays writable, half-closes, then counts what comes back until the
 * server's end of stream. Completes the {@link PerfRun} with the timings, or fails it (and resets
 * the stream) when the server resets or closes early, sends more than asked, or nothing moves for
 * the idle timeout.
 */
final class PerfClient extends ChannelInboundHandlerAdapter {
    private final PerfRun run;
    private final Duration idleTimeout;
    private long uploaded;
    private long downloaded;
    private boolean started;
    private boolean finRequested;
    private long startNanos;
    private long finNanos;
    private long progressMark = -1;
    private boolean pumpScheduled;
    private ScheduledFuture<?> watchdog;

    PerfClient(PerfRun run, Duration idleTimeout) {
        this.run = run;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof StreamChannel stream) {
            run.stream(stream);
        }
        ctx.channel().config().setWriteBufferWaterMark(Zeros.WATER_MARK);
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (started || run.result().isDone()) {
            return;
        }
        started = true;
        startNanos = System.nanoTime();
        long period = idleTimeout.toNanos();
        watchdog = ctx.executor().scheduleAtFixedRate(() -> checkProgress(ctx), period, period, TimeUnit.NANOSECONDS);
        ctx.write(ctx.alloc().buffer(Long.BYTES).writeLong(run.downloadTarget()), ctx.voidPromise());
        pump(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Later, not now: this event may come from inside the stream's own write path.
        if (started && !pumpScheduled && ctx.channel().isWritable()) {
            pumpScheduled = true;
            ctx.executor().execute(() -> {
                pumpScheduled = false;
                pump(ctx);
            });
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void pump(ChannelHandlerContext ctx) {
        while (!run.result().isDone() && !finRequested && uploaded < run.uploadTarget() && ctx.channel().isWritable()) {
            uploaded += Zeros.write(ctx.channel(), run.uploadTarget() - uploaded);
            run.uploaded(uploaded);
        }
        ctx.flush();
        if (!run.result().isDone() && !finRequested && uploaded == run.uploadTarget()) {
            finRequested = true;
            ((StreamChannel) ctx.channel()).shutdownOutput().addListener(f -> {
                if (f.isSuccess()) {
                    finNanos = System.nanoTime();
                    maybeComplete(ctx);
                } else {
                    fail(ctx, new PerfException("perf: upload of " + uploaded + " bytes failed: " + f.cause(), f.cause()));
                }
            });
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (run.result().isDone()) {
                return;
            }
            if (!(msg instanceof ByteBuf in)) {
                fail(ctx, new PerfException("perf: unexpected " + msg.getClass().getSimpleName() + " (expected: ByteBuf)"));
                return;
            }
            downloaded += in.readableBytes();
            run.downloaded(downloaded);
            if (downloaded > run.downloadTarget()) {
                fail(ctx, new PerfException("perf: the server sent " + downloaded + " bytes (expected: "
                        + run.downloadTarget() + ")"));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            if (downloaded < run.downloadTarget()) {
                fail(ctx, new PerfException("perf: the server ended the stream after sending " + downloaded + " of "
                        + run.downloadTarget() + " bytes"));
            } else if (!finRequested) {
                fail(ctx, new PerfException("perf: the server ended the stream before the upload finished ("
                        + uploaded + " of " + run.uploadTarget() + " bytes)"));
            } else {
                maybeComplete(ctx);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void maybeComplete(ChannelHandlerContext ctx) {
        if (finNanos == 0 || downloaded != run.downloadTarget() || !ctx.channel().isOpen()
                || !((StreamChannel) ctx.channel()).isInputShutdown()) {
            return;
        }
        long end = System.nanoTime();
        cancelWatchdog();
        run.result().complete(new PerfResult(uploaded, downloaded, Duration.ofNanos(finNanos - startNanos),
                Duration.ofNanos(end - finNanos), Duration.ofNanos(end - startNanos)));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // A server that finishes normally ends its side first; closing without that is a reset.
        String why = ctx.channel().parent() != null && !ctx.channel().parent().isActive() ? "connection lost"
                : "the server reset the stream";
        fail(ctx, new PerfException("perf: " + why + " after uploading " + uploaded + " of " + run.uploadTarget()
                + " bytes and downloading " + downloaded + " of " + run.downloadTarget()
                + (downloaded == 0 ? " (a server resets requests for more than its maximum download size)" : "")));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        fail(ctx, new PerfException("perf: " + reason + " (after uploading " + uploaded + " of "
                + run.uploadTarget() + " bytes and downloading " + downloaded + " of " + run.downloadTarget() + ")",
                cause));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelWatchdog();
    }

    private void checkProgress(ChannelHandlerContext ctx) {
        long mark = uploaded + downloaded;
        if (mark == progressMark) {
            fail(ctx, new PerfException("perf: no progress for " + idleTimeout + " (uploaded " + uploaded + " of "
                    + run.uploadTarget() + " bytes, downloaded " + downloaded + " of " + run.downloadTarget() + ")"));
        }
        progressMark = mark;
    }

    private void fail(ChannelHandlerContext ctx, PerfException cause) {
        cancelWatchdog();
        if (run.result().completeExceptionally(cause) && ctx.channel().isOpen()) {
            ((StreamChannel) ctx.channel()).reset();
        }
    }

    private void cancelWatchdog() {
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
    }
}
