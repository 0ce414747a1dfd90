package io.vine.protocol.relay;

import java.util.Map;

/**
 * A snapshot of a relay's counters ({@link RelayService#metrics()}). Counts run from the start of the
 * service; {@code active} values are the state at the time of the snapshot.
 *
 * @param reservationsAccepted RESERVE requests answered OK (refreshes included)
 * @param reservationsRefused RESERVE requests refused, for any reason
 * @param reservationsActive reservations held now
 * @param circuitsOpened circuits that reached the relaying state
 * @param circuitsRefused CONNECT requests refused or failed before relaying
 * @param circuitsActive circuits relaying now
 * @param circuitsClosed circuits closed, by reason
 * @param bytesRelayed bytes relayed, both directions of every circuit
 */
public record RelayMetrics(long reservationsAccepted, long reservationsRefused, int reservationsActive,
        long circuitsOpened, long circuitsRefused, int circuitsActive, Map<CloseReason, Long> circuitsClosed,
        long bytesRelayed) {

    public RelayMetrics {
        circuitsClosed = Map.copyOf(circuitsClosed);
    }

    /** How many circuits closed for {@code reason}. */
    public long closed(CloseReason reason) {
        return circuitsClosed.getOrDefault(reason, 0L);
    }

    /** Why a circuit closed. */
    public enum CloseReason {
        /** One side closed its stream (or both finished). */
        CLOSED,
        /** A direction carried more than the circuit's data limit. */
        DATA_LIMIT,
        /** The circuit outlived its duration limit. */
        DURATION_LIMIT,
        /** A stream failed or was reset. */
        ERROR,
        /** The relay service stopped. */
        RELAY_STOPPED
    }
}
