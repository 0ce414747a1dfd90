package io.vine.core;

/**
 * Whether other nodes can dial this node at one of its addresses, as address discovery (AutoNAT)
 * found out. Stored per address in the {@link PeerStore#reachability() peer store}.
 */
public enum Reachability {
    /** Not tested yet, or the tests disagree. */
    UNKNOWN,
    /** Servers dialed this node at the address and proved it by the dial-back. */
    PUBLIC,
    /** Servers tried and failed to dial this node at the address. */
    PRIVATE
}
