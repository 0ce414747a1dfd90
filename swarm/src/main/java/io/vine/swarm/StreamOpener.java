package io.vine.swarm;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.vine.core.Connection;
import io.vine.core.Protocol;
import io.vine.core.StreamChannel;
import io.vine.core.StreamException;
import io.vine.swarm.multistream.MultistreamSelect;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Negotiates protocols on streams: outbound, propose and hold the remote's early bytes until the
 * caller's handlers are in place; inbound, answer from the registered protocols and hand the stream
 * to the protocol that won.
 */
final class StreamOpener {
    private static final Logger log = LoggerFactory.getLogger(StreamOpener.class);

    private final Supplier<Map<String, Protocol>> registry;
    private final Duration timeout;

    StreamOpener(Supplier<Map<String, Protocol>> registry, Duration timeout) {
        this.registry = registry;
        this.timeout = timeout;
    }

    CompletableFuture<StreamChannel> open(ConnectionImpl connection, String... protocolIds) {
        List<String> ids = List.of(protocolIds);
        CompletableFuture<StreamChannel> result = new CompletableFuture<>();
        // The stream reads as soon as it is registered, and the remote's multistream header may come
        // right after our SYN: the negotiation handler must be in place in the same event loop task
        // that registers the stream. So open from the connection's loop (the muxer then completes
        // synchronously there) and install the handler directly in the completion callback.
        Runnable openOnLoop = () -> connection.muxed().openStream().whenComplete((stream, e) -> {
            if (e != null) {
                result.completeExceptionally(Futures.unwrap(e));
            } else if (stream.eventLoop().inEventLoop()) {
                negotiateOutbound(stream, ids, result);
            } else {
                stream.eventLoop().execute(() -> negotiateOutbound(stream, ids, result));
            }
        });
        EventLoop loop = connection.channel().eventLoop();
        if (loop.inEventLoop()) {
            openOnLoop.run();
        } else {
            try {
                loop.execute(openOnLoop);
            } catch (RejectedExecutionException e) {
                result.completeExceptionally(new StreamException("connection closed", e));
            }
        }
        return result;
    }

    private void negotiateOutbound(StreamChannel stream, List<String> ids, CompletableFuture<StreamChannel> result) {
        ScheduledFuture<?> timer = deadline(stream, () -> result.completeExceptionally(
                new StreamException("protocol negotiation for " + ids + " timed out after " + timeout)));
        MultistreamSelect.initiate(stream, ids, new MultistreamSelect.Selection() {
            @Override
            public void selected(ChannelHandlerContext ctx, String protocol) {
                timer.cancel(false);
                stream.attr(StreamChannel.PROTOCOL).set(protocol);
                // The caller installs its handlers when the future completes; until it turns auto-read
                // back on, the multistream handler holds whatever the remote already sent.
                stream.config().setAutoRead(false);
                if (!result.complete(stream)) {
                    stream.reset();
                }
            }

            @Override
            public void failed(ChannelHandlerContext ctx, Throwable cause) {
                timer.cancel(false);
                stream.reset();
                result.completeExceptionally(Futures.unwrap(cause));
            }
        }, true);
    }

    void acceptInbound(StreamChannel stream) {
        Map<String, Protocol> protocols = registry.get();
        ScheduledFuture<?> timer = deadline(stream, () -> log.debug("inbound negotiation timed out on {}", stream));
        MultistreamSelect.respond(stream, protocols::containsKey, new MultistreamSelect.Selection() {
            @Override
            public void selected(ChannelHandlerContext ctx, String protocol) {
                timer.cancel(false);
                stream.attr(StreamChannel.PROTOCOL).set(protocol);
                try {
                    protocols.get(protocol).acceptInboundStream(stream, protocol);
                } catch (RuntimeException e) {
                    log.warn("protocol {} failed to accept a stream from {}", protocol, peerOf(stream), e);
                    stream.reset();
                }
            }

            @Override
            public void failed(ChannelHandlerContext ctx, Throwable cause) {
                timer.cancel(false);
                log.debug("inbound negotiation failed on a stream from {}: {}", peerOf(stream), cause.toString());
                stream.reset();
            }
        });
    }

    private ScheduledFuture<?> deadline(StreamChannel stream, Runnable onTimeout) {
        return stream.eventLoop().schedule(() -> {
            if (stream.protocol() == null) {
                onTimeout.run();
                stream.reset();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Object peerOf(StreamChannel stream) {
        Connection c = stream.connection();
        return c == null ? "?" : c.remotePeer();
    }
}
