package io.vine.tun.overlay;

import io.vine.core.Connection;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.swarm.Swarm;
import io.vine.tun.route.Route;
import io.vine.tun.route.RouteUpdate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies a new allowlist, bootstrap addresses and seed records to a running node, on the event loop:
 * peers that are new get a session and are dialed (bootstrap addresses, seeds, a reservation if they
 * relay, else through a relay); removed peers are disconnected and their routes withdrawn; a changed
 * prefix withdraws the peer's routes outside it; unchanged peers keep their sessions untouched.
 */
final class Reloader {
    private final Overlay overlay;
    private final Swarm swarm;
    private final AllowlistGater gater;
    private final OverlayRelay relay;

    Reloader(Overlay overlay, Swarm swarm, AllowlistGater gater, OverlayRelay relay) {
        this.overlay = overlay;
        this.swarm = swarm;
        this.gater = gater;
        this.relay = relay;
    }

    /** Applies {@code next} (already validated against the running config). On the event loop. */
    Reload apply(VineConfig next) {
        VineConfig before = overlay.config;
        Map<PeerId, PeerEntry> old = others(before);
        Map<PeerId, PeerEntry> now = others(next);
        List<PeerId> added = new ArrayList<>();
        List<PeerId> removed = new ArrayList<>();
        List<PeerId> changed = new ArrayList<>();
        Set<PeerId> dial = new HashSet<>();
        int kept = 0;
        for (PeerId p : old.keySet()) {
            if (!now.containsKey(p)) {
                removed.add(p);
            }
        }
        for (Map.Entry<PeerId, PeerEntry> e : now.entrySet()) {
            PeerEntry was = old.get(e.getKey());
            if (was == null) {
                added.add(e.getKey());
                dial.add(e.getKey());
            } else if (!was.equals(e.getValue())) {
                changed.add(e.getKey());
                if (e.getValue().relay() && !was.relay()) {
                    dial.add(e.getKey()); // a new relay: take a reservation on it
                }
            } else {
                kept++;
            }
        }
        boolean bootstrapChanged = !before.bootstrap().equals(next.bootstrap()) || !before.seeds().equals(next.seeds());
        // from here on the new allowlist is in force: the gater, the relay service, relay choice
        overlay.config = next;
        gater.update(now.keySet(), next.strictAllowlist());
        if (relay != null) {
            relay.update(next);
        }
        removed.forEach(this::remove);
        if (next.strictAllowlist() && !before.strictAllowlist()) {
            // strangers a lenient allowlist let in are disconnected now, as the gater would have done
            swarm.connections().stream().filter(c -> !now.containsKey(c.remotePeer())).forEach(Connection::close);
        }
        for (PeerId p : changed) {
            change(overlay.sessions.get(p), now.get(p));
        }
        for (PeerId p : added) {
            PeerSession s = new PeerSession(now.get(p));
            overlay.sessions.put(p, s);
            for (Connection c : swarm.connections(p)) {
                overlay.pathFor(c); // connected already (a non-strict allowlist admits strangers)
            }
        }
        Bootstrapper bootstrapper = new Bootstrapper(overlay, swarm, dial::contains);
        for (Multiaddr a : next.bootstrap()) {
            if (!before.bootstrap().contains(a)) {
                PeerId p = a.peerId().orElseThrow();
                bootstrapper.remember(p, List.of(a.withoutPeerId()));
                if (swarm.connections(p).isEmpty()) {
                    dial.add(p); // a new address for a peer not connected yet
                }
            }
        }
        if (!dial.isEmpty()) {
            bootstrapper.run();
        }
        Reload r = new Reload(added, removed, changed, kept, bootstrapChanged, before.strictAllowlist() != next.strictAllowlist());
        overlay.emit(new VineEvent.Lifecycle(VineNode.State.STARTED, "reloaded: " + r));
        return r;
    }

    private void remove(PeerId peer) {
        PeerSession s = overlay.sessions.remove(peer);
        if (s != null) {
            if (s.redial != null) {
                s.redial.cancel(false);
            }
            s.paths.forEach(p -> overlay.paths.remove(p.connection));
            s.preferred = null;
        }
        withdraw(peer, r -> true);
        swarm.connections(peer).forEach(Connection::close);
    }

    private void change(PeerSession s, PeerEntry entry) {
        s.entry = entry;
        withdraw(entry.peer(), r -> !entry.owns(r.prefix()));
    }

    private void withdraw(PeerId peer, java.util.function.Predicate<Route> which) {
        for (Route r : overlay.routes.routesOf(peer)) {
            if (which.test(r)) {
                RouteUpdate u = overlay.routes.withdraw(r.prefix(), peer, r.epoch());
                overlay.emit(new VineEvent.RouteChanged(peer, r, u));
            }
        }
    }

    private Map<PeerId, PeerEntry> others(VineConfig c) {
        return c.allowlist().stream().filter(e -> !e.peer().equals(overlay.self))
                .collect(Collectors.toMap(PeerEntry::peer, e -> e, (a, b) -> a, LinkedHashMap::new));
    }
}
