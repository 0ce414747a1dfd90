package io.vine.nat;

import static io.vine.nat.NatTopology.A_IP;
import static io.vine.nat.NatTopology.B_IP;
import static io.vine.nat.NatTopology.NAT_A_IP;
import static io.vine.nat.NatTopology.RELAY_IP;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * AutoNAT v2 on the NAT topology of {@link NatTopology}: the relay on the public segment and A and B
 * behind their NATs all run {@code vine node --autonat}. The NATed nodes, as servers, dial the relay's
 * address back and find it reachable; the relay, as server, cannot dial the NATed nodes' addresses
 * (their private listen address has no route from outside; the NAT's mapping of A's listen port drops
 * unsolicited connections), so those come back not reachable. The topology uses private ranges, so
 * every node runs with {@code --autonat-private}. Root only (skipped otherwise).
 */
@Timeout(180)
class AutoNatNatTest extends NatTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code node}'s lines until {@code done} holds for the verdicts so far (address to verdict). */
    private static Map<String, String> verdicts(NatNode node, int seconds, Predicate<Map<String, String>> done)
            throws Exception {
        Map<String, String> verdicts = new LinkedHashMap<>();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!done.test(verdicts)) {
            int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such verdicts within " + seconds + " s; got " + verdicts);
            }
            String line;
            try {
                line = node.line(left);
            } catch (AssertionError e) {
                throw new AssertionError("verdicts so far: " + verdicts + "; " + e.getMessage(), e);
            }
            if (line.startsWith("{")) {
                JsonNode event = JSON.readTree(line);
                if ("reachability".equals(event.path("event").asText())) {
                    verdicts.put(event.get("address").asText(), event.get("reachability").asText());
                }
            }
        }
        return verdicts;
    }

    @Test
    void theRelayIsReachableAndTheNatedNodesAreNot() throws Exception {
        String relayListen = "/ip4/" + RELAY_IP + "/tcp/4001";
        // Two servers (A and B) must agree before the relay calls its address PUBLIC.
        NatNode relay = start(net.relay, "node", "--listen", relayListen, "--relay",
                "--autonat", "--autonat-private", "--autonat-confirmations", "2");
        String relayAddress = relay.line(30);
        // A and B reserve on the relay (which keeps their connections to it open); A dials from its
        // listening port (--hole-punch) so the relay's observation of it is a mapping of that port,
        // and a single observer suffices to make that mapping a candidate.
        NatNode a = start(net.a, "node", "--listen", "/ip4/" + A_IP + "/tcp/4001", "--reserve", relayAddress,
                "--hole-punch", "--autonat", "--autonat-private", "--autonat-confirmations", "1",
                "--autonat-observers", "1");
        NatNode b = start(net.b, "node", "--listen", "/ip4/" + B_IP + "/tcp/4001", "--reserve", relayAddress,
                "--autonat", "--autonat-private", "--autonat-confirmations", "1");

        Map<String, String> relayVerdicts = verdicts(relay, 90, v -> v.containsKey(relayListen));
        assertThat(relayVerdicts).containsEntry(relayListen, "PUBLIC");

        String aListen = "/ip4/" + A_IP + "/tcp/4001";
        String aMapped = "/ip4/" + NAT_A_IP + "/tcp/4001";
        Map<String, String> aVerdicts = verdicts(a, 90, v -> v.containsKey(aListen) && v.containsKey(aMapped));
        assertThat(aVerdicts).containsEntry(aListen, "PRIVATE").containsEntry(aMapped, "PRIVATE");

        String bListen = "/ip4/" + B_IP + "/tcp/4001";
        Map<String, String> bVerdicts = verdicts(b, 60, v -> v.containsKey(bListen));
        assertThat(bVerdicts).containsEntry(bListen, "PRIVATE");
        // No node ever called a NATed address reachable.
        assertThat(aVerdicts).doesNotContainValue("PUBLIC");
        assertThat(bVerdicts).doesNotContainValue("PUBLIC");
    }
}
