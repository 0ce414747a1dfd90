package io.vine.tun.session;

/**
 * How a session reaches its peer, best first: a session always sends on the best kind it has.
 *
 * <p>{@link #SIGNALING_ASSISTED} is a direct connection won by hole punching (DCUtR) that was
 * coordinated over a relayed connection ({@code VineConfig.signalingUpgrade}, on by default).
 */
public enum PathKind {
    /** A connection dialed or accepted directly (TCP, memory, ...). */
    DIRECT,
    /** A direct connection obtained by a DCUtR hole punch over a relay. */
    SIGNALING_ASSISTED,
    /** A circuit relay v2 connection through a relay-capable allowlisted peer. */
    RELAY;

    /** Whether this kind is preferred to {@code other}. */
    public boolean betterThan(PathKind other) {
        return ordinal() < other.ordinal();
    }
}
