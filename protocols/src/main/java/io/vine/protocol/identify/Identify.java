package io.vine.protocol.identify;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.vine.core.Connection;
import io.vine.core.PeerStore;
import io.vine.core.Protocol;
import io.vine.core.ProtocolContext;
import io.vine.core.StreamChannel;
import io.vine.core.SwarmEvent;
import io.vine.core.codec.VarintFrameDecoder;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiformats.Varint;
import io.vine.core.peer.PeerId;
import io.vine.protocol.identify.internal.pb.IdentifyProto;
import io.vine.swarm.Swarm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identify protocol ({@code /ipfs/id/1.0.0} and {@code /ipfs/id/push/1.0.0}). Identifies the
 * remote of every new connection, answers identify requests, pushes this node's information to
 * connected peers when its listen or external addresses change, and accepts pushes. What a peer says lands in the
 * peer store (addresses replaced with {@link PeerStore#DEFAULT_ADDRESS_TTL}, protocols, key, agent
 * and protocol versions, the address it observed for this node) and is published as
 * {@link PeerIdentified}. Thread-safe; register one instance with a swarm.
 */
public final class Identify implements Protocol {
    private static final Logger log = LoggerFactory.getLogger(Identify.class);

    public static final String PROTOCOL_ID = "/ipfs/id/1.0.0";
    public static final String PUSH_PROTOCOL_ID = "/ipfs/id/push/1.0.0";
    /** The agent version sent unless another is configured. */
    public static final String DEFAULT_AGENT_VERSION = "vine/" + version();
    /** How long a peer has to send its whole message. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final String agentVersion;
    private final Duration timeout;
    private volatile ProtocolContext context;
    // Owned by the swarm loop.
    private final Set<Connection> connections = new LinkedHashSet<>();
    private final Map<PeerId, IdentifyInfo> known = new HashMap<>();

    /** Identify with {@link #DEFAULT_AGENT_VERSION}. */
    public Identify() {
        this(DEFAULT_AGENT_VERSION);
    }

    /** Identify that tells peers {@code agentVersion}, e.g. {@code my-app/1.2.0}. */
    public Identify(String agentVersion) {
        this(agentVersion, DEFAULT_TIMEOUT);
    }

    public Identify(String agentVersion, Duration timeout) {
        this.agentVersion = requireNonNull(agentVersion, "agentVersion");
        this.timeout = requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
    }

    /** Identifies {@code peer} through the {@link Identify} registered with {@code swarm}. */
    public static CompletableFuture<IdentifyInfo> identify(Swarm swarm, PeerId peer) {
        requireNonNull(swarm, "swarm");
        requireNonNull(peer, "peer");
        return swarm.protocol(Identify.class)
                .map(identify -> identify.identify(peer))
                .orElseGet(() -> CompletableFuture.failedFuture(
                        new IllegalStateException("no Identify protocol registered with " + swarm)));
    }

    @Override
    public List<String> protocolIds() {
        return List.of(PROTOCOL_ID, PUSH_PROTOCOL_ID);
    }

    @Override
    public void start(ProtocolContext context) {
        this.context = requireNonNull(context, "context");
    }

    /**
     * Asks {@code peer} (dialing it if needed) for its information, stores it and publishes
     * {@link PeerIdentified}. Fails with {@link IdentifyException} on a bad answer, or with the
     * negotiation's exception when the peer does not speak identify.
     */
    public CompletableFuture<IdentifyInfo> identify(PeerId peer) {
        requireNonNull(peer, "peer");
        return context().dial(peer, false).thenCompose(this::identify);
    }

    /** Identifies the remote of {@code connection} over that connection. */
    public CompletableFuture<IdentifyInfo> identify(Connection connection) {
        requireNonNull(connection, "connection");
        ProtocolContext ctx = context();
        CompletableFuture<IdentifyUpdate> read = new CompletableFuture<>();
        return connection.newStream(PROTOCOL_ID)
                .thenCompose(stream -> {
                    stream.eventLoop().execute(() -> readFrom(stream, connection.remotePeer(), read));
                    return read;
                })
                .thenApplyAsync(update -> store(connection, update, false), ctx.executor());
    }

    /**
     * Pushes this node's current information to every connected peer; completes when every push
     * was written or failed (failures are logged, not reported: pushes are best effort).
     */
    public CompletableFuture<Void> push() {
        ProtocolContext ctx = context();
        CompletableFuture<List<Connection>> targets = new CompletableFuture<>();
        ctx.executor().execute(() -> targets.complete(onePerPeer()));
        return targets.thenCompose(list -> CompletableFuture.allOf(list.stream()
                .map(this::pushTo)
                .toArray(CompletableFuture[]::new)));
    }

    @Override
    public void onConnectionOpened(Connection connection) {
        connections.add(connection);
        identify(connection).whenComplete((info, e) -> {
            if (e != null) {
                log.debug("identify of {} on {} failed: {}", connection.remotePeer(), connection.id(), e.toString());
            }
        });
    }

    @Override
    public void onConnectionClosed(Connection connection) {
        connections.remove(connection);
        if (connections.stream().noneMatch(c -> c.remotePeer().equals(connection.remotePeer()))) {
            known.remove(connection.remotePeer());
        }
    }

    @Override
    public void onEvent(SwarmEvent event) {
        if (event instanceof SwarmEvent.ListenStarted || event instanceof SwarmEvent.ListenStopped
                || event instanceof SwarmEvent.ExternalAddressAdded || event instanceof SwarmEvent.ExternalAddressRemoved) {
            push();
        }
    }

    @Override
    public void acceptInboundStream(StreamChannel stream, String protocolId) {
        Connection connection = stream.connection();
        if (PUSH_PROTOCOL_ID.equals(protocolId)) {
            CompletableFuture<IdentifyUpdate> read = new CompletableFuture<>();
            readFrom(stream, connection.remotePeer(), read);
            read.whenCompleteAsync((update, e) -> {
                if (e != null) {
                    log.debug("identify push from {} refused: {}", connection.remotePeer(), e.toString());
                } else {
                    store(connection, update, true);
                }
            }, context().executor());
        } else {
            writeAndClose(stream, connection.remoteAddress());
        }
    }

    @Override
    public void stop() {
        connections.clear();
        known.clear();
    }

    private CompletableFuture<Void> pushTo(Connection connection) {
        return connection.newStream(PUSH_PROTOCOL_ID)
                .thenAccept(stream -> stream.eventLoop().execute(
                        () -> writeAndClose(stream, connection.remoteAddress())))
                .exceptionally(e -> {
                    log.debug("identify push to {} failed: {}", connection.remotePeer(), e.toString());
                    return null;
                });
    }

    /** One connection to each connected peer that may accept a push (said so, or not identified yet). */
    private List<Connection> onePerPeer() {
        Map<PeerId, Connection> byPeer = new HashMap<>();
        for (Connection c : connections) {
            IdentifyInfo info = known.get(c.remotePeer());
            if (info == null || info.protocols().contains(PUSH_PROTOCOL_ID)) {
                byPeer.putIfAbsent(c.remotePeer(), c);
            }
        }
        return new ArrayList<>(byPeer.values());
    }

    private void readFrom(StreamChannel stream, PeerId remote, CompletableFuture<IdentifyUpdate> read) {
        stream.pipeline().addLast(
                new VarintFrameDecoder(IdentifyCodec.MAX_MESSAGE_BYTES),
                new IdentifyReader(remote, timeout, read));
        stream.config().setAutoRead(true);
    }

    /** Writes this node's message on {@code stream} and closes it. */
    private void writeAndClose(StreamChannel stream, Multiaddr observed) {
        ProtocolContext ctx = context();
        IdentifyProto.Identify message = IdentifyCodec.encode(ctx.privateKey().publicKey(),
                advertised(ctx), observed, ctx.protocolIds(), agentVersion);
        stream.writeAndFlush(frame(stream.alloc(), message)).addListener(ChannelFutureListener.CLOSE);
    }

    /** The listen addresses, then the external ones (confirmed public addresses, relay circuits). */
    private static List<Multiaddr> advertised(ProtocolContext ctx) {
        LinkedHashSet<Multiaddr> all = new LinkedHashSet<>(ctx.listenAddresses());
        all.addAll(ctx.externalAddresses());
        return List.copyOf(all);
    }

    static ByteBuf frame(ByteBufAllocator alloc, IdentifyProto.Identify message) {
        byte[] bytes = message.toByteArray();
        ByteBuf out = alloc.buffer(Varint.encodedLength(bytes.length) + bytes.length);
        return Varint.write(out, bytes.length).writeBytes(bytes);
    }

    /** Records what {@code connection}'s remote said; runs on the swarm loop. */
    private IdentifyInfo store(Connection connection, IdentifyUpdate update, boolean push) {
        PeerId peer = connection.remotePeer();
        IdentifyInfo previous = known.get(peer);
        IdentifyInfo info = push && previous != null
                ? update.applyTo(previous)
                : update.toInfo(connection.remotePublicKey());
        if (connections.contains(connection)) {
            known.put(peer, info);
        }
        PeerStore store = context().peerStore();
        store.setPublicKey(peer, info.publicKey());
        if (!push || update.listenAddrs().isPresent()) {
            store.replaceAddresses(peer, info.listenAddrs(), PeerStore.DEFAULT_ADDRESS_TTL);
        }
        if (!push || update.protocols().isPresent()) {
            store.setProtocols(peer, info.protocols());
        }
        update.agentVersion().ifPresent(v -> store.setAgentVersion(peer, v));
        update.protocolVersion().ifPresent(v -> store.setProtocolVersion(peer, v));
        update.observedAddr().ifPresent(a -> store.addObservedAddress(a, peer));
        context().publish(new PeerIdentified(peer, info));
        return info;
    }

    private ProtocolContext context() {
        ProtocolContext ctx = context;
        if (ctx == null) {
            throw new IllegalStateException("Identify is not started: register it with a swarm");
        }
        return ctx;
    }

    private static String version() {
        String v = Identify.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0";
    }

    @Override
    public String toString() {
        return "Identify(" + agentVersion + ")";
    }
}
