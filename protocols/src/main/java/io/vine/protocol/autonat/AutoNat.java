package io.vine.protocol.autonat;

import static java.util.Objects.requireNonNull;

import io.netty.util.concurrent.ScheduledFuture;
import io.vine.core.Connection;
import io.vine.core.Protocol;
import io.vine.core.ProtocolContext;
import io.vine.core.Reachability;
import io.vine.core.StreamChannel;
import io.vine.core.SwarmEvent;
import io.vine.core.codec.VarintFrameDecoder;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.protocol.identify.PeerIdentified;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * AutoNAT v2 ({@code /libp2p/autonat/2/dial-request}, {@code /libp2p/autonat/2/dial-back}), client
 * and server. As a server it dials back the first acceptable address of a request over a new
 * connection, asking for dial data first when that address's IP is not the one the request came
 * from, within the rate limits of its {@link AutoNatConfig}. As a client it tests this node's listen
 * addresses and the observed addresses identify reports (from enough distinct observers) with
 * connected servers, and records each verdict in the peer store
 * ({@link io.vine.core.PeerStore#reachability()}), as a {@link ReachabilityChanged} event and, for a
 * confirmed public address that is not a listen address, as an external address of the swarm.
 * Register one instance with a swarm (after {@link io.vine.protocol.identify.Identify}, whose events
 * it reads). Thread-safe.
 */
public final class AutoNat implements Protocol {
    public static final String DIAL_REQUEST_ID = "/libp2p/autonat/2/dial-request";
    public static final String DIAL_BACK_ID = "/libp2p/autonat/2/dial-back";

    private final AutoNatConfig config;
    private final RateLimiter limiter;
    private final PendingChecks pending = new PendingChecks();
    private volatile ProtocolContext context;
    private volatile ReachabilityTracker tracker;
    private ScheduledFuture<?> timer;

    /** Client and server with {@link AutoNatConfig#DEFAULT}. */
    public AutoNat() {
        this(AutoNatConfig.DEFAULT);
    }

    public AutoNat(AutoNatConfig config) {
        this.config = requireNonNull(config, "config");
        this.limiter = new RateLimiter(config, System::nanoTime);
    }

    public AutoNatConfig config() {
        return config;
    }

    @Override
    public List<String> protocolIds() {
        return config.server() ? List.of(DIAL_REQUEST_ID, DIAL_BACK_ID) : List.of(DIAL_BACK_ID);
    }

    @Override
    public void start(ProtocolContext context) {
        this.context = requireNonNull(context, "context");
        if (config.client()) {
            ReachabilityTracker t = new ReachabilityTracker(context, config, this::checkOne, System::nanoTime);
            tracker = t;
            long every = config.checkInterval().toMillis();
            timer = context.executor().scheduleWithFixedDelay(t::tick, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Asks {@code server} to dial this node at the first of {@code addresses} it is willing to, with
     * a fresh nonce. Completes with the server's answer; fails with {@link AutoNatException} when
     * the server misbehaves (malformed answer, unproven dial-back, too much dial data asked), or with
     * the stream's exception when the server does not speak AutoNAT v2.
     */
    public CompletableFuture<DialResult> check(PeerId server, List<Multiaddr> addresses) {
        requireNonNull(server, "server");
        List<Multiaddr> copy = List.copyOf(requireNonNull(addresses, "addresses"));
        if (copy.isEmpty() || copy.size() > config.maxAddressesPerRequest()) {
            throw new IllegalArgumentException("addresses: " + copy.size() + " (expected: 1.."
                    + config.maxAddressesPerRequest() + ")");
        }
        ProtocolContext ctx = context();
        PendingChecks.Pending p = pending.open(copy).orElse(null);
        if (p == null) {
            return CompletableFuture.failedFuture(new AutoNatException(
                    "more than " + PendingChecks.MAX_PENDING + " checks in flight"));
        }
        CompletableFuture<DialResult> result = new CompletableFuture<>();
        ctx.newStream(server, DIAL_REQUEST_ID).whenComplete((stream, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
                return;
            }
            stream.eventLoop().execute(() -> {
                stream.pipeline().addLast(new VarintFrameDecoder(Messages.MAX_MESSAGE_BYTES),
                        new DialRequester(server, p, config, result));
                stream.config().setAutoRead(true);
            });
        });
        return result.whenComplete((r, e) -> pending.close(p));
    }

    /**
     * This node's addresses with a verdict, from the peer store: PUBLIC or PRIVATE (UNKNOWN ones are
     * not listed).
     */
    public Map<Multiaddr, Reachability> reachability() {
        return context().peerStore().reachability();
    }

    /** Runs the client's address pipeline once now (it also runs every {@code checkInterval}). */
    public void checkNow() {
        ReachabilityTracker t = tracker;
        if (t != null) {
            context().executor().execute(t::tick);
        }
    }

    /** The addresses the client would test now: testable listen addresses and confirmed observed ones. */
    public CompletableFuture<List<Multiaddr>> candidates() {
        ReachabilityTracker t = tracker;
        if (t == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        CompletableFuture<List<Multiaddr>> out = new CompletableFuture<>();
        context().executor().execute(() -> out.complete(List.copyOf(t.candidates())));
        return out;
    }

    private CompletableFuture<DialResult> checkOne(PeerId server, Multiaddr address) {
        return check(server, List.of(address));
    }

    @Override
    public void onConnectionOpened(Connection connection) {
        ReachabilityTracker t = tracker;
        if (t != null) {
            t.onConnected(connection.remotePeer());
        }
    }

    @Override
    public void onConnectionClosed(Connection connection) {
        ReachabilityTracker t = tracker;
        if (t != null && context().connections(connection.remotePeer()).isEmpty()) {
            t.onDisconnected(connection.remotePeer());
        }
    }

    @Override
    public void onEvent(SwarmEvent event) {
        ReachabilityTracker t = tracker;
        if (t == null) {
            return;
        }
        if (event instanceof PeerIdentified identified) {
            identified.info().observedAddr().ifPresent(a -> t.onObserved(identified.peer(), a));
            t.tick();
        } else if (event instanceof SwarmEvent.ListenStarted || event instanceof SwarmEvent.ListenStopped) {
            t.tick();
        }
    }

    @Override
    public void acceptInboundStream(StreamChannel stream, String protocolId) {
        ProtocolContext ctx = context();
        Connection connection = stream.connection();
        if (DIAL_REQUEST_ID.equals(protocolId) && config.server()) {
            stream.pipeline().addLast(new VarintFrameDecoder(Messages.MAX_MESSAGE_BYTES),
                    new DialRequestHandler(ctx, config, limiter, connection.remotePeer(), connection.remoteAddress()));
        } else if (DIAL_BACK_ID.equals(protocolId)) {
            stream.pipeline().addLast(new VarintFrameDecoder(Messages.MAX_MESSAGE_BYTES),
                    new DialBackReceiver(pending, connection.localAddress(), config.requestTimeout()));
        } else {
            stream.reset();
            return;
        }
        stream.config().setAutoRead(true);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Requests the server is serving now (for tests and diagnostics). */
    int activeRequests() {
        return limiter.active();
    }

    private ProtocolContext context() {
        ProtocolContext ctx = context;
        if (ctx == null) {
            throw new IllegalStateException("AutoNat is not started: register it with a swarm");
        }
        return ctx;
    }

    @Override
    public String toString() {
        return "AutoNat(server=" + config.server() + ", client=" + config.client() + ")";
    }
}
