package io.vine.tun.overlay;

import io.vine.core.peer.PeerId;
import io.vine.protocol.relay.RelayConfig;
import io.vine.protocol.relay.RelayService;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The relay service of a relay-capable node: only allowlisted peers reserve and connect (the members
 * follow the allowlist when it is reloaded), within the config's {@link RelayLimits}.
 */
final class OverlayRelay {
    /** The longest duration a relay can state (the wire field is 32 bits of seconds). */
    private static final Duration FOREVER = Duration.ofSeconds(0xFFFF_FFFFL);

    private final PeerId self;
    private volatile Set<PeerId> members;
    final RelayService service;

    OverlayRelay(VineConfig config, PeerId self) {
        this.self = self;
        this.members = members(config);
        RelayLimits limits = config.relayLimits();
        RelayConfig.Builder b = RelayConfig.builder()
                .maxReservations(limits.maxReservations())
                .maxCircuits(limits.maxCircuits())
                .maxCircuitsPerPeer(Math.min(limits.maxCircuits(), RelayConfig.defaults().maxCircuitsPerPeer()))
                .reservationPolicy(p -> members.contains(p))
                .connectPolicy((from, to) -> members.contains(from) && members.contains(to));
        if (limits.limitsCircuits()) {
            b.circuitDuration(limits.circuitDuration().orElse(FOREVER))
                    .circuitBytes(limits.circuitBytes().orElse(Long.MAX_VALUE));
        } else {
            // members at start are unlimited; peers added by a reload get limits no circuit reaches
            b.unlimitedPeers(members).circuitDuration(FOREVER).circuitBytes(Long.MAX_VALUE);
        }
        this.service = new RelayService(b.build());
    }

    /** The allowlist changed: these peers may reserve and connect from now on. */
    void update(VineConfig config) {
        members = members(config);
    }

    private Set<PeerId> members(VineConfig config) {
        return config.allowlist().stream().map(PeerEntry::peer).filter(p -> !p.equals(self))
                .collect(Collectors.toUnmodifiableSet());
    }
}
