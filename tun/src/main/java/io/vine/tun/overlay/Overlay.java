package io.vine.tun.overlay;

import io.netty.util.concurrent.EventExecutor;
import io.vine.core.Connection;
import io.vine.core.Protocol;
import io.vine.core.ProtocolContext;
import io.vine.core.StreamChannel;
import io.vine.core.SwarmEvent;
import io.vine.core.peer.PeerId;
import io.vine.protocol.dcutr.HolePunchFailed;
import io.vine.protocol.dcutr.HolePunchSucceeded;
import io.vine.tun.TunDevice;
import io.vine.tun.control.ControlCodec;
import io.vine.tun.route.RouteTable;
import io.vine.tun.session.PacketFrameDecoder;
import io.vine.tun.session.PathKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's state and its binding to the swarm: serves {@value ControlCodec#PROTOCOL_ID} and
 * {@value PacketFrameDecoder#PROTOCOL_ID}, and makes a {@link Path} of every connection to an
 * allowlisted peer. Session and route state change on the swarm's event loop only.
 */
final class Overlay implements Protocol {
    private static final Logger log = LoggerFactory.getLogger(Overlay.class);
    /** How long a hole punch over a new relayed path may take (DCUtR attempts with their timeouts). */
    static final java.time.Duration PUNCH_WINDOW = java.time.Duration.ofSeconds(30);

    /** The config in force: replaced (on the event loop) when a reload changes the allowlist or bootstrap peers. */
    volatile VineConfig config;
    final PeerId self;
    final Counters counters = new Counters();
    final RouteTable routes = new RouteTable();
    final Map<PeerId, PeerSession> sessions = new ConcurrentHashMap<>();
    final Map<Connection, Path> paths = new ConcurrentHashMap<>();
    /** Direct connections a DCUtR hole punch produced before their path was made. */
    private final java.util.Set<Connection> punched = ConcurrentHashMap.newKeySet();
    /**
     * Direct connections this node's own re-dial made: DIRECT even when a hole punch still running
     * reports them (DCUtR claims any direct connection that appears while it runs).
     */
    private final java.util.Set<Connection> plain = ConcurrentHashMap.newKeySet();
    final long epochBase = System.currentTimeMillis();
    final ControlPlane control;
    final PacketPlane packets;
    final Sessions sessionLogic;
    private final Consumer<VineEvent> listener;
    volatile TunDevice device;
    volatile ProtocolContext context;
    volatile long localEpoch;
    volatile boolean announcing;
    volatile boolean stopping;

    Overlay(VineConfig config, PeerId self, Consumer<VineEvent> listener) {
        this.config = config;
        this.self = self;
        this.listener = listener;
        for (PeerEntry e : config.allowlist()) {
            if (!e.peer().equals(self)) {
                sessions.put(e.peer(), new PeerSession(e));
            }
        }
        this.control = new ControlPlane(this);
        this.packets = new PacketPlane(this);
        this.sessionLogic = new Sessions(this);
    }

    @Override
    public List<String> protocolIds() {
        return List.of(ControlCodec.PROTOCOL_ID, PacketFrameDecoder.PROTOCOL_ID);
    }

    @Override
    public void start(ProtocolContext context) {
        this.context = context;
    }

    EventExecutor executor() {
        return context.executor();
    }

    void emit(VineEvent event) {
        log.debug("{}: {}", self, event);
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            log.warn("event listener failed on {}", event, e);
        }
    }

    Optional<PeerSession> session(PeerId peer) {
        return Optional.ofNullable(sessions.get(peer));
    }

    @Override
    public void onConnectionOpened(Connection connection) {
        pathFor(connection);
    }

    /** The path of {@code connection}, made (and its outbound streams opened) on first sight. On the event loop. */
    Path pathFor(Connection connection) {
        PeerSession s = sessions.get(connection.remotePeer());
        if (s == null || !connection.isOpen() || stopping) {
            return null;
        }
        Path existing = paths.get(connection);
        if (existing != null) {
            return existing;
        }
        Path p = new Path(connection, punched.contains(connection) && !plain.contains(connection));
        paths.put(connection, p);
        s.paths.add(p);
        if (p.kind == PathKind.RELAY && config.signalingUpgrade() && !s.hasDirect()) {
            s.punchUntil = System.nanoTime() + PUNCH_WINDOW.toNanos(); // DCUtR starts on a new relayed connection
        }
        if (p.kind != io.vine.tun.session.PathKind.RELAY && connection.direction() == io.vine.core.Direction.OUTBOUND) {
            s.directAddresses.add(connection.remoteAddress());
        }
        control.open(p);
        packets.open(p);
        return p;
    }

    /**
     * DCUtR turned a relayed connection into a direct one: that connection's path is
     * {@code SIGNALING_ASSISTED} (made so now, or when it is made). On the event loop.
     */
    @Override
    public void onEvent(SwarmEvent event) {
        if (event instanceof HolePunchFailed f && !stopping) {
            PeerSession s = sessions.get(f.peer());
            if (s != null && s.punchUntil != 0) {
                s.punchUntil = 0; // plain re-dials may go on now
                sessionLogic.redialSoon(s);
            }
            return;
        }
        if (!(event instanceof HolePunchSucceeded h) || stopping) {
            return;
        }
        PeerSession s = sessions.get(h.peer());
        if (s != null) {
            s.punchUntil = 0;
        }
        Connection c = h.direct();
        if (s == null || !c.isOpen() || Path.kindOf(c) != PathKind.DIRECT || plain.contains(c)) {
            return;
        }
        Path p = paths.get(c);
        if (p == null) {
            punched.add(c);
            return;
        }
        if (p.kind == PathKind.DIRECT) {
            p.kind = PathKind.SIGNALING_ASSISTED;
            sessionLogic.update(s);
        }
    }

    /** This node's re-dial made {@code c}: its path is DIRECT, whatever a hole punch reported. On the event loop. */
    void plainDialed(Connection c) {
        if (!c.isOpen()) {
            return;
        }
        plain.add(c);
        punched.remove(c);
        Path p = paths.get(c);
        PeerSession s = sessions.get(c.remotePeer());
        if (p != null && s != null && p.kind == PathKind.SIGNALING_ASSISTED) {
            p.kind = PathKind.DIRECT;
            sessionLogic.update(s);
        }
    }

    @Override
    public void onConnectionClosed(Connection connection) {
        punched.remove(connection);
        plain.remove(connection);
        Path p = paths.remove(connection);
        if (p == null) {
            return;
        }
        PeerSession s = sessions.get(connection.remotePeer());
        if (s == null) {
            return; // a reload removed the peer
        }
        s.paths.remove(p);
        if (s.paths.isEmpty()) {
            s.admitted = false; // a peer without any path says hello again on its next one
        }
        sessionLogic.update(s);
        // the last direct path, or the relayed path a session without direct path used (a relay limit, a relay restart)
        boolean relayedLost = p.kind == PathKind.RELAY && !s.hasPath(PathKind.RELAY);
        if (!stopping && (p.kind != PathKind.RELAY || relayedLost) && !s.hasDirect()) {
            sessionLogic.directLost(s);
        }
    }

    @Override
    public void acceptInboundStream(StreamChannel stream, String protocolId) {
        if (protocolId.equals(ControlCodec.PROTOCOL_ID)) {
            control.accept(stream);
        } else {
            packets.accept(stream);
        }
    }

    /** The local route's epoch: increases with each change of what this node announces. */
    long nextEpoch() {
        localEpoch = Math.max(localEpoch + 1, epochBase);
        return localEpoch;
    }

    @Override
    public void stop() {
        stopping = true;
        sessions.values().forEach(s -> {
            if (s.redial != null) {
                s.redial.cancel(false);
            }
        });
    }
}
