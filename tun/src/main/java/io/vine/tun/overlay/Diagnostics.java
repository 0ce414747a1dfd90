package io.vine.tun.overlay;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The node's counters at one moment, by name: {@code packets_sent}, {@code packets_received},
 * {@code bytes_sent}, {@code bytes_received}, {@code route_misses}, {@code session_failures},
 * {@code fallback_transitions}, {@code relay_usage} (packets sent over a relayed path),
 * {@code promotions}, {@code stale_updates}, {@code refused_peers} and one {@code drops_<reason>} per
 * {@link DropReason}.
 *
 * @param counters every counter (iteration in a stable order)
 */
public record Diagnostics(Map<String, Long> counters) {
    public Diagnostics {
        counters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counters));
    }

    /** The counter {@code name}. */
    public long get(String name) {
        requireNonNull(name, "name");
        Long v = counters.get(name);
        if (v == null) {
            throw new IllegalArgumentException("counter: '" + name + "' (expected: one of " + counters.keySet() + ")");
        }
        return v;
    }

    /** The drops counted for {@code reason}. */
    public long drops(DropReason reason) {
        return get(reason.counterName());
    }
}
