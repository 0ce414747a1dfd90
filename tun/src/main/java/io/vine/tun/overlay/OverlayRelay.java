package io.vine.tun.overlay;

import io.vine.core.peer.PeerId;
import io.vine.protocol.relay.RelayConfig;
import io.vine.protocol.relay.RelayService;
import java.util.Set;
import java.util.stream.Collectors;

/** The relay service of a relay-capable node: only allowlisted peers reserve and connect, without limits. */
final class OverlayRelay {
    private OverlayRelay() {}

    static RelayService service(VineConfig config, PeerId self) {
        Set<PeerId> members = config.allowlist().stream().map(PeerEntry::peer)
                .filter(p -> !p.equals(self)).collect(Collectors.toUnmodifiableSet());
        return new RelayService(RelayConfig.builder()
                .reservationPolicy(members::contains)
                .connectPolicy((from, to) -> members.contains(from) && members.contains(to))
                .unlimitedPeers(members)
                .build());
    }
}
