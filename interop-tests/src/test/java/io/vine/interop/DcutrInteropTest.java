package io.vine.interop;

import static io.vine.interop.RelayNodes.await;
import static io.vine.interop.RelayNodes.jsReservation;
import static io.vine.interop.RelayNodes.reserve;
import static io.vine.interop.RelayNodes.vine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vine.core.Connection;
import io.vine.core.SwarmEvent;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.core.peer.PeerId;
import io.vine.protocol.dcutr.Dcutr;
import io.vine.protocol.dcutr.DcutrCounters;
import io.vine.protocol.dcutr.HolePunchFailed;
import io.vine.protocol.dcutr.HolePunchSucceeded;
import io.vine.protocol.ping.Ping;
import io.vine.swarm.Swarm;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DCUtR between vine and js-libp2p ({@code @libp2p/dcutr}) over a vine or a js relay on loopback, with js in
 * both roles. On loopback js-libp2p never completes the exchange: it only accepts addresses it
 * considers public ({@code isPublicAndDialable}: not loopback, not private or reserved ranges), so
 * every address vine offers is dropped and js gives up right after the CONNECT messages. What these
 * tests pin down is the part that does interoperate: js's CONNECT reaches vine and is answered, vine's
 * CONNECT reaches js and parses, both sides end the attempt cleanly, vine reports it as a failed hole
 * punch (never as {@code malformed} or {@code unsupported}), and the relayed connection keeps working.
 * {@code io.vine.nat.DcutrJsNamespaceTest} runs the full exchange on an address js accepts.
 */
@Timeout(120)
class DcutrInteropTest {

    @BeforeEach
    void nodeInstalled() {
        JsNode.assumeReady();
    }

    /** Collects the hole punch outcomes a swarm publishes. */
    static BlockingQueue<SwarmEvent> outcomes(Swarm swarm) {
        BlockingQueue<SwarmEvent> events = new LinkedBlockingQueue<>();
        swarm.subscribe(e -> {
            if (e instanceof HolePunchSucceeded || e instanceof HolePunchFailed) {
                events.add(e);
            }
        });
        return events;
    }

    /** A circuit relay v2 on loopback: a vine node with the relay service, or a js node with --relay. */
    record Relay(String address, AutoCloseable node) implements AutoCloseable {
        static Relay start(String kind) throws Exception {
            if (kind.equals("js")) {
                JsNode js = JsNode.listen("--relay");
                return new Relay(js.listenAddr(), js);
            }
            Swarm vine = vine(true, null);
            return new Relay(RelayNodes.address(vine).toString(), vine);
        }

        @Override
        public void close() throws Exception {
            node.close();
        }
    }

    /** vine dials a js listener through the relay: js (the spec's B) starts DCUtR, vine answers as A. */
    @ParameterizedTest(name = "{0} relay")
    @ValueSource(strings = {"vine", "js"})
    void jsStartsTheHolePunchVineAnswers(String relayKind) throws Exception {
        Dcutr dcutr = new Dcutr();
        try (Relay relay = Relay.start(relayKind);
                JsNode js = JsNode.listen("--reserve", relay.address(), "--dcutr");
                Swarm a = vine(false, dcutr)) {
            String circuit = jsReservation(js);
            BlockingQueue<SwarmEvent> events = outcomes(a);
            PeerId jsPeer = PeerId.parse(js.peerId());

            Connection relayed = await(a.dial(Multiaddr.parse(circuit)));
            assertThat(relayed.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT)).isTrue();

            // js sent CONNECT, vine answered with its (loopback) addresses, js found none it would
            // dial and closed the stream instead of sending SYNC.
            SwarmEvent outcome = events.poll(30, TimeUnit.SECONDS);
            DcutrCounters counters = dcutr.counters();
            assertThat(outcome).as("hole punch outcome").isInstanceOf(HolePunchFailed.class);
            HolePunchFailed failed = (HolePunchFailed) outcome;
            assertThat(failed.peer()).isEqualTo(jsPeer);
            assertThat(failed.reason()).as(failed.toString()).isEqualTo("stream-closed");
            assertThat(counters.attempts()).as("CONNECT rounds answered: " + counters).isEqualTo(1);
            assertThat(counters.malformedMessages()).isZero();
            assertThat(a.connections(jsPeer)).allMatch(x -> x.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT));
            // Whatever DCUtR did, the peers still talk.
            assertThat(await(Ping.ping(a, jsPeer, 2))).hasSize(2);
        }
    }

    /** A js dialer reaches a vine listener through the relay: vine (B) starts DCUtR, js answers as A. */
    @ParameterizedTest(name = "{0} relay")
    @ValueSource(strings = {"vine", "js"})
    void vineStartsTheHolePunchJsAnswers(String relayKind) throws Exception {
        Dcutr dcutr = new Dcutr();
        try (Relay relay = Relay.start(relayKind); Swarm b = vine(false, dcutr)) {
            Multiaddr circuit = reserve(b, relay.address());
            BlockingQueue<SwarmEvent> events = outcomes(b);

            JsonNode js = JsNode.dial(circuit.toString(), "--dcutr", "--ping", "2", "--wait", "8");
            assertThat(js.at("/connection/limited").asBoolean()).isTrue();
            assertThat(js.get("pingRttMs")).hasSize(2);
            // vine sent CONNECT with its loopback addresses; js parsed it, found none it would dial
            // and closed the stream: no direct connection on either side.
            SwarmEvent outcome = events.poll(30, TimeUnit.SECONDS);
            DcutrCounters counters = dcutr.counters();
            assertThat(outcome).as("hole punch outcome").isInstanceOf(HolePunchFailed.class);
            HolePunchFailed failed = (HolePunchFailed) outcome;
            assertThat(failed.peer().toBase58()).isEqualTo(js.get("localPeerId").asText());
            assertThat(failed.reason()).as(failed.toString()).isEqualTo("stream-closed");
            assertThat(counters.attempts()).as("CONNECT rounds sent: " + counters).isEqualTo(1);
            assertThat(counters.malformedMessages()).isZero();
            assertThat(js.get("connections")).hasSize(1);
            assertThat(js.at("/connections/0/limited").asBoolean()).isTrue();
        }
    }
}
