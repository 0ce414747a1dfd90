package io.vine.cli.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class RenderTest {
    @Test
    void relayOfFindsTheRelayInACircuitAddress() {
        assertThat(NodeView.relayOf("/ip4/192.0.2.9/tcp/4001/p2p/12D3KooRelay/p2p-circuit/p2p/12D3KooPeer")).contains("12D3KooRelay");
        assertThat(NodeView.relayOf("/ip4/192.0.2.9/tcp/4001/p2p/12D3KooPeer")).isEmpty();
        assertThat(NodeView.relayOf(null)).isEmpty();
    }

    @Test
    void sessionsTableSaysRelayThroughWhom() throws Exception {
        var sessions = new ObjectMapper().readTree("""
                [{"peerId":"PeerA","prefix":"10.42.2.0/24","path":"relay","via":"RelayR","latencyMs":12.34,
                  "bytesIn":10,"bytesOut":20,"paths":[{}]},
                 {"peerId":"PeerB","prefix":"10.42.3.0/24","path":"none","via":null,"latencyMs":null,
                  "bytesIn":0,"bytesOut":0,"paths":[]}]""");
        StringWriter s = new StringWriter();
        Render.sessions(sessions, new PrintWriter(s));
        String[] lines = s.toString().split("\n");
        assertThat(lines[0]).startsWith("PEER   PREFIX        PATH   VIA     LATENCY  BYTES IN  BYTES OUT  PATHS");
        assertThat(lines[1]).isEqualTo("PeerA  10.42.2.0/24  relay  RelayR  12.3 ms  10        20         1");
        assertThat(lines[2]).isEqualTo("PeerB  10.42.3.0/24  none   -       -        0         0          0");
    }
}
