package io.vine.transport.tcp;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Stands in for the caller's initializer during one connect attempt and puts it in the pipeline when
 * the connection is established, just before {@code channelActive} reaches it. A name may resolve to
 * several addresses, and a handler that is not {@code @Sharable} can join one pipeline only: the
 * initializer must not be spent on an attempt that fails. It also refuses a TCP self-connection:
 * dialing a free local port, the kernel may pick that very port as the source and the socket then
 * connects to itself.
 */
final class DialGate extends ChannelInboundHandlerAdapter {
    private final ChannelHandler initializer;

    DialGate(ChannelHandler initializer) {
        this.initializer = initializer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().localAddress().equals(ctx.channel().remoteAddress())) {
            ctx.close();
            return;
        }
        ctx.pipeline().addAfter(ctx.name(), null, initializer);
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }
}
