package io.vine.swarm;

import java.time.Duration;

/**
 * The bounds a swarm keeps. Every one is enforced; none is unlimited.
 *
 * @param maxConnections upgraded connections in total
 * @param maxConnectionsPerPeer upgraded connections to one peer
 * @param maxPendingInbound inbound connections still in their handshake
 * @param handshakeTimeout from TCP connect to a muxed connection (security plus muxer negotiation)
 * @param streamNegotiationTimeout for multistream-select on a new stream
 * @param dialTimeout for one outbound dial attempt, including the handshake
 * @param maxPeers peers the peer store remembers
 * @param maxAddressesPerPeer addresses the peer store keeps for one peer
 * @param dialBackoffBase first back-off after a failed dial to a peer; doubles per failure
 * @param dialBackoffMax the longest back-off
 */
public record SwarmLimits(
        int maxConnections,
        int maxConnectionsPerPeer,
        int maxPendingInbound,
        Duration handshakeTimeout,
        Duration streamNegotiationTimeout,
        Duration dialTimeout,
        int maxPeers,
        int maxAddressesPerPeer,
        Duration dialBackoffBase,
        Duration dialBackoffMax) {

    /** Defaults for a node with up to a few thousand peers. */
    public static final SwarmLimits DEFAULT = new SwarmLimits(
            4096, 8, 256,
            Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(20),
            10_000, 32,
            Duration.ofSeconds(5), Duration.ofMinutes(5));

    public SwarmLimits {
        positive("maxConnections", maxConnections);
        positive("maxConnectionsPerPeer", maxConnectionsPerPeer);
        positive("maxPendingInbound", maxPendingInbound);
        positive("maxPeers", maxPeers);
        positive("maxAddressesPerPeer", maxAddressesPerPeer);
        positive("handshakeTimeout", handshakeTimeout);
        positive("streamNegotiationTimeout", streamNegotiationTimeout);
        positive("dialTimeout", dialTimeout);
        positive("dialBackoffBase", dialBackoffBase);
        positive("dialBackoffMax", dialBackoffMax);
    }

    public SwarmLimits withMaxConnections(int value) {
        return new SwarmLimits(value, maxConnectionsPerPeer, maxPendingInbound, handshakeTimeout,
                streamNegotiationTimeout, dialTimeout, maxPeers, maxAddressesPerPeer, dialBackoffBase, dialBackoffMax);
    }

    public SwarmLimits withMaxConnectionsPerPeer(int value) {
        return new SwarmLimits(maxConnections, value, maxPendingInbound, handshakeTimeout,
                streamNegotiationTimeout, dialTimeout, maxPeers, maxAddressesPerPeer, dialBackoffBase, dialBackoffMax);
    }

    public SwarmLimits withHandshakeTimeout(Duration value) {
        return new SwarmLimits(maxConnections, maxConnectionsPerPeer, maxPendingInbound, value,
                streamNegotiationTimeout, dialTimeout, maxPeers, maxAddressesPerPeer, dialBackoffBase, dialBackoffMax);
    }

    public SwarmLimits withDialBackoff(Duration base, Duration max) {
        return new SwarmLimits(maxConnections, maxConnectionsPerPeer, maxPendingInbound, handshakeTimeout,
                streamNegotiationTimeout, dialTimeout, maxPeers, maxAddressesPerPeer, base, max);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
