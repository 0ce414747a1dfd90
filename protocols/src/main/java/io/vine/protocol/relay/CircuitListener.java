package io.vine.protocol.relay;

import io.netty.channel.ChannelHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.vine.core.Connection;
import io.vine.core.ProtocolContext;
import io.vine.core.SwarmEvent;
import io.vine.core.TransportListener;
import io.vine.core.multiaddr.Multiaddr;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listening through one relay: holds a reservation there and refreshes it at three quarters of its
 * life. When the connection to the relay closes or the reservation lapses, it publishes
 * {@link SwarmEvent.ListenStopped} and tries again with exponential back-off; when a reservation is
 * back, {@link SwarmEvent.ListenStarted}. State lives on the swarm's event loop.
 */
final class CircuitListener implements TransportListener {
    private static final Logger log = LoggerFactory.getLogger(CircuitListener.class);

    private final RelayTransport transport;
    private final ProtocolContext context;
    private final CircuitAddresses.Parsed parsed;
    private final Multiaddr address;
    private final ChannelHandler initializer;
    private final CompletableFuture<TransportListener> first = new CompletableFuture<>();
    private Connection connection;
    private ScheduledFuture<?> timer;
    private long expiresAtMillis;
    private boolean up;
    private int failures;
    private volatile boolean closed;

    CircuitListener(RelayTransport transport, ProtocolContext context, CircuitAddresses.Parsed parsed,
            ChannelHandler initializer) {
        this.transport = transport;
        this.context = context;
        this.parsed = parsed;
        this.address = parsed.circuit();
        this.initializer = initializer;
    }

    /** Makes the first reservation; completes when it is granted, fails when it is not. */
    CompletableFuture<TransportListener> start() {
        context.executor().execute(this::attempt);
        return first;
    }

    @Override
    public Multiaddr localAddress() {
        return address;
    }

    ChannelHandler initializer() {
        return initializer;
    }

    /** Whether a relayed connection may come in: the listener is open (its reservation may be renewing). */
    boolean accepting() {
        return !closed;
    }

    @Override
    public CompletableFuture<Void> close() {
        closed = true;
        transport.remove(parsed.relay(), this);
        context.executor().execute(this::cancelTimer);
        return CompletableFuture.completedFuture(null);
    }

    /** A connection to the relay closed (called on the swarm loop). */
    void connectionClosed(Connection c) {
        if (c != connection || closed) {
            return;
        }
        connection = null;
        log.debug("connection to relay {} closed", parsed.relay());
        down();
        retryLater();
    }

    private void attempt() {
        if (closed) {
            return;
        }
        CompletableFuture<Connection> dial = parsed.hasTransportAddress()
                ? context.dial(parsed.relayAddress(), false) : context.dial(parsed.relay(), false);
        dial.thenCompose(c -> c.newStream(RelayMessages.HOP).thenCompose(s ->
                        HopClient.reserve(s, context.localPeer(), parsed.relay(), transport.handshakeTimeout(),
                                transport.counters()))
                        .thenApply(g -> {
                            context.executor().execute(() -> granted(c, g));
                            return g;
                        }))
                .exceptionally(e -> {
                    context.executor().execute(() -> failed(e));
                    return null;
                });
    }

    private void granted(Connection c, HopClient.Granted g) {
        if (closed) {
            return;
        }
        failures = 0;
        connection = c;
        expiresAtMillis = g.expireSeconds() * 1000;
        if (!c.isOpen()) {
            connectionClosed(c);
            return;
        }
        log.debug("reservation on {} until {}", parsed.relay(), g.expireSeconds());
        if (!first.isDone()) {
            up = true;
            first.complete(this);
        } else if (!up) {
            up = true;
            context.publish(new SwarmEvent.ListenStarted(address));
        }
        long delay = Math.max(500, (expiresAtMillis - System.currentTimeMillis()) * 3 / 4);
        schedule(delay);
    }

    private void failed(Throwable e) {
        if (closed) {
            return;
        }
        if (!first.isDone()) {
            transport.remove(parsed.relay(), this);
            closed = true;
            first.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e);
            return;
        }
        log.debug("reservation on {} failed: {}", parsed.relay(), e.toString());
        if (System.currentTimeMillis() >= expiresAtMillis || connection == null || !connection.isOpen()) {
            down();
        }
        retryLater();
    }

    private void down() {
        if (up) {
            up = false;
            context.publish(new SwarmEvent.ListenStopped(address));
        }
    }

    private void retryLater() {
        failures++;
        long min = transport.retryMin().toMillis();
        long delay = Math.min(transport.retryMax().toMillis(), min << Math.min(failures - 1, 16));
        if (up) {
            delay = Math.min(delay, Math.max(100, expiresAtMillis - System.currentTimeMillis()));
        }
        schedule(delay);
    }

    private void schedule(long delayMillis) {
        cancelTimer();
        if (!closed) {
            timer = context.executor().schedule(this::attempt, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
