package io.vine.protocol.relay;

import java.util.concurrent.atomic.AtomicLong;

/** The relay client's counters, updated from any event loop; {@link #snapshot} makes a {@link RelayClientMetrics}. */
final class ClientCounters {
    final AtomicLong reservationsGranted = new AtomicLong();
    final AtomicLong reservationsRejected = new AtomicLong();
    final AtomicLong circuitsLimited = new AtomicLong();
    final AtomicLong closedByDataLimit = new AtomicLong();
    final AtomicLong closedByDurationLimit = new AtomicLong();

    RelayClientMetrics snapshot() {
        return new RelayClientMetrics(reservationsGranted.get(), reservationsRejected.get(), circuitsLimited.get(),
                closedByDataLimit.get(), closedByDurationLimit.get());
    }
}
