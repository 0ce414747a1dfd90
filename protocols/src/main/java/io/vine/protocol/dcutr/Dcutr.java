package io.vine.protocol.dcutr;

import static java.util.Objects.requireNonNull;

import io.vine.core.Connection;
import io.vine.core.Direction;
import io.vine.core.Protocol;
import io.vine.core.ProtocolContext;
import io.vine.core.StreamChannel;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.core.peer.PeerId;
import io.vine.swarm.multistream.NegotiationException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DCUtR ({@value #PROTOCOL_ID}): turns a relayed connection into a direct one by hole punching.
 * When a relayed connection comes in (this node listens through a relay and a peer dialed it), this
 * node starts the protocol as the spec's peer B; the dialing peer answers as peer A. Both publish
 * {@link HolePunchSucceeded} or {@link HolePunchFailed} and count in {@link #counters()}.
 *
 * <pre>{@code
 * Swarm swarm = Swarm.builder()
 *         .transport(new TcpTransport(TcpConfig.DEFAULT.withReusePort(true)), relayClient)
 *         .protocol(relayClient, new Identify(), new Dcutr())
 *         ...
 * }</pre>
 */
public final class Dcutr implements Protocol {
    public static final String PROTOCOL_ID = "/libp2p/dcutr";
    private static final Logger log = LoggerFactory.getLogger(Dcutr.class);

    final DcutrConfig config;
    final DcutrMetrics metrics = new DcutrMetrics();
    private final Map<PeerId, Consumer<Connection>> watchers = new ConcurrentHashMap<>();
    private final Set<PeerId> initiating = ConcurrentHashMap.newKeySet();
    private volatile ProtocolContext context;

    public Dcutr() {
        this(DcutrConfig.DEFAULT);
    }

    public Dcutr(DcutrConfig config) {
        this.config = requireNonNull(config, "config");
    }

    /** What this protocol did so far. */
    public DcutrCounters counters() {
        return metrics.snapshot();
    }

    @Override
    public List<String> protocolIds() {
        return List.of(PROTOCOL_ID);
    }

    @Override
    public void start(ProtocolContext context) {
        this.context = requireNonNull(context, "context");
    }

    ProtocolContext context() {
        return context;
    }

    static boolean relayed(Connection c) {
        return c.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT);
    }

    @Override
    public void onConnectionOpened(Connection c) {
        PeerId peer = c.remotePeer();
        if (!relayed(c)) {
            Consumer<Connection> watcher = watchers.get(peer);
            if (watcher != null) {
                watcher.accept(c);
            }
            return;
        }
        if (c.direction() != Direction.INBOUND || direct(peer).isPresent() || !initiating.add(peer)) {
            return;
        }
        c.newStream(PROTOCOL_ID).whenComplete((stream, e) -> {
            if (e != null) {
                initiating.remove(peer);
                boolean unsupported = e instanceof NegotiationException || e.getCause() instanceof NegotiationException;
                fail(peer, unsupported ? DcutrMetrics.UNSUPPORTED : DcutrMetrics.STREAM_CLOSED,
                        "cannot open a dcutr stream: " + e.getMessage());
                return;
            }
            stream.eventLoop().execute(() -> {
                HolePunchCodec.install(stream.pipeline());
                stream.pipeline().addLast(new Initiator(this, peer, () -> initiating.remove(peer)));
                stream.config().setAutoRead(true);
            });
        });
    }

    @Override
    public void acceptInboundStream(StreamChannel stream, String protocolId) {
        HolePunchCodec.install(stream.pipeline());
        stream.pipeline().addLast(new Responder(this, stream.connection().remotePeer()));
    }

    /** An open direct (not relayed) connection to {@code peer}, if any. */
    Optional<Connection> direct(PeerId peer) {
        return context.connections(peer).stream().filter(c -> c.isOpen() && !relayed(c)).reduce((a, b) -> b);
    }

    /** Calls {@code watcher} (on the swarm loop) when a direct connection to {@code peer} opens. */
    void watch(PeerId peer, Consumer<Connection> watcher) {
        watchers.put(peer, watcher);
    }

    void unwatch(PeerId peer, Consumer<Connection> watcher) {
        watchers.remove(peer, watcher);
    }

    /**
     * This node's addresses for a CONNECT: observed ones first, then specific listen addresses, except
     * a listen address whose port an observed address shows: a NAT maps that listener (the dials left
     * from it), so its private address would only cost the peer a dial that cannot work.
     */
    List<Multiaddr> localAddresses() {
        Set<Multiaddr> out = new LinkedHashSet<>();
        Set<Integer> mappedPorts = new java.util.HashSet<>();
        for (Multiaddr a : context.peerStore().observedAddresses()) {
            if (dialable(a)) {
                out.add(a.withoutPeerId());
                a.toSocketAddress().ifPresent(s -> mappedPorts.add(s.getPort()));
            }
        }
        for (Multiaddr a : context.listenAddresses()) {
            var socket = a.toSocketAddress();
            boolean wildcard = socket.map(s -> s.getAddress() != null && s.getAddress().isAnyLocalAddress()).orElse(false);
            boolean mapped = socket.map(s -> mappedPorts.contains(s.getPort())).orElse(false);
            if (dialable(a) && !wildcard && !mapped) {
                out.add(a.withoutPeerId());
            }
        }
        return new ArrayList<>(out).subList(0, Math.min(out.size(), HolePunchCodec.MAX_ADDRESSES));
    }

    /** Whether a peer's address is worth a hole punch dial: not through a relay. */
    static boolean dialable(Multiaddr a) {
        return !a.has(MultiaddrProtocol.P2P_CIRCUIT);
    }

    void succeed(PeerId peer, Connection direct) {
        metrics.successes.increment();
        log.debug("hole punch to {} succeeded: {}", peer, direct.remoteAddress());
        context.publish(new HolePunchSucceeded(peer, direct));
    }

    void fail(PeerId peer, String reason, String detail) {
        metrics.failed(reason);
        log.debug("hole punch to {} failed ({}): {}", peer, reason, detail);
        context.publish(new HolePunchFailed(peer, reason, detail));
    }
}
