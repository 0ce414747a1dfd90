package io.vine.protocol.dcutr;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import io.vine.core.Connection;
import io.vine.core.StreamChannel;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What both roles of a hole punch share: the outcome (reported once), the message timer, the direct
 * dials, and the stream's end or bad input. Runs on the stream's event loop.
 */
abstract class Punch extends ChannelInboundHandlerAdapter {
    final Dcutr owner;
    final PeerId peer;
    ChannelHandlerContext ctx;
    boolean done;
    boolean dialing;
    private ScheduledFuture<?> timer;
    private final Consumer<Connection> watcher;

    Punch(Dcutr owner, PeerId peer) {
        this.owner = owner;
        this.peer = peer;
        this.watcher = c -> {
            ChannelHandlerContext x = ctx;
            if (x != null) {
                x.executor().execute(() -> succeeded(c));
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        owner.watch(peer, watcher);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
        owner.unwatch(peer, watcher);
    }

    /** Waits {@code d} for the peer's next message; then fails with reason timeout. */
    void expectWithin(Duration d, String what) {
        cancelTimer();
        timer = ctx.executor().schedule(() -> {
            ctx.channel().close();
            failed(DcutrMetrics.TIMEOUT, "no " + what + " within " + d);
        }, d.toMillis(), TimeUnit.MILLISECONDS);
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /**
     * Dials every address of {@code addresses} at once (as the responder of a simultaneous open when
     * {@code responder}); completes with the first connection, or fails when all failed or the dial
     * timeout passed. Completes on this stream's event loop.
     */
    CompletableFuture<Connection> dialAll(List<Multiaddr> addresses, boolean responder) {
        CompletableFuture<Connection> first = new CompletableFuture<>();
        AtomicInteger left = new AtomicInteger(addresses.size());
        for (Multiaddr a : addresses) {
            Multiaddr target = a.withPeerId(peer);
            CompletableFuture<Connection> f = responder ? owner.context().dialAsResponder(target)
                    : owner.context().dial(target, true);
            f.whenComplete((c, e) -> {
                if (c != null && !first.complete(c)) {
                    return; // another address won; this connection stays as a spare
                }
                if (e != null && left.decrementAndGet() == 0) {
                    first.completeExceptionally(e);
                }
            });
        }
        Duration timeout = owner.config.dialTimeout();
        CompletableFuture<Connection> onLoop = new CompletableFuture<>();
        first.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((c, e) -> ctx.executor().execute(() -> {
            if (e != null) {
                onLoop.completeExceptionally(e);
            } else {
                onLoop.complete(c);
            }
        }));
        return onLoop;
    }

    /** A direct connection to the peer exists: report success once and end the stream. */
    void succeeded(Connection direct) {
        if (done) {
            return;
        }
        done = true;
        cancelTimer();
        owner.succeed(peer, direct);
        ended();
        ctx.channel().close();
    }

    /** Give up, unless a direct connection appeared meanwhile (the other side's dial may have won). */
    void failed(String reason, String detail) {
        if (done) {
            return;
        }
        var direct = owner.direct(peer);
        if (direct.isPresent()) {
            succeeded(direct.get());
            return;
        }
        done = true;
        cancelTimer();
        owner.fail(peer, reason, detail);
        ended();
    }

    /** Called once when the outcome is known. */
    void ended() {}

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!dialing) {
            failed(DcutrMetrics.STREAM_CLOSED, "the dcutr stream closed");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            resetMalformed(cause.getMessage());
        } else {
            ctx.channel().close();
            failed(DcutrMetrics.STREAM_CLOSED, "dcutr stream failed: " + cause.getMessage());
        }
    }

    /** The peer broke the protocol: reset the stream and give up. */
    void resetMalformed(String detail) {
        owner.metrics.malformed.increment();
        if (ctx.channel() instanceof StreamChannel s) {
            s.reset();
        } else {
            ctx.channel().close();
        }
        dialing = false;
        failed(DcutrMetrics.MALFORMED, detail);
    }
}
