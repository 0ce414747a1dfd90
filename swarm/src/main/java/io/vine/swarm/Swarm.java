package io.vine.swarm;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.vine.core.Connection;
import io.vine.core.DialException;
import io.vine.core.PeerStore;
import io.vine.core.Protocol;
import io.vine.core.ProtocolContext;
import io.vine.core.StreamChannel;
import io.vine.core.SwarmEvent;
import io.vine.core.Transport;
import io.vine.core.TransportListener;
import io.vine.core.crypto.PrivKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A libp2p node: its identity, transports, security protocols, muxers and protocols. One thread (the
 * swarm loop) owns connections, listeners, the peer store and dial back-off; connections run on the
 * I/O event loops and report to it. Built running with {@link #builder()}; thread-safe.
 */
public final class Swarm implements ProtocolContext, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Swarm.class);

    private final PrivKey key;
    private final PeerId self;
    private final SwarmLoop loop;
    private final EventLoopGroup io;
    private final boolean ownsIo;
    private final List<Transport> transports;
    private final Map<String, Protocol> protocolsById;
    private final List<Protocol> protocols;
    private final DefaultPeerStore peerStore;
    private final EventBus events;
    private final ConnectionRegistry registry;
    private final Handshakes handshakes;
    private final Dialer dialer;
    private final List<TransportListener> listeners = new CopyOnWriteArrayList<>();
    /** Owned by the swarm loop. */
    private final java.util.LinkedHashSet<Multiaddr> external = new java.util.LinkedHashSet<>();
    /** A copy of {@link #external} that any thread reads without waiting for the loop. */
    private volatile List<Multiaddr> externalSnapshot = List.of();
    private volatile boolean closed;

    Swarm(SwarmBuilder b) {
        this.key = b.key;
        this.self = PeerId.fromPublicKey(key.publicKey());
        this.loop = new SwarmLoop(b.swarmExecutor);
        this.io = b.io;
        this.ownsIo = b.ownsIo;
        this.transports = List.copyOf(b.transports);
        this.protocols = List.copyOf(b.protocols);
        Map<String, Protocol> byId = new LinkedHashMap<>();
        for (Protocol p : protocols) {
            for (String id : p.protocolIds()) {
                if (byId.putIfAbsent(id, p) != null) {
                    throw new IllegalArgumentException("protocol id " + id + " registered twice");
                }
            }
        }
        this.protocolsById = Map.copyOf(byId);
        SwarmLimits limits = b.limits;
        this.peerStore = new DefaultPeerStore(loop, limits.maxPeers(), limits.maxAddressesPerPeer());
        this.events = new EventBus(loop, () -> protocols);
        this.registry = new ConnectionRegistry(loop, limits, events, () -> protocols);
        Upgrader upgrader = new Upgrader(key, b.securities, b.muxers, limits.handshakeTimeout());
        StreamOpener opener = new StreamOpener(() -> protocolsById, limits.streamNegotiationTimeout());
        this.handshakes = new Handshakes(loop, io, upgrader, opener, registry, b.gater, events, limits);
        this.dialer = new Dialer(loop, limits, transports, handshakes, registry, peerStore, b.gater, events, self);
        loop.call(() -> {
            protocols.forEach(p -> p.start(this));
            return null;
        });
    }

    public static SwarmBuilder builder() {
        return new SwarmBuilder();
    }

    @Override
    public PeerId localPeer() {
        return self;
    }

    @Override
    public PrivKey privateKey() {
        return key;
    }

    /** Listens on {@code address}; completes with the address bound (port 0 resolved), without /p2p. */
    public CompletableFuture<Multiaddr> listen(Multiaddr address) {
        requireNonNull(address, "address");
        Transport transport = transports.stream().filter(t -> t.canListen(address)).findFirst().orElse(null);
        if (transport == null) {
            return Futures.failed(new IllegalArgumentException("no transport can listen on " + address));
        }
        return transport.listen(io, address, handshakes.acceptor(transport)).thenApply(listener -> {
            listeners.add(listener);
            events.publish(new SwarmEvent.ListenStarted(listener.localAddress()));
            log.debug("{} listening on {}", self, listener.localAddress());
            return listener.localAddress();
        });
    }

    /**
     * The addresses this node can be reached at: each listener's bound address, and for a listener on
     * 0.0.0.0 or :: the addresses of every interface that is up.
     */
    @Override
    public List<Multiaddr> listenAddresses() {
        List<Multiaddr> out = new ArrayList<>(listeners.size());
        listeners.forEach(l -> out.addAll(ListenAddresses.expand(l.localAddress())));
        return List.copyOf(out);
    }

    /** At most this many external addresses are kept; adding one more forgets the oldest. */
    public static final int MAX_EXTERNAL_ADDRESSES = 32;

    @Override
    public List<Multiaddr> externalAddresses() {
        return externalSnapshot;
    }

    @Override
    public boolean addExternalAddress(Multiaddr address) {
        Multiaddr a = requireNonNull(address, "address").withoutPeerId();
        return loop.call(() -> {
            if (!external.add(a)) {
                return false;
            }
            Multiaddr oldest = external.size() > MAX_EXTERNAL_ADDRESSES ? external.iterator().next() : null;
            if (oldest != null) {
                external.remove(oldest);
            }
            externalSnapshot = List.copyOf(external);
            events.publish(new SwarmEvent.ExternalAddressAdded(a));
            if (oldest != null) {
                events.publish(new SwarmEvent.ExternalAddressRemoved(oldest));
            }
            return true;
        });
    }

    @Override
    public boolean removeExternalAddress(Multiaddr address) {
        Multiaddr a = requireNonNull(address, "address").withoutPeerId();
        return loop.call(() -> {
            if (!external.remove(a)) {
                return false;
            }
            externalSnapshot = List.copyOf(external);
            events.publish(new SwarmEvent.ExternalAddressRemoved(a));
            return true;
        });
    }

    @Override
    public List<String> protocolIds() {
        return List.copyOf(protocolsById.keySet());
    }

    @Override
    public PeerStore peerStore() {
        return peerStore;
    }

    @Override
    public List<Connection> connections(PeerId peer) {
        return loop.call(() -> registry.of(peer));
    }

    /** Every open connection. */
    public List<Connection> connections() {
        return loop.call(registry::all);
    }

    /** Dials {@code address}, reusing an open connection to its /p2p peer. */
    public CompletableFuture<Connection> dial(Multiaddr address) {
        return dial(address, false);
    }

    @Override
    public CompletableFuture<Connection> dial(Multiaddr address, boolean forceNew) {
        requireNonNull(address, "address");
        return closed ? Futures.failed(new DialException("swarm closed")) : dialer.dial(address, forceNew);
    }

    @Override
    public CompletableFuture<Connection> dialAsResponder(Multiaddr address) {
        requireNonNull(address, "address");
        return closed ? Futures.failed(new DialException("swarm closed")) : dialer.dialAsResponder(address);
    }

    @Override
    public CompletableFuture<Connection> dial(PeerId peer, boolean forceNew) {
        requireNonNull(peer, "peer");
        return closed ? Futures.failed(new DialException("swarm closed")) : dialer.dial(peer, forceNew);
    }

    /**
     * {@inheritDoc}
     *
     * <p>If the connection chosen closes while the stream is being opened (the remote closed it just
     * then: an AutoNAT server closes its dial-back connection right after the check, and that is the
     * newest connection to it), the stream is opened once more, on another connection or a new one.
     */
    @Override
    public CompletableFuture<StreamChannel> newStream(PeerId peer, String... protocolIds) {
        requireNonNull(peer, "peer");
        return dial(peer, false).thenCompose(c -> c.newStream(protocolIds).exceptionallyCompose(e ->
                c.isOpen() || closed ? CompletableFuture.failedFuture(e)
                        : dial(peer, false).thenCompose(next -> next.newStream(protocolIds))));
    }

    @Override
    public CompletableFuture<StreamChannel> newStream(PeerId peer, ChannelHandler handler, String... protocolIds) {
        requireNonNull(handler, "handler");
        return newStream(peer, protocolIds).thenCompose(stream -> {
            CompletableFuture<StreamChannel> ready = new CompletableFuture<>();
            stream.eventLoop().execute(() -> {
                stream.pipeline().addLast(handler);
                stream.config().setAutoRead(true);
                ready.complete(stream);
            });
            return ready;
        });
    }

    /** Connection setup counts since the swarm was built. */
    public SwarmMetrics metrics() {
        return new SwarmMetrics(handshakes.started.sum(), handshakes.completed.sum(), handshakes.failed.sum(),
                dialer.backoffSkips.sum());
    }

    /** Subscribes to swarm events, delivered on the swarm loop; close the result to unsubscribe. */
    public AutoCloseable subscribe(Consumer<SwarmEvent> subscriber) {
        return events.subscribe(requireNonNull(subscriber, "subscriber"));
    }

    @Override
    public void publish(SwarmEvent event) {
        events.publish(requireNonNull(event, "event"));
    }

    @Override
    public EventExecutor executor() {
        return loop.executor();
    }

    /** The registered protocol of type {@code type}, if any. */
    public <T extends Protocol> java.util.Optional<T> protocol(Class<T> type) {
        return protocols.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** Stops listening, closes every connection and the protocols, and releases the event loops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        listeners.forEach(l -> l.close().join());
        listeners.clear();
        List<Connection> open = loop.call(registry::all);
        CompletableFuture.allOf(open.stream().map(c -> c.close().exceptionally(e -> null))
                .toArray(CompletableFuture[]::new)).orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        loop.call(() -> {
            protocols.forEach(p -> {
                try {
                    p.stop();
                } catch (RuntimeException e) {
                    log.warn("protocol {} failed to stop", p.protocolIds(), e);
                }
            });
            return null;
        });
        loop.executor().shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (ownsIo) {
            io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Override
    public String toString() {
        return "Swarm(" + self + ")";
    }
}
