package io.vine.tun.overlay;

import io.vine.core.Connection;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.tun.session.PathKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Picks each session's preferred path and keeps sessions alive: when the direct path dies, the session
 * falls back to a relayed connection through a relay-capable allowlisted peer (route ownership is not
 * touched) and the direct address is re-dialed with exponential back-off; when a direct path is ready
 * again the session is promoted and the relayed connection closed. Runs on the event loop.
 */
final class Sessions {
    private final Overlay overlay;

    Sessions(Overlay overlay) {
        this.overlay = overlay;
    }

    /** Re-picks the preferred path of {@code s} and reports and counts a change of kind. */
    void update(PeerSession s) {
        Path best = s.best().orElse(null);
        Path before = s.preferred;
        s.preferred = best;
        Optional<PathKind> from = Optional.ofNullable(before).map(p -> p.kind);
        Optional<PathKind> to = Optional.ofNullable(best).map(p -> p.kind);
        if (from.equals(to)) {
            return;
        }
        if (best != null) {
            if (best.kind == PathKind.SIGNALING_ASSISTED) {
                overlay.counters.signalingUpgrades.increment();
            }
            if (best == before) {
                // the same path, reclassified as hole-punched: neither a fallback nor a promotion
            } else if (s.lastKind != null && s.lastKind.betterThan(best.kind)) {
                overlay.counters.fallbackTransitions.increment();
            } else if (s.lastKind != null && best.kind.betterThan(s.lastKind)) {
                overlay.counters.promotions.increment();
            }
            s.lastKind = best.kind;
            if (best.kind != PathKind.RELAY) {
                s.backoff = null;
                closeRelayed(s);
            }
        }
        overlay.emit(new VineEvent.PathChanged(s.peer(), from, to));
    }

    /**
     * A path failed (a stream could not open, keepalive timed out): its connection is closed, so that
     * the session recovers as from any lost path (fallback, re-dial) instead of keeping a path that
     * can never become ready and that would hold off the re-dial.
     */
    void failed(Path p, String why) {
        if (p.failed) {
            return; // counted and closed once
        }
        p.failed = true;
        overlay.counters.sessionFailures.increment();
        overlay.emit(new VineEvent.PathFailed(p.connection.remotePeer(), p + ": " + why));
        p.connection.close();
    }

    /** The last direct path of {@code s} is gone: reach it through a relay now and re-dial directly later. */
    void directLost(PeerSession s) {
        if (s.refusedFor != null) {
            return;
        }
        ensureRelay(s);
        scheduleRedial(s);
    }

    /** Dials {@code s}'s peer through each connected relay-capable peer in turn until one works. */
    void ensureRelay(PeerSession s) {
        if (s.relayDialing || s.hasPath(PathKind.RELAY) || overlay.stopping) {
            return;
        }
        List<Multiaddr> circuits = new ArrayList<>();
        for (PeerEntry e : overlay.config.allowlist()) {
            if (e.relay() && !e.peer().equals(s.peer()) && !e.peer().equals(overlay.self)
                    && overlay.context.connections(e.peer()).stream().anyMatch(c -> Path.kindOf(c) == PathKind.DIRECT)) {
                circuits.add(Multiaddr.parse("/p2p/" + e.peer() + "/p2p-circuit/p2p/" + s.peer()));
            }
        }
        if (circuits.isEmpty()) {
            return;
        }
        s.relayDialing = true;
        tryCircuits(s, circuits.iterator());
    }

    private void tryCircuits(PeerSession s, Iterator<Multiaddr> it) {
        if (!it.hasNext() || overlay.stopping) {
            s.relayDialing = false;
            if (!overlay.stopping) {
                overlay.counters.sessionFailures.increment();
            }
            return;
        }
        Multiaddr circuit = it.next();
        overlay.context.dial(circuit, true).whenCompleteAsync((c, e) -> {
            if (e == null) {
                s.relayDialing = false;
                overlay.pathFor(c);
            } else {
                overlay.emit(new VineEvent.PathFailed(s.peer(), "relay dial " + circuit + ": " + e.getMessage()));
                tryCircuits(s, it);
            }
        }, overlay.executor());
    }

    /** Re-dials {@code s}'s direct addresses after the current back-off, doubling it up to the maximum. */
    void scheduleRedial(PeerSession s) {
        if (s.redial != null && !s.redial.isDone() || overlay.stopping || s.hasDirect()) {
            return;
        }
        Duration delay = s.backoff == null ? overlay.config.redialMin() : s.backoff;
        Duration next = delay.multipliedBy(2);
        s.backoff = next.compareTo(overlay.config.redialMax()) > 0 ? overlay.config.redialMax() : next;
        s.redial = overlay.executor().schedule(() -> redial(s), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A hole punch failed: re-dial at the current back-off (not later than it would have). */
    void redialSoon(PeerSession s) {
        if (s.redial != null && !s.redial.isDone() && s.redial.getDelay(TimeUnit.NANOSECONDS) > 0) {
            s.redial.cancel(false);
            s.redial = null;
            Duration delay = s.backoff == null ? overlay.config.redialMin() : s.backoff;
            s.redial = overlay.executor().schedule(() -> redial(s), delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void redial(PeerSession s) {
        if (overlay.stopping || s.hasDirect() || s.refusedFor != null) {
            return;
        }
        long punching = s.punchUntil - System.nanoTime();
        if (s.punchUntil != 0 && punching > 0) {
            // a hole punch is running: its dials use the same ports; try again once it is over
            s.redial = overlay.executor().schedule(() -> redial(s), punching, TimeUnit.NANOSECONDS);
            return;
        }
        List<Multiaddr> addresses = new ArrayList<>(s.directAddresses);
        overlay.context.peerStore().addresses(s.peer()).stream()
                .filter(a -> !a.has(MultiaddrProtocol.P2P_CIRCUIT) && !addresses.contains(a))
                .forEach(addresses::add);
        if (addresses.isEmpty()) {
            scheduleRedial(s);
            return;
        }
        dialFirst(s, addresses.iterator()).whenCompleteAsync((c, e) -> {
            if (e == null) {
                overlay.pathFor(c);
                overlay.plainDialed(c);
            } else {
                scheduleRedial(s);
            }
        }, overlay.executor());
    }

    private CompletableFuture<Connection> dialFirst(PeerSession s, Iterator<Multiaddr> it) {
        Multiaddr a = it.next();
        CompletableFuture<Connection> f = overlay.context.dial(a.withPeerId(s.peer()), true);
        return it.hasNext() ? f.exceptionallyCompose(e -> dialFirst(s, it)) : f;
    }

    /** Once a direct path carries the session, relayed connections to the peer only hold relay resources. */
    private void closeRelayed(PeerSession s) {
        for (Path p : s.paths) {
            if (p.kind == PathKind.RELAY) {
                p.connection.close();
            }
        }
    }

    /** After bootstrap: every peer ({@code only} accepts) without a path is tried through a relay and re-dialed directly. */
    void reconcile(java.util.function.Predicate<io.vine.core.peer.PeerId> only) {
        for (PeerSession s : overlay.sessions.values()) {
            if (s.refusedFor != null || !only.test(s.peer())) {
                continue;
            }
            if (s.paths.isEmpty()) {
                ensureRelay(s);
            }
            if (!s.hasDirect()) {
                scheduleRedial(s);
            }
        }
    }
}
