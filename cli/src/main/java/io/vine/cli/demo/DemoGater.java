package io.vine.cli.demo;

import io.vine.core.ConnectionGater;
import io.vine.core.Direction;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.core.peer.PeerId;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the network in the demo: direct connections to the peers in {@link #unreachable}
 * fail, as if a NAT or a cut link were in the way; relayed ones still pass.
 */
final class DemoGater implements ConnectionGater {
    final Set<PeerId> unreachable = ConcurrentHashMap.newKeySet();

    private boolean allowed(PeerId peer, Multiaddr address) {
        return peer == null || !unreachable.contains(peer) || address.has(MultiaddrProtocol.P2P_CIRCUIT);
    }

    @Override
    public boolean allowDial(PeerId peer, Multiaddr address) {
        return allowed(peer, address);
    }

    @Override
    public boolean allowSecured(Direction direction, PeerId peer, Multiaddr remoteAddress) {
        return allowed(peer, remoteAddress);
    }
}
