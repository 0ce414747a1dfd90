package io.vine.protocol.ping;

import static java.util.Objects.requireNonNull;

import io.vine.core.Protocol;
import io.vine.core.ProtocolContext;
import io.vine.core.StreamChannel;
import io.vine.core.peer.PeerId;
import io.vine.swarm.Swarm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ping protocol ({@code /ipfs/ping/1.0.0}): measures round-trip times to a peer and records them
 * in the peer store, and echoes the pings of others. Per the spec, this node keeps at most one
 * outbound ping stream per peer (concurrent {@link #ping} calls to one peer run one after the
 * other) and accepts at most {@value #MAX_INBOUND_STREAMS_PER_PEER} inbound ones. Thread-safe.
 */
public final class Ping implements Protocol {
    private static final Logger log = LoggerFactory.getLogger(Ping.class);

    public static final String PROTOCOL_ID = "/ipfs/ping/1.0.0";
    /** How long one echo may take. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    /** How long an inbound stream may go without a payload before it is closed. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Inbound ping streams accepted per peer at once; the spec says a listener SHOULD accept two. */
    public static final int MAX_INBOUND_STREAMS_PER_PEER = 2;

    private final Duration timeout;
    private final Duration idleTimeout;
    private final ConcurrentMap<PeerId, Integer> inbound = new ConcurrentHashMap<>();
    private final ConcurrentMap<PeerId, CompletableFuture<?>> outbound = new ConcurrentHashMap<>();
    private volatile ProtocolContext context;

    public Ping() {
        this(DEFAULT_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
    }

    /** Ping whose echoes must come back within {@code timeout}; idle inbound streams close after {@code idleTimeout}. */
    public Ping(Duration timeout, Duration idleTimeout) {
        this.timeout = positive(timeout, "timeout");
        this.idleTimeout = positive(idleTimeout, "idleTimeout");
    }

    /**
     * Pings {@code peer} {@code count} times through the {@link Ping} registered with {@code swarm},
     * or, when none is, through one used for this call only (dialer side works without registration).
     */
    public static CompletableFuture<List<Duration>> ping(Swarm swarm, PeerId peer, int count) {
        requireNonNull(swarm, "swarm");
        Ping ping = swarm.protocol(Ping.class).orElseGet(() -> {
            Ping transientPing = new Ping();
            transientPing.context = swarm;
            return transientPing;
        });
        return ping.ping(peer, count);
    }

    @Override
    public List<String> protocolIds() {
        return List.of(PROTOCOL_ID);
    }

    @Override
    public void start(ProtocolContext context) {
        this.context = requireNonNull(context, "context");
    }

    /**
     * Pings {@code peer} (dialing it if needed) {@code count} times on one stream and completes with
     * the round-trip times, each also recorded in the peer store. Fails with
     * {@link PingMismatchException} on a wrong echo, {@link PingTimeoutException} on a late one,
     * {@link PingException} when the stream ends early, or with the negotiation's exception when the
     * peer does not speak ping.
     */
    public CompletableFuture<List<Duration>> ping(PeerId peer, int count) {
        requireNonNull(peer, "peer");
        if (count < 1) {
            throw new IllegalArgumentException("count: " + count + " (expected: > 0)");
        }
        ProtocolContext ctx = context;
        if (ctx == null) {
            throw new IllegalStateException("Ping is not started: register it with a swarm");
        }
        CompletableFuture<List<Duration>> result = new CompletableFuture<>();
        CompletableFuture<?> previous = outbound.put(peer, result);
        CompletableFuture<?> turn = previous == null ? CompletableFuture.completedFuture(null)
                : previous.handle((v, e) -> null);
        turn.thenRun(() -> run(ctx, peer, count, result));
        result.whenComplete((v, e) -> outbound.remove(peer, result));
        return result;
    }

    private void run(ProtocolContext ctx, PeerId peer, int count, CompletableFuture<List<Duration>> result) {
        PingInitiator initiator = new PingInitiator(count, timeout, result,
                rtt -> ctx.peerStore().recordLatency(peer, rtt));
        ctx.newStream(peer, initiator, PROTOCOL_ID).whenComplete((stream, e) -> {
            if (e != null) {
                result.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        });
    }

    @Override
    public void acceptInboundStream(StreamChannel stream, String protocolId) {
        PeerId peer = stream.connection().remotePeer();
        boolean[] admitted = new boolean[1];
        inbound.compute(peer, (p, open) -> {
            int n = open == null ? 0 : open;
            admitted[0] = n < MAX_INBOUND_STREAMS_PER_PEER;
            return admitted[0] ? n + 1 : open;
        });
        if (!admitted[0]) {
            log.debug("refusing a ping stream from {}: {} already open", peer, MAX_INBOUND_STREAMS_PER_PEER);
            stream.reset();
            return;
        }
        stream.pipeline().addLast(new PingResponder(idleTimeout,
                () -> inbound.computeIfPresent(peer, (p, open) -> open <= 1 ? null : open - 1)));
    }

    private static Duration positive(Duration d, String name) {
        requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
        }
        return d;
    }
}
