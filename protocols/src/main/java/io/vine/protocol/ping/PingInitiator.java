package io.vine.protocol.ping;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vine.core.StreamChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The dialer's side of ping: sends {@code count} payloads of 32 random bytes one after the other,
 * each once the previous came back, and completes {@code result} with the round-trip times. A wrong
 * echo, bytes nobody asked for, a late echo or an early end of the stream fail {@code result} with a
 * {@link PingException} and reset the stream. After the last echo it closes the stream.
 */
final class PingInitiator extends ChannelInboundHandlerAdapter {
    static final int PAYLOAD_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int count;
    private final Duration timeout;
    private final CompletableFuture<List<Duration>> result;
    private final Consumer<Duration> onRoundTrip;
    private final List<Duration> rtts = new ArrayList<>();
    private final byte[] expected = new byte[PAYLOAD_BYTES];
    private final byte[] received = new byte[PAYLOAD_BYTES];
    private int receivedBytes;
    private boolean started;
    private long sentAt;
    private ScheduledFuture<?> timer;

    PingInitiator(int count, Duration timeout, CompletableFuture<List<Duration>> result, Consumer<Duration> onRoundTrip) {
        this.count = count;
        this.timeout = timeout;
        this.result = result;
        this.onRoundTrip = onRoundTrip;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
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
        if (!started) {
            started = true;
            sendNext(ctx);
        }
    }

    private void sendNext(ChannelHandlerContext ctx) {
        RANDOM.nextBytes(expected);
        receivedBytes = 0;
        int n = rtts.size() + 1;
        timer = ctx.executor().schedule(() -> fail(ctx, new PingTimeoutException(
                "ping " + n + " of " + count + ": no echo within " + timeout)), timeout.toMillis(), TimeUnit.MILLISECONDS);
        sentAt = System.nanoTime();
        ctx.writeAndFlush(ctx.alloc().buffer(PAYLOAD_BYTES).writeBytes(expected)).addListener(f -> {
            if (!f.isSuccess()) {
                fail(ctx, new PingException("ping " + n + " of " + count + ": write failed: " + f.cause(), f.cause()));
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (result.isDone()) {
                return;
            }
            if (!(msg instanceof ByteBuf in)) {
                fail(ctx, new PingException("unexpected " + msg.getClass().getSimpleName() + " (expected: ByteBuf)"));
                return;
            }
            // A ping is outstanding whenever the result is not done: the next one goes out as soon as
            // the previous echo is in, so bytes past the last echo are simply dropped.
            while (in.isReadable() && !result.isDone()) {
                int n = Math.min(in.readableBytes(), PAYLOAD_BYTES - receivedBytes);
                in.readBytes(received, receivedBytes, n);
                receivedBytes += n;
                if (receivedBytes == PAYLOAD_BYTES) {
                    echoed(ctx);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void echoed(ChannelHandlerContext ctx) {
        Duration rtt = Duration.ofNanos(System.nanoTime() - sentAt);
        cancelTimer();
        if (!Arrays.equals(expected, received)) {
            fail(ctx, new PingMismatchException("ping " + (rtts.size() + 1) + " of " + count + ": echo "
                    + ByteBufUtil.hexDump(received) + " (expected: " + ByteBufUtil.hexDump(expected) + ")"));
            return;
        }
        rtts.add(rtt);
        onRoundTrip.accept(rtt);
        if (rtts.size() == count) {
            result.complete(List.copyOf(rtts));
            ctx.close();
        } else {
            sendNext(ctx);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            closedEarly(ctx);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closedEarly(ctx);
        ctx.fireChannelInactive();
    }

    private void closedEarly(ChannelHandlerContext ctx) {
        fail(ctx, new PingException("stream closed after " + rtts.size() + " of " + count + " echoes"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, new PingException("ping after " + rtts.size() + " of " + count + " echoes: " + cause, cause));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    private void fail(ChannelHandlerContext ctx, PingException cause) {
        cancelTimer();
        if (result.completeExceptionally(cause)) {
            StreamChannel.abort(ctx.channel());
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
