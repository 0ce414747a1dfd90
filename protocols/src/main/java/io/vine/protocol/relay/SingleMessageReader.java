package io.vine.protocol.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vine.core.multiformats.Varint;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reads the one length-prefixed message a relay stream brings in each direction (a hop request, its
 * status, a stop request, its status), bounded to {@link RelayConfig#MAX_MESSAGE_BYTES}. Reading
 * stops once the message is in: the bytes behind it belong to the relayed connection, and
 * {@link #takeRest} hands them over with the stream. A bad length prefix fails with
 * MALFORMED_MESSAGE; the end of the stream or {@code timeout} before a complete message fails
 * without a status. Runs on the stream's event loop.
 */
abstract class SingleMessageReader extends ChannelInboundHandlerAdapter {
    /** Bytes held after the message until {@link #takeRest} (the peer should send none yet). */
    static final int MAX_HELD_BYTES = 64 * 1024;

    private final Duration timeout;
    private ByteBuf buf = Unpooled.EMPTY_BUFFER;
    private boolean delivered;
    private boolean failed;
    private ScheduledFuture<?> timer;

    SingleMessageReader(Duration timeout) {
        this.timeout = timeout;
    }

    /** The message arrived; reading is off until the handler is replaced. */
    protected abstract void onMessage(ChannelHandlerContext ctx, byte[] message);

    /** The stream failed before a message (status MALFORMED_MESSAGE for a bad frame). */
    protected abstract void onFailure(ChannelHandlerContext ctx, RelayException cause);

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> fail(ctx, new RelayException("no relay message within " + timeout)),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ctx.channel().isActive()) {
            ctx.executor().execute(() -> fail(ctx, new RelayException("stream closed before a relay message")));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in) || failed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (buf.readableBytes() + in.readableBytes() > RelayConfig.MAX_MESSAGE_BYTES + Varint.MAX_LENGTH
                + (delivered ? MAX_HELD_BYTES : 0)) {
            in.release();
            fail(ctx, delivered ? new RelayException("more than " + MAX_HELD_BYTES + " bytes before the circuit opened")
                    : RelayMessages.malformed("relay message: more than " + RelayConfig.MAX_MESSAGE_BYTES + " bytes"));
            return;
        }
        if (!buf.isReadable() && buf != Unpooled.EMPTY_BUFFER) {
            buf.release();
            buf = Unpooled.EMPTY_BUFFER;
        }
        if (buf == Unpooled.EMPTY_BUFFER) {
            buf = ctx.alloc().buffer(in.readableBytes());
        }
        buf.writeBytes(in);
        in.release();
        if (!delivered) {
            decode(ctx);
        }
    }

    private void decode(ChannelHandlerContext ctx) {
        int start = buf.readerIndex();
        long length;
        try {
            length = Varint.tryRead(buf);
        } catch (RuntimeException e) {
            fail(ctx, RelayMessages.malformed("relay message length: " + e.getMessage()));
            return;
        }
        if (length == Varint.INCOMPLETE) {
            return;
        }
        if (length > RelayConfig.MAX_MESSAGE_BYTES) {
            fail(ctx, RelayMessages.malformed("relay message length: " + length + " (expected: <= "
                    + RelayConfig.MAX_MESSAGE_BYTES + ")"));
            return;
        }
        if (buf.readableBytes() < length) {
            buf.readerIndex(start);
            return;
        }
        byte[] message = new byte[(int) length];
        buf.readBytes(message);
        delivered = true;
        cancelTimer();
        ctx.channel().config().setAutoRead(false);
        onMessage(ctx, message);
    }

    /** Removes this reader and returns the bytes that came after the message (the caller owns them). */
    ByteBuf takeRest(ChannelHandlerContext ctx) {
        ByteBuf rest = buf;
        buf = Unpooled.EMPTY_BUFFER;
        ctx.pipeline().remove(this);
        return rest;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && !delivered) {
            fail(ctx, new RelayException("stream closed before a complete relay message"));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!delivered) {
            fail(ctx, new RelayException("stream closed before a complete relay message"));
        } else if (!failed) {
            failed = true;
            onFailure(ctx, new RelayException("stream closed"));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, new RelayException("relay stream failed: " + cause.getMessage(), cause));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
        buf.release();
        buf = Unpooled.EMPTY_BUFFER;
    }

    private void fail(ChannelHandlerContext ctx, RelayException cause) {
        if (failed) {
            return;
        }
        failed = true;
        delivered = true;
        cancelTimer();
        buf.release();
        buf = Unpooled.EMPTY_BUFFER;
        onFailure(ctx, cause);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
