package io.vine.tun.overlay;

import io.vine.core.ConnectionGater;
import io.vine.core.Direction;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.util.Set;

/**
 * Strict allowlist: a connection to or from a peer not on the allowlist is closed right after the
 * security handshake. Then {@code next} (the embedder's gater) decides as well.
 */
final class AllowlistGater implements ConnectionGater {
    private final Set<PeerId> allowed;
    private final boolean strict;
    private final ConnectionGater next;

    AllowlistGater(Set<PeerId> allowed, boolean strict, ConnectionGater next) {
        this.allowed = Set.copyOf(allowed);
        this.strict = strict;
        this.next = next;
    }

    @Override
    public boolean allowDial(PeerId peer, Multiaddr address) {
        return (!strict || peer == null || allowed.contains(peer)) && next.allowDial(peer, address);
    }

    @Override
    public boolean allowAccept(Multiaddr remoteAddress) {
        return next.allowAccept(remoteAddress);
    }

    @Override
    public boolean allowSecured(Direction direction, PeerId peer, Multiaddr remoteAddress) {
        return (!strict || allowed.contains(peer)) && next.allowSecured(direction, peer, remoteAddress);
    }
}
