package io.vine.tun.overlay;

import static java.util.Objects.requireNonNull;

import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import java.util.List;

/**
 * Where an allowlisted peer may be reached, learned out of band (a config file, a seed list):
 * bootstrap dials these after the static bootstrap addresses.
 *
 * @param peer the peer
 * @param addresses its transport addresses (without /p2p)
 */
public record SeedRecord(PeerId peer, List<Multiaddr> addresses) {
    public SeedRecord {
        requireNonNull(peer, "peer");
        addresses = List.copyOf(addresses);
    }
}
