package io.vine.protocol.ping;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The listener's side of ping: echoes every complete 32-byte payload until the dialer closes its
 * side, then closes the stream. Bounded: it reads with auto-read off and asks for more only after
 * the echoes of the previous read were written, so a peer that sends faster than it reads the
 * echoes is held back by the muxer's flow control; between reads it keeps at most one partial
 * payload (under 32 bytes). A stream with no payload for {@code idleTimeout} is closed.
 */
final class PingResponder extends ChannelInboundHandlerAdapter {
    private final Duration idleTimeout;
    private final Runnable onClosed;
    private ByteBuf partial;
    private ChannelFuture lastEcho;
    private ScheduledFuture<?> idle;
    private boolean closed;

    PingResponder(Duration idleTimeout, Runnable onClosed) {
        this.idleTimeout = idleTimeout;
        this.onClosed = onClosed;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(false);
        restartIdleTimer(ctx);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (closed || !(msg instanceof ByteBuf in)) {
                return;
            }
            restartIdleTimer(ctx);
            while (in.isReadable()) {
                if (partial == null) {
                    partial = ctx.alloc().buffer(PingInitiator.PAYLOAD_BYTES, PingInitiator.PAYLOAD_BYTES);
                }
                partial.writeBytes(in, Math.min(in.readableBytes(), partial.writableBytes()));
                if (!partial.isWritable()) {
                    lastEcho = ctx.write(partial);
                    partial = null;
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (closed) {
            return;
        }
        ctx.flush();
        ChannelFuture echo = lastEcho;
        lastEcho = null;
        if (echo == null) {
            ctx.read();
        } else {
            echo.addListener(f -> {
                if (f.isSuccess() && !closed) {
                    ctx.read();
                }
            });
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && !closed) {
            // The dialer is done: finish writing the echoes, then close. A partial payload is dropped.
            finish();
            ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        finish();
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        finish();
    }

    private void restartIdleTimer(ChannelHandlerContext ctx) {
        if (idle != null) {
            idle.cancel(false);
        }
        idle = ctx.executor().schedule(() -> {
            finish();
            ctx.close();
        }, idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Releases what this handler holds; idempotent. */
    private void finish() {
        if (closed) {
            return;
        }
        closed = true;
        if (idle != null) {
            idle.cancel(false);
        }
        if (partial != null) {
            partial.release();
            partial = null;
        }
        onClosed.run();
    }
}
