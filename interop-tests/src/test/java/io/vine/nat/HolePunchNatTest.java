package io.vine.nat;

import static io.vine.nat.NatTopology.A_IP;
import static io.vine.nat.NatTopology.B_IP;
import static io.vine.nat.NatTopology.NAT_B_IP;
import static io.vine.nat.NatTopology.RELAY_IP;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DCUtR with real TCP through two NATs (network namespaces, iptables masquerade): A and B, each
 * behind its own NAT router, reach each other through a relay on the public segment, and hole punch.
 * Runs as root only (skipped otherwise); each test builds and removes its own namespaces.
 */
@Timeout(180)
class HolePunchNatTest extends NatTestBase {
    /** Starts the relay and B (reserving on it); B's circuit address. */
    private String relayAndB(boolean holePunch) throws Exception {
        NatNode relay = start(net.relay, "node", "--listen", "/ip4/" + RELAY_IP + "/tcp/4001", "--relay");
        String relayAddress = relay.line(30);
        NatNode b = holePunch
                ? start(net.b, "node", "--listen", "/ip4/" + B_IP + "/tcp/4001", "--reserve", relayAddress, "--hole-punch")
                : start(net.b, "node", "--listen", "/ip4/" + B_IP + "/tcp/4001", "--reserve", relayAddress);
        b.line(30); // its listen address
        String circuit = b.line(30);
        assertThat(circuit).contains("/p2p-circuit/p2p/");
        return circuit;
    }

    private JsonNode connectFromA(String circuit, boolean holePunch) throws Exception {
        NatNode a = holePunch
                ? start(net.a, "node", "--listen", "/ip4/" + A_IP + "/tcp/4001", "--connect", circuit, "--hole-punch",
                        "--ping", "3", "--format", "json", "--timeout", "60")
                : start(net.a, "node", "--listen", "/ip4/" + A_IP + "/tcp/4001", "--connect", circuit,
                        "--ping", "3", "--format", "json");
        a.line(30); // its listen address
        return new ObjectMapper().readTree(a.line(90));
    }

    @Test
    void peersBehindTwoNatsReachEachOtherThroughTheRelay() throws Exception {
        String circuit = relayAndB(false);
        JsonNode result = connectFromA(circuit, false);
        assertThat(result.get("path").asText()).isEqualTo("relay");
        assertThat(result.get("peerId").asText()).isEqualTo(circuit.substring(circuit.lastIndexOf('/') + 1));
        assertThat(result.get("pingRttMs")).hasSize(3);
        assertThat(net.directPacketsFromA()).isZero();
    }

    @Test
    void holePunchingTurnsTheRelayedConnectionIntoADirectOne() throws Exception {
        String circuit = relayAndB(true);
        JsonNode result = connectFromA(circuit, true);
        assertThat(result.get("path").asText()).as(result.toString()).isEqualTo("direct");
        assertThat(result.has("holePunchError")).isFalse();
        // The direct connection goes to B's NAT's public address (the one the relay observed).
        assertThat(result.get("directAddress").asText()).startsWith("/ip4/" + NAT_B_IP + "/tcp/");
        // A closed its relayed connection once the direct one was up: the pings went direct,
        // through both NATs, and NAT A forwarded packets straight to NAT B.
        assertThat(result.get("pingRttMs")).hasSize(3);
        assertThat(net.directPacketsFromA()).isPositive();
    }

    @Test
    void whenHolePunchingIsBlockedTrafficKeepsFlowingThroughTheRelay() throws Exception {
        net.blockHolePunching();
        String circuit = relayAndB(true);
        JsonNode result = connectFromA(circuit, true);
        assertThat(result.get("path").asText()).as(result.toString()).isEqualTo("relay");
        assertThat(result.get("holePunchError").asText()).isNotBlank();
        assertThat(result.get("pingRttMs")).hasSize(3);
    }
}
