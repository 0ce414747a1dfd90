package io.vine.swarm.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;

/**
 * The part of multistream-select both roles share: it accumulates inbound bytes, splits them into
 * messages, requests reads while negotiating when auto-read is off, and after the agreement hands
 * the bytes that followed it to the handlers the callback installed. Writes go out from this
 * handler's context, so handlers added after it never see negotiation traffic.
 */
abstract class NegotiationHandler extends ChannelDuplexHandler {
    private enum State { NEW, NEGOTIATING, HOLDING, DONE, FAILED }

    private final MultistreamSelect.Selection callback;
    private final boolean holdUntilRead;
    private ByteBuf cumulation;
    private State state = State.NEW;

    NegotiationHandler(MultistreamSelect.Selection callback, boolean holdUntilRead) {
        this.callback = callback;
        this.holdUntilRead = holdUntilRead;
    }

    /** Sends the first messages; called once, when the channel is active. */
    abstract void start(ChannelHandlerContext ctx);

    /** Handles one complete inbound message. */
    abstract void onMessage(ChannelHandlerContext ctx, String message);

    final boolean negotiating() {
        return state == State.NEGOTIATING;
    }

    /** Writes and flushes {@code msg}; a failed write fails the negotiation. */
    final void send(ChannelHandlerContext ctx, ByteBuf msg) {
        ctx.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                fail(ctx, f.cause());
            }
        });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            begin(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        begin(ctx);
        ctx.fireChannelActive();
    }

    private void begin(ChannelHandlerContext ctx) {
        if (state != State.NEW) {
            return;
        }
        state = State.NEGOTIATING;
        start(ctx);
        requestRead(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (state) {
            case NEW, NEGOTIATING -> {
                if (!(msg instanceof ByteBuf in)) {
                    ReferenceCountUtil.release(msg);
                    fail(ctx, new DecoderException("unexpected message during multistream-select: "
                            + msg.getClass().getName() + " (expected: ByteBuf)"));
                    return;
                }
                cumulate(ctx, in);
                process(ctx);
            }
            case HOLDING -> {
                if (msg instanceof ByteBuf in) {
                    cumulate(ctx, in);
                } else {
                    ctx.fireChannelRead(msg);
                }
            }
            case FAILED -> ReferenceCountUtil.release(msg);
            case DONE -> ctx.fireChannelRead(msg);
        }
    }

    private void cumulate(ChannelHandlerContext ctx, ByteBuf in) {
        cumulation = cumulation == null ? in
                : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
    }

    private void process(ChannelHandlerContext ctx) {
        while (state == State.NEGOTIATING && cumulation != null && cumulation.isReadable()) {
            String message;
            try {
                message = Messages.tryRead(cumulation, MultistreamSelect.MAX_MESSAGE_SIZE);
            } catch (DecoderException e) {
                fail(ctx, e);
                return;
            }
            if (message == null) {
                return;
            }
            onMessage(ctx, message);
        }
    }

    /** Reports the agreement, then (unless holding) leaves the pipeline, passing on what followed it. */
    final void selected(ChannelHandlerContext ctx, String protocol) {
        if (state != State.NEGOTIATING) {
            return;
        }
        state = State.HOLDING;
        try {
            callback.selected(ctx, protocol);
        } catch (Throwable t) {
            if (state == State.HOLDING) {
                terminate(ctx, t);
            }
            return;
        }
        if (!holdUntilRead && state == State.HOLDING && !ctx.isRemoved()) {
            ctx.pipeline().remove(this);
        }
    }

    /**
     * Fails the negotiation if it is still under way: the callback learns why; the bytes received
     * are dropped. After the agreement, errors belong to the handlers the callback installed.
     */
    final void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (state == State.NEW || state == State.NEGOTIATING) {
            terminate(ctx, cause);
        }
    }

    private void terminate(ChannelHandlerContext ctx, Throwable cause) {
        state = State.FAILED;
        releaseCumulation();
        callback.failed(ctx, cause);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (state == State.NEGOTIATING) {
            requestRead(ctx);
        } else if (state == State.DONE) {
            ctx.fireChannelReadComplete();
        }
    }

    private static void requestRead(ChannelHandlerContext ctx) {
        if (!ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (state == State.HOLDING && !ctx.isRemoved()) {
            ctx.pipeline().remove(this);
        }
        ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.NEW || state == State.NEGOTIATING) {
            fail(ctx, new ClosedChannelException());
        } else if (state == State.HOLDING && !ctx.isRemoved()) {
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state == State.NEW || state == State.NEGOTIATING) {
            fail(ctx, cause);
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        boolean agreed = state == State.HOLDING;
        if (state != State.FAILED) {
            state = State.DONE;
        }
        ByteBuf leftover = cumulation;
        cumulation = null;
        if (leftover == null) {
            return;
        }
        if (agreed && leftover.isReadable()) {
            ctx.fireChannelRead(leftover);
            ctx.fireChannelReadComplete();
        } else {
            leftover.release();
        }
    }

    private void releaseCumulation() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }
}
