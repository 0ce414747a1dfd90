package io.vine.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vine.cli.NodeStack;
import io.vine.core.Connection;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.protocol.perf.Perf;
import io.vine.protocol.perf.PerfConfig;
import io.vine.protocol.perf.PerfResult;
import io.vine.swarm.Swarm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The perf protocol (/perf/1.0.0) between vine and js-libp2p 2.x (interop-tests/js, lib/perf.mjs) over
 * TCP + Yamux on loopback, both ways, with each security protocol both sides speak. The vine side is
 * the node `vine perf` runs (NodeStack), so a security protocol added there is tested here unchanged.
 */
class PerfInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long UP = 12_345_678;
    private static final long DOWN = 23_456_789;

    @BeforeEach
    void nodeInstalled() {
        JsNode.assumeReady();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"noise", "tls", "plaintext"})
    void vineMeasuresAgainstJs(String security) throws Exception {
        vineClientJsServer(security);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"noise", "tls", "plaintext"})
    void jsMeasuresAgainstVine(String security) throws Exception {
        jsClientVineServer(security);
    }

    @Test
    void vineServerRefusesAnOversizedJsRequestAndKeepsServing() throws Exception {
        try (Swarm vine = vineNode("noise", new Perf(PerfConfig.DEFAULT.withMaxDownloadBytes(1_000_000)))) {
            String target = listen(vine);

            JsNode.Outcome refused = JsNode.dialOutcome(target, "--security", "noise",
                    "--perf-upload-bytes", "100", "--perf-download-bytes", "1000001");
            assertThat(refused.exitCode()).as("%s", refused).isEqualTo(1);
            assertThat(refused.json().path("error").asText()).as("%s", refused).isNotEmpty();

            JsonNode ok = JsNode.dial(target, "--security", "noise",
                    "--perf-upload-bytes", "100", "--perf-download-bytes", "1000000");
            assertThat(ok.path("perf").path("downloadBytes").asLong()).isEqualTo(1_000_000L);
        }
    }

    private static void vineClientJsServer(String security) throws Exception {
        try (JsNode js = JsNode.listen("--security", security); Swarm vine = vineNode(security, null)) {
            Connection c = vine.dial(Multiaddr.parse(js.listenAddr())).get(20, TimeUnit.SECONDS);
            assertThat(c.security()).contains(security.equals("plaintext") ? "/plaintext/" : "/" + security);
            PeerId jsPeer = PeerId.parse(js.peerId());

            PerfResult result = Perf.run(vine, jsPeer, UP, DOWN).result().get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(result.uploadBytes()).isEqualTo(UP);
            assertThat(result.downloadBytes()).isEqualTo(DOWN);
            JsonNode served = nextPerfEvent(js);
            assertThat(served.path("error").isMissingNode()).as("%s", served).isTrue();
            assertThat(served.path("peerId").asText()).isEqualTo(vine.localPeer().toString());
            assertThat(served.path("uploadBytes").asLong()).isEqualTo(UP);
            assertThat(served.path("downloadBytes").asLong()).isEqualTo(DOWN);

            // zero bytes both ways is a valid measurement too
            PerfResult empty = Perf.run(vine, jsPeer, 0, 0).result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(empty.uploadBytes() + empty.downloadBytes()).isZero();
        }
    }

    private static void jsClientVineServer(String security) throws Exception {
        Perf perf = new Perf();
        try (Swarm vine = vineNode(security, perf)) {
            JsonNode out = JsNode.dial(listen(vine), "--security", security,
                    "--perf-upload-bytes", String.valueOf(UP), "--perf-download-bytes", String.valueOf(DOWN));

            JsonNode result = out.path("perf");
            assertThat(result.path("type").asText()).as("%s", out).isEqualTo("final");
            assertThat(result.path("uploadBytes").asLong()).isEqualTo(UP);
            assertThat(result.path("downloadBytes").asLong()).isEqualTo(DOWN);
            assertThat(result.path("timeSeconds").asDouble()).isPositive();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (perf.activeInboundStreams() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(perf.activeInboundStreams()).isZero();
        }
    }

    /** The node `vine perf` runs, with {@code perf} served when given; listening on loopback. */
    private static Swarm vineNode(String security, Perf perf) {
        var builder = NodeStack.builder(null, List.of(security), List.of("yamux"), "vine/interop-test");
        return perf == null ? builder.build() : builder.protocol(perf).build();
    }

    private static String listen(Swarm vine) throws Exception {
        Multiaddr bound = vine.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(10, TimeUnit.SECONDS);
        return bound.withPeerId(vine.localPeer()).toString();
    }

    /** The js listener's next {"event":"perf"} line, skipping its identify events. */
    private static JsonNode nextPerfEvent(JsNode js) {
        for (int i = 0; i < 10; i++) {
            JsonNode event = js.nextEvent(WAIT);
            if (event.path("event").asText().equals("perf")) {
                return event;
            }
        }
        throw new AssertionError("js printed no perf event");
    }
}
