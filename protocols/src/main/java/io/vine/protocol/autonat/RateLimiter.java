package io.vine.protocol.autonat;

import io.vine.core.peer.PeerId;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The server's limits: requests per peer and in all per minute, requests needing dial data per
 * minute, and requests served at once. Memory stays bounded: a peer is tracked only while it has a
 * request in the last minute, and the global limit caps how many such peers there are.
 * Thread-safe (requests arrive on many stream event loops).
 */
final class RateLimiter {
    private static final long WINDOW_NANOS = 60_000_000_000L;

    private final AutoNatConfig config;
    private final LongSupplier clock;
    private final ArrayDeque<Long> all = new ArrayDeque<>();
    private final ArrayDeque<Long> dialData = new ArrayDeque<>();
    private final Map<PeerId, ArrayDeque<Long>> perPeer = new HashMap<>();
    private int active;

    RateLimiter(AutoNatConfig config, LongSupplier clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Admits a new request of {@code peer}; a true answer must be paired with {@link #done}. */
    synchronized boolean tryStart(PeerId peer) {
        long now = clock.getAsLong();
        expire(all, now);
        ArrayDeque<Long> mine = perPeer.get(peer);
        if (mine != null) {
            expire(mine, now);
        }
        if (active >= config.maxConcurrentRequests() || all.size() >= config.requestsPerMinute()
                || (mine != null && mine.size() >= config.requestsPerPeerPerMinute())) {
            return false;
        }
        if (mine == null) {
            perPeer.values().removeIf(q -> {
                expire(q, now);
                return q.isEmpty();
            });
            mine = new ArrayDeque<>();
            perPeer.put(peer, mine);
        }
        mine.addLast(now);
        all.addLast(now);
        active++;
        return true;
    }

    /** Admits asking for dial data once more this minute. */
    synchronized boolean tryDialData() {
        long now = clock.getAsLong();
        expire(dialData, now);
        if (dialData.size() >= config.dialDataRequestsPerMinute()) {
            return false;
        }
        dialData.addLast(now);
        return true;
    }

    synchronized void done() {
        active--;
    }

    synchronized int active() {
        return active;
    }

    synchronized int trackedPeers() {
        return perPeer.size();
    }

    private static void expire(ArrayDeque<Long> times, long now) {
        while (!times.isEmpty() && now - times.peekFirst() >= WINDOW_NANOS) {
            times.removeFirst();
        }
    }
}
