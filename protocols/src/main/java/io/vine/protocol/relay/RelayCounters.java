package io.vine.protocol.relay;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** The relay's counters, updated from any event loop; {@link #snapshot} makes a {@link RelayMetrics}. */
final class RelayCounters {
    final AtomicLong reservationsAccepted = new AtomicLong();
    final AtomicLong reservationsRefused = new AtomicLong();
    final AtomicLong circuitsOpened = new AtomicLong();
    final AtomicLong circuitsRefused = new AtomicLong();
    final AtomicLong bytesRelayed = new AtomicLong();
    private final AtomicLongArray closed = new AtomicLongArray(RelayMetrics.CloseReason.values().length);

    void closed(RelayMetrics.CloseReason reason) {
        closed.incrementAndGet(reason.ordinal());
    }

    RelayMetrics snapshot(int reservationsActive, int circuitsActive) {
        Map<RelayMetrics.CloseReason, Long> byReason = new EnumMap<>(RelayMetrics.CloseReason.class);
        for (RelayMetrics.CloseReason r : RelayMetrics.CloseReason.values()) {
            byReason.put(r, closed.get(r.ordinal()));
        }
        return new RelayMetrics(reservationsAccepted.get(), reservationsRefused.get(), reservationsActive,
                circuitsOpened.get(), circuitsRefused.get(), circuitsActive, byReason, bytesRelayed.get());
    }
}
