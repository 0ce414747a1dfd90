package io.vine.tun.route;

import static java.util.Objects.requireNonNull;

import io.vine.core.peer.PeerId;
import io.vine.tun.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prefix -> owning peer, with epochs. Updates are serialized (synchronized) and publish an immutable
 * snapshot, so {@link #lookup} runs lock-free on any thread (the TUN readers). Longest-prefix match:
 * the lookup tries each prefix length present in the table, longest first, with one hash probe each.
 *
 * <p>Epoch rules, per prefix: an announce installs the route when the prefix is free and its epoch is
 * newer than the last withdraw seen for it, or refreshes it when the same owner sends a newer epoch; a
 * withdraw removes it when the owner matches and the epoch is not older than the route's. Anything
 * older loses ({@link RouteUpdate#STALE}). A prefix held by one peer is never taken over by another
 * ({@link RouteUpdate#CONFLICT}); the allowlist keeps prefixes disjoint in the first place.
 */
public final class RouteTable {
    private final Map<IpPrefix, Route> routes = new HashMap<>();
    private final Map<IpPrefix, Long> withdrawn = new HashMap<>();
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    /** Installs or refreshes {@code owner}'s route to {@code prefix} at {@code epoch}. */
    public synchronized RouteUpdate announce(IpPrefix prefix, PeerId owner, long epoch) {
        requireNonNull(prefix, "prefix");
        requireNonNull(owner, "owner");
        IpPrefix key = prefix.network();
        Route current = routes.get(key);
        RouteUpdate result;
        if (current == null) {
            Long gone = withdrawn.get(key);
            if (gone != null && epoch <= gone) {
                return RouteUpdate.STALE;
            }
            result = RouteUpdate.ADDED;
        } else if (!current.owner().equals(owner)) {
            return RouteUpdate.CONFLICT;
        } else if (epoch == current.epoch()) {
            return RouteUpdate.UNCHANGED;
        } else if (epoch < current.epoch()) {
            return RouteUpdate.STALE;
        } else {
            result = RouteUpdate.REFRESHED;
        }
        routes.put(key, new Route(key, owner, epoch));
        withdrawn.remove(key);
        publish();
        return result;
    }

    /** Removes {@code owner}'s route to {@code prefix} unless {@code epoch} is older than the route's. */
    public synchronized RouteUpdate withdraw(IpPrefix prefix, PeerId owner, long epoch) {
        requireNonNull(prefix, "prefix");
        requireNonNull(owner, "owner");
        IpPrefix key = prefix.network();
        Route current = routes.get(key);
        if (current == null) {
            Long gone = withdrawn.get(key);
            return gone != null && epoch <= gone ? RouteUpdate.STALE : RouteUpdate.UNKNOWN;
        }
        if (!current.owner().equals(owner)) {
            return RouteUpdate.CONFLICT;
        }
        if (epoch < current.epoch()) {
            return RouteUpdate.STALE;
        }
        routes.remove(key);
        withdrawn.put(key, epoch);
        publish();
        return RouteUpdate.REMOVED;
    }

    /** The route with the longest prefix that contains {@code destination}. Lock-free. */
    public Optional<Route> lookup(InetAddress destination) {
        requireNonNull(destination, "destination");
        Snapshot s = snapshot;
        byte[] bytes = destination.getAddress();
        List<Level> levels = bytes.length == 4 ? s.v4 : s.v6;
        for (Level level : levels) {
            Route r = level.byNetwork.get(new IpPrefix(destination, level.length).network());
            if (r != null) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The route to exactly {@code prefix} (host bits ignored), if held. */
    public synchronized Optional<Route> get(IpPrefix prefix) {
        return Optional.ofNullable(routes.get(requireNonNull(prefix, "prefix").network()));
    }

    /** Every route, longest prefixes first. */
    public List<Route> routes() {
        Snapshot s = snapshot;
        List<Route> all = new ArrayList<>();
        s.v4.forEach(l -> all.addAll(l.byNetwork.values()));
        s.v6.forEach(l -> all.addAll(l.byNetwork.values()));
        return List.copyOf(all);
    }

    /** The routes {@code owner} holds. */
    public List<Route> routesOf(PeerId owner) {
        requireNonNull(owner, "owner");
        return routes().stream().filter(r -> r.owner().equals(owner)).toList();
    }

    public int size() {
        return snapshot.size;
    }

    private void publish() {
        Map<Integer, Map<IpPrefix, Route>> v4 = new HashMap<>();
        Map<Integer, Map<IpPrefix, Route>> v6 = new HashMap<>();
        for (Route r : routes.values()) {
            (r.prefix().isIpv4() ? v4 : v6).computeIfAbsent(r.prefix().length(), k -> new HashMap<>()).put(r.prefix(), r);
        }
        snapshot = new Snapshot(levels(v4), levels(v6), routes.size());
    }

    private static List<Level> levels(Map<Integer, Map<IpPrefix, Route>> byLength) {
        return byLength.entrySet().stream()
                .map(e -> new Level(e.getKey(), Map.copyOf(e.getValue())))
                .sorted(Comparator.comparingInt(Level::length).reversed())
                .toList();
    }

    private record Level(int length, Map<IpPrefix, Route> byNetwork) {}

    private record Snapshot(List<Level> v4, List<Level> v6, int size) {
        static final Snapshot EMPTY = new Snapshot(List.of(), List.of(), 0);
    }

    @Override
    public String toString() {
        return "RouteTable" + routes();
    }
}
