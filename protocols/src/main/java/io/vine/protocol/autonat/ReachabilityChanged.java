package io.vine.protocol.autonat;

import static java.util.Objects.requireNonNull;

import io.vine.core.Reachability;
import io.vine.core.SwarmEvent;
import io.vine.core.multiaddr.Multiaddr;

/**
 * AutoNAT changed its verdict on one of this node's addresses. Published on the swarm loop; the same
 * verdict is in {@link io.vine.core.PeerStore#reachability()}.
 *
 * @param address the address, without /p2p
 * @param reachability the new verdict; UNKNOWN when the address is no longer a candidate or the
 *     servers disagree
 */
public record ReachabilityChanged(Multiaddr address, Reachability reachability) implements SwarmEvent {
    public ReachabilityChanged {
        requireNonNull(address, "address");
        requireNonNull(reachability, "reachability");
    }
}
