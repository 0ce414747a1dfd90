package io.vine.cli.config;

import static java.util.Objects.requireNonNull;

import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.tun.IpPrefix;
import io.vine.tun.overlay.IdentitySource;
import io.vine.tun.overlay.RelayLimits;
import io.vine.tun.overlay.VineConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A validated operator config file ({@code vine.toml}), as {@link ConfigLoader#load} read it. Paths
 * in it are resolved against the file's directory. {@link #toVineConfig} maps it onto the overlay
 * runtime's {@link VineConfig}.
 *
 * @param file the file it was read from
 * @param node {@code [node]}
 * @param tun {@code [tun]}
 * @param bootstrapPeers {@code [[bootstrap_peers]]}
 * @param allowedPeers {@code [[allowed_peers]]}
 * @param policy {@code [policy]}
 * @param relay {@code [relay]}
 * @param control {@code [control]}
 */
public record NodeConfig(Path file, Node node, Tun tun, List<BootstrapPeer> bootstrapPeers, List<AllowedPeer> allowedPeers,
        Policy policy, Relay relay, Control control) {

    public NodeConfig {
        requireNonNull(file, "file");
        bootstrapPeers = List.copyOf(bootstrapPeers);
        allowedPeers = List.copyOf(allowedPeers);
    }

    /** {@code [node]}: a label, the overlay's network id, the key file, listen addresses, pid and log files. */
    public record Node(String name, String networkId, Path identityPath, List<Multiaddr> listen, Path pidFile, Path logFile) {}

    /**
     * {@code [tun]}: device name, address and prefix length (the overlay range routed into the device),
     * MTU, the prefix this node owns when set explicitly ({@code local_prefix}), offloads and queues.
     */
    public record Tun(String name, IpPrefix address, int mtu, Optional<IpPrefix> localPrefix, boolean offload, int queues) {}

    /** {@code [[bootstrap_peers]]}: an address ending in {@code /p2p/<peer_id>}. */
    public record BootstrapPeer(PeerId peerId, Multiaddr address, int line) {}

    /** {@code [[allowed_peers]]}: a member of the overlay, the prefix it owns and whether it may relay. */
    public record AllowedPeer(PeerId peerId, IpPrefix prefix, boolean relayCapable, int line) {}

    /**
     * {@code [policy]}. {@code allowRelay = false} means no peer is used as a relay (every
     * {@code relay_capable} is taken as false). {@code allowSignalingUpgrade} lets the node run DCUtR
     * so relayed sessions can move onto hole-punched direct paths.
     */
    public record Policy(boolean strictAllowlist, boolean allowRelay, boolean allowSignalingUpgrade) {}

    /**
     * {@code [relay]}: whether this node serves circuit relay v2 to allowlisted peers, and its limits:
     * reservations and circuits at a time, and, when set, how long and how many bytes (each direction)
     * a circuit may carry before the relay closes it (unset: circuits between allowlisted peers last).
     */
    public record Relay(boolean enabled, int maxReservations, int maxCircuits, OptionalInt maxCircuitDurationSecs,
            OptionalLong maxCircuitBytes) {

        /** The limits as the overlay takes them. */
        public RelayLimits limits() {
            return new RelayLimits(maxReservations, maxCircuits,
                    maxCircuitDurationSecs.isPresent() ? Optional.of(Duration.ofSeconds(maxCircuitDurationSecs.getAsInt())) : Optional.empty(),
                    maxCircuitBytes);
        }
    }

    /** {@code [control]}: where the control API listens and the file holding its bearer token. */
    public record Control(InetSocketAddress listen, Path tokenFile) {}

    /**
     * The prefix this node owns: {@code [tun] local_prefix} if set, else the prefix of the
     * {@code [[allowed_peers]]} entry of {@code self}, else the network of {@code [tun] address}.
     */
    public IpPrefix localPrefix(PeerId self) {
        requireNonNull(self, "self");
        if (tun.localPrefix().isPresent()) {
            return tun.localPrefix().get();
        }
        return allowedPeers.stream().filter(p -> p.peerId().equals(self)).map(AllowedPeer::prefix).findFirst()
                .orElse(tun.address().network());
    }

    /** The runtime config of the node whose peer id is {@code self}. */
    public VineConfig toVineConfig(PeerId self) {
        IpPrefix local = localPrefix(self);
        VineConfig.Builder b = VineConfig.builder(node.networkId())
                .tunName(tun.name()).tunAddress(tun.address()).localPrefix(local).mtu(tun.mtu())
                .offload(tun.offload()).queues(tun.queues())
                .identity(IdentitySource.file(node.identityPath()))
                .relay(relay.enabled()).relayLimits(relay.limits()).strictAllowlist(policy.strictAllowlist())
                .signalingUpgrade(policy.allowSignalingUpgrade());
        for (AllowedPeer p : allowedPeers) {
            b.peer(p.peerId(), p.prefix().toString(), p.relayCapable() && policy.allowRelay());
        }
        bootstrapPeers.forEach(p -> b.bootstrap(p.address()));
        node.listen().forEach(b::listen);
        return b.build();
    }

    /** Things that are valid but probably not meant, for {@code config validate} to say. */
    public List<String> warnings() {
        List<String> w = new java.util.ArrayList<>();
        if (relay.enabled() && (relay.maxCircuitDurationSecs().isPresent() || relay.maxCircuitBytes().isPresent())) {
            w.add("relay: circuits are closed at max_circuit_duration_secs / max_circuit_bytes; sessions that fell back"
                    + " to this relay then take a new relayed connection (leave both unset for lasting circuits)");
        }
        return w;
    }
}
