package io.vine.protocol.dcutr;

import static java.util.Objects.requireNonNull;

import io.vine.core.Connection;
import io.vine.core.SwarmEvent;
import io.vine.core.peer.PeerId;

/**
 * A hole punch to {@code peer} produced {@code direct}, a connection without a relay; new streams to
 * the peer use it from now on. Published by both peers.
 */
public record HolePunchSucceeded(PeerId peer, Connection direct) implements SwarmEvent {
    public HolePunchSucceeded {
        requireNonNull(peer, "peer");
        requireNonNull(direct, "direct");
    }
}
