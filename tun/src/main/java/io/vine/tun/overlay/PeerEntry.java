package io.vine.tun.overlay;

import static java.util.Objects.requireNonNull;

import io.vine.core.peer.PeerId;
import io.vine.tun.IpPrefix;

/**
 * One allowlisted peer: the prefix it owns (the only routes it may announce lie inside it) and
 * whether it may relay for the overlay.
 *
 * @param peer the peer's id
 * @param prefix the prefix it owns (host bits are cleared)
 * @param relay whether it serves circuit relay v2 to the overlay
 */
public record PeerEntry(PeerId peer, IpPrefix prefix, boolean relay) {
    public PeerEntry {
        requireNonNull(peer, "peer");
        prefix = requireNonNull(prefix, "prefix").network();
    }

    /** Whether {@code claim} lies inside this peer's prefix. */
    public boolean owns(IpPrefix claim) {
        requireNonNull(claim, "claim");
        return claim.isIpv4() == prefix.isIpv4() && claim.length() >= prefix.length() && prefix.contains(claim.address());
    }
}
