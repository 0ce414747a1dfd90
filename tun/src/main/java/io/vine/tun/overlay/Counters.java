package io.vine.tun.overlay;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The node's counters; updated from any thread. */
final class Counters {
    final LongAdder packetsSent = new LongAdder();
    final LongAdder packetsReceived = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder routeMisses = new LongAdder();
    final LongAdder sessionFailures = new LongAdder();
    final LongAdder fallbackTransitions = new LongAdder();
    final LongAdder relayUsage = new LongAdder();
    final LongAdder promotions = new LongAdder();
    final LongAdder signalingUpgrades = new LongAdder();
    final LongAdder staleUpdates = new LongAdder();
    final LongAdder refusedPeers = new LongAdder();
    private final EnumMap<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);

    Counters() {
        for (DropReason r : DropReason.values()) {
            drops.put(r, new LongAdder());
        }
    }

    void drop(DropReason reason) {
        drops.get(reason).increment();
    }

    Diagnostics snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("packets_sent", packetsSent.sum());
        m.put("packets_received", packetsReceived.sum());
        m.put("bytes_sent", bytesSent.sum());
        m.put("bytes_received", bytesReceived.sum());
        m.put("route_misses", routeMisses.sum());
        m.put("session_failures", sessionFailures.sum());
        m.put("fallback_transitions", fallbackTransitions.sum());
        m.put("relay_usage", relayUsage.sum());
        m.put("promotions", promotions.sum());
        m.put("signaling_upgrades", signalingUpgrades.sum());
        m.put("stale_updates", staleUpdates.sum());
        m.put("refused_peers", refusedPeers.sum());
        drops.forEach((r, a) -> m.put(r.counterName(), a.sum()));
        return new Diagnostics(m);
    }
}
