package io.vine.tun.overlay;

import java.util.Locale;

/** Why a packet was dropped; each reason is counted as {@code drops_<name>}. */
public enum DropReason {
    /** No route contains the destination (outbound), or the route is the local prefix. */
    UNKNOWN_ROUTE,
    /** The owning peer has no ready session path. */
    NO_SESSION,
    /** The sender is not an admitted allowlisted peer (inbound). */
    UNAUTHORIZED_PEER,
    /** The source address is not in the sender's prefix (inbound). */
    SPOOFED_SOURCE,
    /** The destination is not in this node's prefix (inbound). */
    FOREIGN_DESTINATION,
    /** Not a well-formed IPv4/IPv6 packet, or a virtio-net header where none may be. */
    MALFORMED,
    /** A frame over the size limit, or a superpacket for a peer without the offload capability. */
    OVERSIZED,
    /** The session's stream was not writable: dropped rather than buffered. */
    BACKPRESSURE,
    /** The TUN device refused the write (closed, full, or too large). */
    TUN_WRITE;

    /** The counter name, {@code drops_<reason>}. */
    public String counterName() {
        return "drops_" + name().toLowerCase(Locale.ROOT);
    }
}
