package io.vine.security.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.vine.core.HandshakeException;
import io.vine.core.SecureSession;
import java.util.concurrent.CompletableFuture;

/**
 * What every security handshake handler shares: one result future, completed once; any failure
 * (error, close, removal) fails it with a {@link HandshakeException} and closes the connection, as
 * the security specs ask. Subclasses decode the handshake messages and complete {@link #result}.
 */
public abstract class HandshakeHandler extends ByteToMessageDecoder {
    private final String protocol;
    protected final CompletableFuture<SecureSession> result;

    protected HandshakeHandler(String protocol, CompletableFuture<SecureSession> result) {
        this.protocol = protocol;
        this.result = result;
    }

    /** Fails the handshake and closes the connection, unless it already ended. */
    protected void fail(ChannelHandlerContext ctx, HandshakeException e) {
        if (result.completeExceptionally(e)) {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (result.isDone()) {
            ctx.fireExceptionCaught(cause);
        } else {
            fail(ctx, new HandshakeException(protocol + ": handshake failed: " + cause, cause));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx);
        fail(ctx, new HandshakeException(protocol + ": connection closed during the handshake"));
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        result.completeExceptionally(new HandshakeException(protocol + ": handshake handler removed before completion"));
    }
}
