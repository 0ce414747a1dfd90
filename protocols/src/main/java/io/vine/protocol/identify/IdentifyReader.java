package io.vine.protocol.identify;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vine.core.StreamChannel;
import io.vine.core.peer.PeerId;
import io.vine.protocol.identify.internal.pb.IdentifyProto;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads the {@code Identify} messages a peer writes on a stream until it closes its side, merges them
 * and completes {@code result} with the validated update. Sits behind a
 * {@link io.vine.core.codec.VarintFrameDecoder} bounded to {@link IdentifyCodec#MAX_MESSAGE_BYTES}.
 * Any failure (framing, protobuf, key, too many messages, timeout, no message at all) fails
 * {@code result} with an {@link IdentifyException} and resets the stream.
 */
final class IdentifyReader extends ChannelInboundHandlerAdapter {
    private final PeerId remote;
    private final Duration timeout;
    private final CompletableFuture<IdentifyUpdate> result;
    private final IdentifyProto.Identify.Builder merged = IdentifyProto.Identify.newBuilder();
    private int messages;
    private ScheduledFuture<?> timer;

    IdentifyReader(PeerId remote, Duration timeout, CompletableFuture<IdentifyUpdate> result) {
        this.remote = remote;
        this.timeout = timeout;
        this.result = result;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> fail(ctx, new IdentifyException(
                "identify from " + remote + " timed out after " + timeout)), timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ctx.channel().isActive()) {
            finish(ctx);
        } else if (ctx.channel() instanceof DuplexChannel duplex && duplex.isInputShutdown()) {
            // The remote finished before this handler was installed: what negotiation held back is
            // delivered when reading resumes, in the task that installs this handler; finish after it.
            ctx.executor().execute(() -> finish(ctx));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (result.isDone()) {
                return;
            }
            if (!(msg instanceof ByteBuf frame)) {
                throw new IdentifyException("identify from " + remote + ": unexpected " + msg.getClass().getSimpleName());
            }
            if (++messages > IdentifyCodec.MAX_MESSAGES) {
                throw new IdentifyException("identify from " + remote + ": more than "
                        + IdentifyCodec.MAX_MESSAGES + " messages (expected: <= " + IdentifyCodec.MAX_MESSAGES + ")");
            }
            try (ByteBufInputStream in = new ByteBufInputStream(frame)) {
                merged.mergeFrom(in);
            } catch (InvalidProtocolBufferException e) {
                throw new IdentifyException("identify from " + remote + ": malformed message: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new IdentifyException("identify from " + remote + ": " + e.getMessage(), e);
            }
        } catch (IdentifyException e) {
            fail(ctx, e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // The end of input may have been signalled before this handler was installed (while the
        // negotiation held the remote's early bytes); what was held has now been delivered.
        if (ctx.channel() instanceof DuplexChannel duplex && duplex.isInputShutdown()) {
            finish(ctx);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            finish(ctx);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish(ctx);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause instanceof IdentifyException e ? e
                : new IdentifyException("identify from " + remote + ": " + cause.getMessage(), cause));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    /** The remote closed its side: the message is complete. */
    private void finish(ChannelHandlerContext ctx) {
        if (result.isDone()) {
            return;
        }
        if (messages == 0) {
            fail(ctx, new IdentifyException("identify from " + remote + ": stream closed before a complete message"));
            return;
        }
        IdentifyUpdate update;
        try {
            update = IdentifyCodec.decode(merged.build(), remote);
        } catch (IdentifyException e) {
            fail(ctx, e);
            return;
        }
        cancelTimer();
        result.complete(update);
        ctx.close();
    }

    private void fail(ChannelHandlerContext ctx, IdentifyException cause) {
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
