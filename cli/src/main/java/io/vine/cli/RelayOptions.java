package io.vine.cli;

import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.core.peer.PeerId;
import io.vine.protocol.relay.RelayConfig;
import io.vine.protocol.relay.RelayService;
import io.vine.protocol.relay.RelayTransport;
import io.vine.swarm.Swarm;
import io.vine.swarm.SwarmBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The circuit relay options of {@code vine node}: serve as a relay ({@code --relay} and its limits),
 * listen through a relay ({@code --reserve}). Dialing {@code .../p2p-circuit/p2p/<peer>} addresses
 * works always: the relay client transport is part of every node.
 */
final class RelayOptions {

    @Option(names = "--relay", description = "Also serve as a circuit relay (v2 hop) for other peers.")
    boolean relay;

    @Option(names = "--relay-max-reservations", paramLabel = "N", description = "Reservations held at once (default: ${DEFAULT-VALUE}).")
    int maxReservations = 128;

    @Option(names = "--relay-max-circuits", paramLabel = "N", description = "Circuits relayed at once (default: ${DEFAULT-VALUE}).")
    int maxCircuits = 64;

    @Option(names = "--relay-circuit-bytes", paramLabel = "BYTES", description = "Bytes per direction of a circuit (default: ${DEFAULT-VALUE}).")
    long circuitBytes = 128 * 1024;

    @Option(names = "--relay-circuit-duration", paramLabel = "SECONDS", description = "Life of a circuit (default: ${DEFAULT-VALUE}).")
    long circuitSeconds = 120;

    @Option(names = "--relay-unlimited", paramLabel = "PEER", description = "A peer whose circuits have no limit (repeatable).")
    List<String> unlimited = new ArrayList<>();

    @Option(names = "--reserve", paramLabel = "MULTIADDR",
            description = "Listen through this relay (<relay address>/p2p/<relay id>); prints the circuit address (repeatable).")
    List<String> reserve = new ArrayList<>();

    /** Adds the relay client (always) and the relay service (with --relay) to {@code b}. */
    void apply(SwarmBuilder b) {
        RelayTransport client = new RelayTransport();
        b.transport(client).protocol(client);
        if (relay) {
            Set<PeerId> free = unlimited.stream().map(PeerId::parse).collect(Collectors.toSet());
            b.protocol(new RelayService(RelayConfig.builder()
                    .maxReservations(maxReservations)
                    .maxCircuits(maxCircuits)
                    .circuitBytes(circuitBytes)
                    .circuitDuration(Duration.ofSeconds(circuitSeconds))
                    .unlimitedPeers(free)
                    .build()));
        }
    }

    boolean reserving() {
        return !reserve.isEmpty();
    }

    /** Makes the reservations; each circuit address, ending in this node's /p2p. */
    List<Multiaddr> reserve(Swarm swarm, int timeoutSeconds) throws Exception {
        List<Multiaddr> out = new ArrayList<>();
        for (String r : reserve) {
            Multiaddr address = Multiaddr.parse(r);
            if (!address.has(MultiaddrProtocol.P2P_CIRCUIT)) {
                address = Multiaddr.parse(address + "/p2p-circuit");
            }
            out.add(swarm.listen(address).get(timeoutSeconds, TimeUnit.SECONDS).withPeerId(swarm.localPeer()));
        }
        return out;
    }
}
