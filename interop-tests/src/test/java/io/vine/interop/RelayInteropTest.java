package io.vine.interop;

import static io.vine.interop.RelayNodes.address;
import static io.vine.interop.RelayNodes.await;
import static io.vine.interop.RelayNodes.jsReservation;
import static io.vine.interop.RelayNodes.reserve;
import static io.vine.interop.RelayNodes.vine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vine.core.Connection;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.core.peer.PeerId;
import io.vine.protocol.identify.Identify;
import io.vine.protocol.identify.IdentifyInfo;
import io.vine.protocol.ping.Ping;
import io.vine.swarm.Swarm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Circuit relay v2 between vine and js-libp2p ({@code @libp2p/circuit-relay-v2}) on loopback: a js
 * relay serving vine clients (reservation, then a circuit between two vine nodes and from a js
 * dialer to a vine listener), and a vine relay serving js clients (a js node reserves; a js and a
 * vine node reach it through the circuit). Every circuit carries ping and identify.
 */
@Timeout(120)
class RelayInteropTest {

    @BeforeEach
    void nodeInstalled() {
        JsNode.assumeReady();
    }

    @Test
    void jsRelayServesVineClients() throws Exception {
        try (JsNode relay = JsNode.listen("--relay");
                Swarm b = vine(false, null);
                Swarm a = vine(false, null)) {
            Multiaddr circuit = reserve(b, relay.listenAddr());
            assertThat(circuit.toString()).isEqualTo(relay.listenAddr() + "/p2p-circuit/p2p/" + b.localPeer().toBase58());

            Connection c = await(a.dial(circuit));
            assertThat(c.remotePeer()).isEqualTo(b.localPeer());
            assertThat(c.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT)).isTrue();
            // The only connection between A and B is the circuit: ping and identify run over it.
            assertThat(a.connections(b.localPeer())).containsExactly(c);
            List<Duration> rtts = await(Ping.ping(a, b.localPeer(), 3));
            assertThat(rtts).hasSize(3);
            IdentifyInfo info = await(Identify.identify(a, b.localPeer()));
            assertThat(info.agentVersion()).isEqualTo("vine-interop");
            assertThat(a.connections(b.localPeer())).allMatch(x -> x.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT));

            // A js dialer reaches the same vine listener through the js relay.
            JsonNode js = JsNode.dial(circuit.toString(), "--ping", "2", "--identify");
            assertThat(js.get("peerId").asText()).isEqualTo(b.localPeer().toBase58());
            assertThat(js.at("/connection/limited").asBoolean()).isTrue();
            assertThat(js.at("/connection/remoteAddr").asText()).isEqualTo(circuit.toString());
            assertThat(js.get("pingRttMs")).hasSize(2);
            assertThat(js.get("agentVersion").asText()).isEqualTo("vine-interop");
        }
    }

    @Test
    void vineRelayServesJsClients() throws Exception {
        try (Swarm relay = vine(true, null);
                JsNode b = JsNode.listen("--reserve", address(relay).toString());
                Swarm a = vine(false, null)) {
            String circuit = jsReservation(b);
            assertThat(circuit).isEqualTo(address(relay) + "/p2p-circuit/p2p/" + b.peerId());

            // js to js through the vine relay.
            JsonNode js = JsNode.dial(circuit, "--ping", "2", "--identify");
            assertThat(js.get("peerId").asText()).isEqualTo(b.peerId());
            assertThat(js.at("/connection/limited").asBoolean()).isTrue();
            assertThat(js.get("pingRttMs")).hasSize(2);
            assertThat(js.get("agentVersion").asText()).isEqualTo("js-libp2p-interop/0.1.0");

            // vine to js through the vine relay.
            PeerId jsPeer = PeerId.parse(b.peerId());
            Connection c = await(a.dial(Multiaddr.parse(circuit)));
            assertThat(c.remotePeer()).isEqualTo(jsPeer);
            assertThat(c.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT)).isTrue();
            assertThat(await(Ping.ping(a, jsPeer, 3))).hasSize(3);
            IdentifyInfo info = await(Identify.identify(a, jsPeer));
            assertThat(info.agentVersion()).isEqualTo("js-libp2p-interop/0.1.0");
            assertThat(info.protocols()).contains(io.vine.protocol.relay.RelayTransport.STOP_PROTOCOL_ID);
            assertThat(a.connections(jsPeer)).allMatch(x -> x.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT));
        }
    }
}
