package io.vine.security.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.vine.core.HandshakeException;
import io.vine.core.SecureSession;
import io.vine.core.SecurityContext;
import io.vine.core.peer.PeerId;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLEngine;

/**
 * Sits right after the {@link io.netty.handler.ssl.SslHandler} until the handshake ends. On success it
 * removes itself and completes the session future, all inside the SslHandler's handshake completion
 * event: the SslHandler passes on decrypted application bytes only after that event, so the future's
 * callbacks can still extend the pipeline. On failure it fails the future with a {@link
 * HandshakeException} (the {@link io.vine.core.PeerIdMismatchException} or certificate problem our
 * trust manager found, when that was the reason) and closes the connection.
 */
final class TlsHandshakeHandler extends ChannelInboundHandlerAdapter {
    private final SSLEngine engine;
    private final PeerTrustManager trust;
    private final SecurityContext context;
    private final PeerId localPeer;
    private final CompletableFuture<SecureSession> result;
    private boolean done;

    TlsHandshakeHandler(SSLEngine engine, PeerTrustManager trust, SecurityContext context, PeerId localPeer,
            CompletableFuture<SecureSession> result) {
        this.engine = engine;
        this.trust = trust;
        this.context = context;
        this.localPeer = localPeer;
        this.result = result;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof SslHandshakeCompletionEvent event) || done) {
            ctx.fireUserEventTriggered(evt);
        } else if (event.isSuccess()) {
            succeed(ctx);
        } else {
            fail(ctx, event.cause());
        }
    }

    private void succeed(ChannelHandlerContext ctx) {
        CertificateVerifier.Verified remote = trust.verified();
        if (remote == null) { // the engine did not consult the trust manager: never accept that
            fail(ctx, new HandshakeException("tls: the handshake completed without a verified peer certificate"));
            return;
        }
        String alpn = engine.getApplicationProtocol();
        Optional<String> muxer = alpn != null && context.muxers().contains(alpn) ? Optional.of(alpn) : Optional.empty();
        done = true;
        ctx.pipeline().remove(this);
        result.complete(new SecureSession(localPeer, remote.peerId(), remote.key(), muxer));
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (done) {
            return;
        }
        done = true;
        HandshakeException failure = trust.failure();
        if (failure == null) {
            failure = switch (cause) {
                case HandshakeException h -> h;
                case ClosedChannelException c -> new HandshakeException("tls: connection closed during the handshake", c);
                default -> new HandshakeException("tls: handshake failed: " + describe(cause), cause);
            };
        }
        result.completeExceptionally(failure);
        ctx.close();
    }

    private static String describe(Throwable t) {
        Throwable inner = t instanceof DecoderException && t.getCause() != null ? t.getCause() : t;
        return inner.getMessage() != null ? inner.getMessage() : inner.getClass().getSimpleName();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Still here means not succeeded: either this fails the handshake now, or it already failed and
        // the connection is closing (the SslHandler rethrows what failed the handshake): swallow it.
        fail(ctx, cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, new HandshakeException("tls: connection closed during the handshake"));
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (!done) {
            done = true;
            result.completeExceptionally(new HandshakeException("tls: handshake handler removed before completion"));
        }
    }
}
