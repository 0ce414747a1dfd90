package io.vine.protocol.relay;

import io.vine.core.Connection;
import io.vine.core.peer.PeerId;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The relay's bookkeeping: who holds a reservation (and over which connection), reservations per IP,
 * RESERVE requests per peer in the last TTL, and circuits in total and per peer. Every map is bounded
 * by the config. Thread-safe (hop streams run on several event loops); every method is short.
 */
final class ReservationStore {

    record Entry(PeerId peer, Connection connection, String ip, long expiresAtMillis) {}

    private final RelayConfig config;
    private final Map<PeerId, Entry> reservations = new HashMap<>();
    private final Map<String, Integer> perIp = new HashMap<>();
    private final Map<PeerId, ArrayDeque<Long>> requests = new HashMap<>();
    private final Map<PeerId, Integer> circuitsPerPeer = new HashMap<>();
    private int circuits;

    ReservationStore(RelayConfig config) {
        this.config = config;
    }

    /**
     * Grants or refreshes {@code peer}'s reservation, expiring at {@code expiresAtMillis}; OK or the
     * status of the refusal.
     */
    synchronized RelayStatus reserve(PeerId peer, Connection connection, String ip, long nowMillis, long expiresAtMillis) {
        pruneExpired(nowMillis);
        long windowStart = nowMillis - config.reservationTtl().toMillis();
        ArrayDeque<Long> recent = requests.get(peer);
        if (recent == null) {
            if (requests.size() >= 4 * config.maxReservations()) {
                requests.values().removeIf(q -> {
                    while (!q.isEmpty() && q.peekFirst() < windowStart) {
                        q.pollFirst();
                    }
                    return q.isEmpty();
                });
                if (requests.size() >= 4 * config.maxReservations()) {
                    return RelayStatus.RESOURCE_LIMIT_EXCEEDED;
                }
            }
            recent = new ArrayDeque<>();
            requests.put(peer, recent);
        }
        while (!recent.isEmpty() && recent.peekFirst() < windowStart) {
            recent.pollFirst();
        }
        if (recent.size() >= config.maxReservationsPerPeer()) {
            return RelayStatus.RESERVATION_REFUSED;
        }
        recent.addLast(nowMillis);
        Entry old = reservations.get(peer);
        if (old == null && reservations.size() >= config.maxReservations()) {
            return RelayStatus.RESOURCE_LIMIT_EXCEEDED;
        }
        boolean sameIp = old != null && java.util.Objects.equals(old.ip, ip);
        if (ip != null && !sameIp && perIp.getOrDefault(ip, 0) >= config.maxReservationsPerIp()) {
            return RelayStatus.RESERVATION_REFUSED;
        }
        if (old != null) {
            unlinkIp(old);
        }
        reservations.put(peer, new Entry(peer, connection, ip, expiresAtMillis));
        if (ip != null) {
            perIp.merge(ip, 1, Integer::sum);
        }
        return RelayStatus.OK;
    }

    /** {@code peer}'s reservation, if it holds one that has not expired. */
    synchronized Optional<Entry> reservation(PeerId peer, long nowMillis) {
        Entry e = reservations.get(peer);
        if (e != null && e.expiresAtMillis <= nowMillis) {
            remove(e);
            return Optional.empty();
        }
        return Optional.ofNullable(e);
    }

    /** Drops the reservation made over {@code connection}, which closed. */
    synchronized void connectionClosed(Connection connection) {
        Entry e = reservations.get(connection.remotePeer());
        if (e != null && e.connection == connection) {
            remove(e);
        }
    }

    /** Takes a circuit slot for {@code src} to {@code dst}: OK or RESOURCE_LIMIT_EXCEEDED. */
    synchronized RelayStatus openCircuit(PeerId src, PeerId dst) {
        if (circuits >= config.maxCircuits()
                || circuitsPerPeer.getOrDefault(src, 0) >= config.maxCircuitsPerPeer()
                || circuitsPerPeer.getOrDefault(dst, 0) >= config.maxCircuitsPerPeer()) {
            return RelayStatus.RESOURCE_LIMIT_EXCEEDED;
        }
        circuits++;
        circuitsPerPeer.merge(src, 1, Integer::sum);
        circuitsPerPeer.merge(dst, 1, Integer::sum);
        return RelayStatus.OK;
    }

    /** Frees a slot taken by {@link #openCircuit}. */
    synchronized void closeCircuit(PeerId src, PeerId dst) {
        circuits--;
        circuitsPerPeer.computeIfPresent(src, (p, n) -> n == 1 ? null : n - 1);
        circuitsPerPeer.computeIfPresent(dst, (p, n) -> n == 1 ? null : n - 1);
    }

    synchronized int reservations() {
        return reservations.size();
    }

    synchronized int circuits() {
        return circuits;
    }

    synchronized void clear() {
        reservations.clear();
        perIp.clear();
        requests.clear();
    }

    private void pruneExpired(long nowMillis) {
        if (reservations.size() >= config.maxReservations()) {
            reservations.values().removeIf(e -> {
                if (e.expiresAtMillis <= nowMillis) {
                    unlinkIp(e);
                    return true;
                }
                return false;
            });
        }
    }

    private void remove(Entry e) {
        reservations.remove(e.peer);
        unlinkIp(e);
    }

    private void unlinkIp(Entry e) {
        if (e.ip != null) {
            perIp.computeIfPresent(e.ip, (k, n) -> n == 1 ? null : n - 1);
        }
    }
}
