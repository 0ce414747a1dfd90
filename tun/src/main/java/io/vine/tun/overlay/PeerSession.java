package io.vine.tun.overlay;

import io.vine.core.Connection;
import io.vine.core.Direction;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.tun.session.PathKind;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ScheduledFuture;

/**
 * The session with one allowlisted peer: its paths and the preferred one (the best {@link PathKind}
 * among ready paths), the direct addresses known for it, and its re-dial state. Mutated on the node's
 * event loop only; {@link #preferred} is read by the TUN readers.
 */
final class PeerSession {
    /** The allowlist entry; replaced (on the event loop) when a reload changes the peer's prefix or relay flag. */
    volatile PeerEntry entry;
    final List<Path> paths = new CopyOnWriteArrayList<>();
    final Set<Multiaddr> directAddresses = new CopyOnWriteArraySet<>();
    volatile Path preferred;
    volatile boolean admitted;
    /** The last kind that was preferred (kept across a gap with no path, to count fallbacks and promotions). */
    PathKind lastKind;
    Duration backoff;
    ScheduledFuture<?> redial;
    boolean relayDialing;
    /**
     * Until this {@link System#nanoTime()}, a hole punch over a new relayed path may be running: plain
     * re-dials wait (they would take the 4-tuple the punch dials from). 0 when none runs.
     */
    long punchUntil;
    /** Why the peer was last refused; a refused peer is not re-dialed (it may still connect and say hello again). */
    volatile String refusedFor;

    PeerSession(PeerEntry entry) {
        this.entry = entry;
    }

    PeerId peer() {
        return entry.peer();
    }

    /**
     * The ready path of the best kind. Among paths of one kind (both peers dialed each other), the one
     * on the connection that the peer with the smaller id dialed: both ends pick the same connection, so
     * that a flow's packets and its replies share one connection and one event loop on each node instead
     * of two (when each node kept the path it saw first, one node's data and the other's replies took
     * different connections). Then the older path.
     */
    Optional<Path> best() {
        return paths.stream().filter(Path::ready).min(Comparator.<Path>comparingInt(p -> p.kind.ordinal())
                .thenComparing(p -> !dialedBySmallerId(p.connection)));
    }

    private static boolean dialedBySmallerId(Connection c) {
        boolean localIsSmaller = c.localPeer().compareTo(c.remotePeer()) < 0;
        return localIsSmaller == (c.direction() == Direction.OUTBOUND);
    }

    boolean hasPath(PathKind kind) {
        return paths.stream().anyMatch(p -> p.kind == kind && p.connection.isOpen());
    }

    boolean hasDirect() {
        return hasPath(PathKind.DIRECT) || hasPath(PathKind.SIGNALING_ASSISTED);
    }

    DebugSnapshot.SessionView view() {
        Path p = preferred;
        return new DebugSnapshot.SessionView(peer(), Optional.ofNullable(p).map(x -> x.kind),
                paths.stream().map(x -> x.view(x == p)).toList());
    }
}
