package io.vine.swarm;

import io.netty.channel.ChannelHandlerContext;
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
        // Open on the connection's loop and install multistream-select in the same task: the remote
        // may send its multistream header as soon as it sees the new stream, and no read of the
        // stream can run before this task ends.
        Runnable open = () -> connection.muxed().openStream().whenComplete((stream, error) -> {
            if (error != null) {
                result.completeExceptionally(Futures.unwrap(error));
            } else if (stream.eventLoop().inEventLoop()) {
                negotiateOutbound(stream, ids, result);
            } else {
                stream.eventLoop().execute(() -> negotiateOutbound(stream, ids, result));
            }
        });
        var loop = connection.channel().eventLoop();
        if (loop.inEventLoop()) {
            open.run();
        } else {
            try {
                loop.execute(open);
            } catch (java.util.concurrent.RejectedExecutionException e) {
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
