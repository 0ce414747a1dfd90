package io.vine.tun.overlay;

import io.vine.core.ConnectionGater;
import io.vine.core.Direction;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.util.Set;

/**
 * Strict allowlist: a connection to or from a peer not on the allowlist is closed right after the
 * security handshake. Then {@code next} (the embedder's gater) decides as well. The allowlist can be
 * replaced at run time ({@link #update}); connections already secured are not re-checked here.
 */
final class AllowlistGater implements ConnectionGater {
    private record Rule(Set<PeerId> allowed, boolean strict) {}

    private volatile Rule rule;
    private final ConnectionGater next;

    AllowlistGater(Set<PeerId> allowed, boolean strict, ConnectionGater next) {
        this.rule = new Rule(Set.copyOf(allowed), strict);
        this.next = next;
    }

    /** From now on, admits {@code allowed} (when {@code strict}) or everyone. */
    void update(Set<PeerId> allowed, boolean strict) {
        rule = new Rule(Set.copyOf(allowed), strict);
    }

    @Override
    public boolean allowDial(PeerId peer, Multiaddr address) {
        Rule r = rule;
        return (!r.strict || peer == null || r.allowed.contains(peer)) && next.allowDial(peer, address);
    }

    @Override
    public boolean allowAccept(Multiaddr remoteAddress) {
        return next.allowAccept(remoteAddress);
    }

    @Override
    public boolean allowSecured(Direction direction, PeerId peer, Multiaddr remoteAddress) {
        Rule r = rule;
        return (!r.strict || r.allowed.contains(peer)) && next.allowSecured(direction, peer, remoteAddress);
    }
}
