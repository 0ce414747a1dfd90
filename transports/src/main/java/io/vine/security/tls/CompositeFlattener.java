package io.vine.security.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Hands the {@link io.netty.handler.ssl.SslHandler} every write in one piece. A muxer writes a frame as
 * a composite of its header and the payload. The SslHandler's write queue copies a composite through
 * {@code CompositeByteBuf.nioBuffer}, which allocates and zeroes a new heap array of the whole size,
 * copies into it, and then copies that again: a profile of a TLS upload put 21 % of the sending
 * thread there. Here each component is copied once, straight into a pooled buffer.
 */
final class CompositeFlattener extends ChannelOutboundHandlerAdapter {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf) || buf.nioBufferCount() <= 1) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf flat = null;
        try {
            int length = buf.readableBytes();
            flat = ctx.alloc().buffer(length);
            buf.getBytes(buf.readerIndex(), flat, length);
        } catch (RuntimeException e) {
            if (flat != null) {
                flat.release();
            }
            promise.setFailure(e);
            return;
        } finally {
            buf.release();
        }
        ctx.write(flat, promise);
    }
}
