package io.vine.swarm;

/**
 * Counts the swarm keeps about connection setup, since it was built. A snapshot; each value only grows.
 *
 * @param handshakesStarted upgrades begun (security then muxer) on a raw connection, dialed or accepted
 * @param handshakesCompleted upgrades that produced a connection
 * @param handshakesFailed upgrades that failed (timeout, protocol error, refused by the gater after
 *     authentication, limits); a dial that failed before its raw connection opened started none
 * @param backoffSkips dials to a peer refused without trying because the peer is in its dial back-off
 */
public record SwarmMetrics(long handshakesStarted, long handshakesCompleted, long handshakesFailed, long backoffSkips) {}
