package io.vine.swarm;

import io.vine.core.Connection;
import io.vine.core.LimitExceededException;
import io.vine.core.Protocol;
import io.vine.core.SwarmEvent;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.core.peer.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The open connections, by peer, with their limits. Owned by the swarm loop. */
final class ConnectionRegistry {
    private static final Logger log = LoggerFactory.getLogger(ConnectionRegistry.class);

    private final SwarmLoop loop;
    private final SwarmLimits limits;
    private final EventBus events;
    private final Supplier<List<Protocol>> protocols;
    private final Map<PeerId, List<ConnectionImpl>> byPeer = new HashMap<>();
    private int total;

    ConnectionRegistry(SwarmLoop loop, SwarmLimits limits, EventBus events, Supplier<List<Protocol>> protocols) {
        this.loop = loop;
        this.limits = limits;
        this.events = events;
        this.protocols = protocols;
    }

    /** Registers an upgraded connection, or closes it and throws when a limit is reached. */
    void add(ConnectionImpl c) {
        assert loop.inLoop();
        List<ConnectionImpl> list = byPeer.getOrDefault(c.remotePeer(), List.of());
        if (total >= limits.maxConnections()) {
            c.channel().close();
            throw new LimitExceededException("connections: " + total + " open (limit: " + limits.maxConnections() + ")");
        }
        if (list.size() >= limits.maxConnectionsPerPeer()) {
            c.channel().close();
            throw new LimitExceededException("connections to " + c.remotePeer() + ": " + list.size()
                    + " open (limit: " + limits.maxConnectionsPerPeer() + ")");
        }
        if (!c.isOpen()) {
            throw new LimitExceededException("connection " + c.id() + " closed before it was registered");
        }
        boolean first = list.isEmpty();
        byPeer.computeIfAbsent(c.remotePeer(), p -> new ArrayList<>(2)).add(c);
        total++;
        c.channel().closeFuture().addListener(f -> loop.run(() -> remove(c)));
        log.debug("connection opened: {} via {} {}", c, c.security(), c.muxer());
        for (Protocol p : protocols.get()) {
            try {
                p.onConnectionOpened(c);
            } catch (RuntimeException e) {
                log.warn("protocol {} failed on connection opened", p.protocolIds(), e);
            }
        }
        events.publish(new SwarmEvent.ConnectionOpened(c));
        if (first) {
            events.publish(new SwarmEvent.PeerConnected(c.remotePeer()));
        }
    }

    private void remove(ConnectionImpl c) {
        List<ConnectionImpl> list = byPeer.get(c.remotePeer());
        if (list == null || !list.remove(c)) {
            return;
        }
        total--;
        if (list.isEmpty()) {
            byPeer.remove(c.remotePeer());
        }
        log.debug("connection closed: {}", c);
        for (Protocol p : protocols.get()) {
            try {
                p.onConnectionClosed(c);
            } catch (RuntimeException e) {
                log.warn("protocol {} failed on connection closed", p.protocolIds(), e);
            }
        }
        events.publish(new SwarmEvent.ConnectionClosed(c, Optional.empty()));
        if (list.isEmpty()) {
            events.publish(new SwarmEvent.PeerDisconnected(c.remotePeer()));
        }
    }

    /**
     * The connection new streams to {@code peer} use: the newest open direct one, else the newest open
     * relayed one (a circuit address). A direct connection made by hole punching thus takes over from
     * the relayed one it was coordinated over, even though that one is older.
     */
    Optional<ConnectionImpl> find(PeerId peer) {
        List<ConnectionImpl> list = byPeer.getOrDefault(peer, List.of());
        ConnectionImpl relayed = null;
        for (int i = list.size() - 1; i >= 0; i--) {
            ConnectionImpl c = list.get(i);
            if (!c.isOpen()) {
                continue;
            }
            if (!c.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT)) {
                return Optional.of(c);
            }
            if (relayed == null) {
                relayed = c;
            }
        }
        return Optional.ofNullable(relayed);
    }

    List<Connection> of(PeerId peer) {
        return List.copyOf(byPeer.getOrDefault(peer, List.of()));
    }

    List<Connection> all() {
        List<Connection> all = new ArrayList<>(total);
        byPeer.values().forEach(all::addAll);
        return all;
    }

    int total() {
        return total;
    }
}
