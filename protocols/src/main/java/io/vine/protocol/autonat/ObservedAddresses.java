package io.vine.protocol.autonat;

import io.vine.core.multiaddr.Multiaddr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The addresses other peers say they see this node at (identify's observedAddr), each with the
 * observers that reported it, grouped by IP (IPv4 address, IPv6 /56) so that one host or one
 * network counts once. An address reported by enough groups becomes a candidate for AutoNAT.
 * Reports expire after {@link #TTL_NANOS}. Bounded to {@link #MAX_ADDRESSES} addresses of
 * {@link #MAX_OBSERVERS} groups each. Not thread-safe: confined to the swarm loop.
 */
final class ObservedAddresses {
    static final int MAX_ADDRESSES = 16;
    static final int MAX_OBSERVERS = 8;
    static final long TTL_NANOS = 30L * 60 * 1_000_000_000L;

    private final Map<Multiaddr, LinkedHashMap<String, Long>> seen = new LinkedHashMap<>();

    /** {@code observer} (the IP the report came from) says this node is at {@code observed}. */
    void record(Multiaddr observed, InetAddress observer, long now) {
        Multiaddr key = observed.withoutPeerId();
        expire(now);
        LinkedHashMap<String, Long> observers = seen.get(key);
        if (observers == null) {
            if (seen.size() >= MAX_ADDRESSES) {
                // Forget the address with the fewest observers, never the one just reported.
                seen.entrySet().stream().min(Comparator.comparingInt(e -> e.getValue().size()))
                        .ifPresent(min -> seen.remove(min.getKey()));
            }
            observers = new LinkedHashMap<>();
            seen.put(key, observers);
        }
        String group = Addresses.observerGroup(observer);
        observers.remove(group);
        observers.put(group, now);
        if (observers.size() > MAX_OBSERVERS) {
            observers.remove(observers.keySet().iterator().next());
        }
    }

    /** Addresses reported by at least {@code threshold} observer groups, most reported first. */
    List<Multiaddr> confirmed(int threshold, long now) {
        expire(now);
        List<Map.Entry<Multiaddr, LinkedHashMap<String, Long>>> entries = new ArrayList<>(seen.entrySet());
        entries.sort(Comparator.comparingInt(e -> -e.getValue().size()));
        List<Multiaddr> out = new ArrayList<>();
        for (Map.Entry<Multiaddr, LinkedHashMap<String, Long>> e : entries) {
            if (e.getValue().size() >= threshold) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    int size() {
        return seen.size();
    }

    private void expire(long now) {
        seen.values().forEach(observers -> observers.values().removeIf(at -> now - at > TTL_NANOS));
        seen.values().removeIf(Map::isEmpty);
    }
}
