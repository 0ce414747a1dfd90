package io.vine.protocol.relay;

/**
 * A snapshot of a relay client's counters ({@link RelayTransport#metrics()}), counted from the start
 * of the transport.
 *
 * @param reservationsGranted reservations (and refreshes) a relay granted and this client accepted
 * @param reservationsRejected reservations a relay answered OK that this client refused: a voucher
 *     that does not check out (bad signature, another relay or peer, another expiry), or an expiry
 *     that has passed
 * @param circuitsLimited relayed connections, both directions, that opened with a limit announced
 * @param closedByDataLimit relayed connections this client closed because a direction reached the
 *     announced data limit
 * @param closedByDurationLimit relayed connections this client closed because they outlived the
 *     announced duration
 */
public record RelayClientMetrics(long reservationsGranted, long reservationsRejected, long circuitsLimited,
        long closedByDataLimit, long closedByDurationLimit) {}
