package io.vine.protocol.identify;

import static java.util.Objects.requireNonNull;

import io.vine.core.SwarmEvent;
import io.vine.core.peer.PeerId;

/**
 * A peer was identified (or pushed an update) and the peer store now holds what it said. For a push,
 * {@code info} is the previous information with the pushed fields replaced.
 */
public record PeerIdentified(PeerId peer, IdentifyInfo info) implements SwarmEvent {
    public PeerIdentified {
        requireNonNull(peer, "peer");
        requireNonNull(info, "info");
    }
}
