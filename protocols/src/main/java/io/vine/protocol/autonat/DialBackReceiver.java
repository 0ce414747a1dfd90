package io.vine.protocol.autonat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vine.core.StreamChannel;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.protocol.autonat.internal.pb.AutoNatProto;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The client's side of an inbound {@code /libp2p/autonat/2/dial-back} stream: reads the DialBack,
 * records its nonce with the local address the dial arrived on, answers DialBackResponse OK and
 * closes. A nonce of no request in flight, a malformed message or silence resets the stream.
 */
final class DialBackReceiver extends ChannelInboundHandlerAdapter {
    private final PendingChecks pending;
    private final Multiaddr localAddress;
    private final Duration timeout;
    private boolean done;
    private ScheduledFuture<?> timer;

    /** @param localAddress the local address of the connection the dial-back came in on */
    DialBackReceiver(PendingChecks pending, Multiaddr localAddress, Duration timeout) {
        this.pending = pending;
        this.localAddress = localAddress;
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> reset(ctx), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (done || !(msg instanceof ByteBuf frame)) {
                return;
            }
            long nonce = Messages.parseDialBack(frame).getNonce();
            if (!pending.dialedBack(nonce, localAddress)) {
                reset(ctx);
                return;
            }
            done = true;
            cancelTimer();
            AutoNatProto.DialBackResponse ok = AutoNatProto.DialBackResponse.newBuilder()
                    .setStatus(AutoNatProto.DialBackResponse.DialBackStatus.OK).build();
            ctx.writeAndFlush(Messages.frame(ctx.alloc(), ok)).addListener(ChannelFutureListener.CLOSE);
        } catch (AutoNatException e) {
            reset(ctx);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        reset(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    private void reset(ChannelHandlerContext ctx) {
        if (done) {
            return;
        }
        done = true;
        cancelTimer();
        StreamChannel.abort(ctx.channel());
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
