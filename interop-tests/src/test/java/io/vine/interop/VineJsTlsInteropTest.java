package io.vine.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vine.core.Connection;
import io.vine.core.PeerIdMismatchException;
import io.vine.core.crypto.KeyType;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.protocol.identify.Identify;
import io.vine.protocol.identify.IdentifyInfo;
import io.vine.protocol.ping.Ping;
import io.vine.security.tls.TlsSecurity;
import io.vine.swarm.Swarm;
import io.vine.testkit.EchoProtocol;
import io.vine.testkit.TestSwarms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * vine against js-libp2p 2.x ({@code @libp2p/tls}) over TCP + TLS 1.3 + Yamux on loopback, both ways:
 * the connection is secured with {@code /tls/1.0.0} on both sides, Yamux is agreed (through ALPN),
 * and ping and identify run over it.
 */
class VineJsTlsInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TLS = "/tls/1.0.0";
    private static final String YAMUX = "/yamux/1.0.0";

    /** A vine node that prefers TLS (Noise stays as the fallback), with identify and ping. */
    private static Swarm vineNode(PrivKey identity) {
        return vineNode(identity, new EchoProtocol());
    }

    private static Swarm vineNode(PrivKey identity, EchoProtocol recorder) {
        return TestSwarms.tcp(b -> b.identity(identity).security(new TlsSecurity()), new Identify(), new Ping(), recorder);
    }

    @BeforeEach
    void nodeInstalled() {
        JsNode.assumeReady();
    }

    @ParameterizedTest(name = "js key {0}")
    @CsvSource({"ed25519", "secp256k1", "rsa"})
    void vineDialsJsOverTls(String jsKeyType) throws Exception {
        try (JsNode js = JsNode.listen("--security", "tls", "--key-type", jsKeyType);
                Swarm vine = vineNode(Keys.generateEd25519())) {
            PeerId jsPeer = PeerId.parse(js.peerId());

            Connection connection = vine.dial(Multiaddr.parse(js.listenAddr())).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(connection.security()).isEqualTo(TLS);
            assertThat(connection.muxer()).isEqualTo(YAMUX);
            assertThat(connection.remotePeer()).isEqualTo(jsPeer);
            assertThat(PeerId.fromPublicKey(connection.remotePublicKey())).isEqualTo(jsPeer);

            List<Duration> rtts = Ping.ping(vine, jsPeer, 3).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(rtts).hasSize(3).allSatisfy(rtt -> assertThat(rtt).isPositive().isLessThan(WAIT));

            IdentifyInfo info = Identify.identify(vine, jsPeer).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(info.publicKey().marshal()).isEqualTo(connection.remotePublicKey().marshal());
            assertThat(info.agentVersion()).startsWith("js-libp2p-interop/");

            // js identified vine on the same connection, which it sees as inbound TLS + Yamux
            JsonNode seen = js.nextEvent(WAIT);
            assertThat(seen.path("event").asText()).isEqualTo("identify");
            assertThat(seen.path("connection").path("direction").asText()).isEqualTo("inbound");
            assertThat(seen.path("connection").path("encryption").asText()).isEqualTo(TLS);
            assertThat(seen.path("connection").path("multiplexer").asText()).isEqualTo(YAMUX);
            assertThat(seen.path("peerId").asText()).isEqualTo(vine.localPeer().toString());
            assertThat(Base64.getDecoder().decode(seen.path("publicKey").asText()))
                    .isEqualTo(vine.privateKey().publicKey().marshal());
        }
    }

    @ParameterizedTest(name = "vine key {0}")
    @CsvSource({"ED25519", "SECP256K1", "RSA"})
    void jsDialsVineOverTls(KeyType vineKeyType) throws Exception {
        EchoProtocol recorder = new EchoProtocol(); // records the connections the swarm opened
        try (Swarm vine = vineNode(Keys.generate(vineKeyType), recorder)) {
            String target = vine.listenAddresses().getFirst().withPeerId(vine.localPeer()).toString();

            JsonNode out = JsNode.dial(target, "--security", "tls", "--ping", "3", "--identify");

            assertThat(out.path("connection").path("encryption").asText()).isEqualTo(TLS);
            assertThat(out.path("connection").path("multiplexer").asText()).isEqualTo(YAMUX);
            assertThat(out.path("peerId").asText()).isEqualTo(vine.localPeer().toString());
            assertThat(out.path("peerIdFromPublicKey").asText()).isEqualTo(vine.localPeer().toString());
            assertThat(Base64.getDecoder().decode(out.path("publicKey").asText()))
                    .isEqualTo(vine.privateKey().publicKey().marshal());
            assertThat(out.path("agentVersion").asText()).startsWith("vine/");
            assertThat(out.path("pingRttMs")).hasSize(3);
            out.path("pingRttMs").forEach(rtt -> assertThat(rtt.asLong()).isBetween(0L, WAIT.toMillis()));

            // and vine's side of that connection is TLS too
            Connection inbound = recorder.opened.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(inbound).isNotNull();
            assertThat(inbound.remotePeer().toString()).isEqualTo(out.path("localPeerId").asText());
            assertThat(inbound.security()).isEqualTo(TLS);
            assertThat(inbound.muxer()).isEqualTo(YAMUX);
        }
    }

    @Test
    void vineRefusesJsWithAnotherPeerIdOverTls() throws Exception {
        try (JsNode js = JsNode.listen("--security", "tls"); Swarm vine = vineNode(Keys.generateEd25519())) {
            PeerId someoneElse = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
            Multiaddr wrong = Multiaddr.parse(js.transportAddr()).withPeerId(someoneElse);

            CompletableFuture<Connection> dial = vine.dial(wrong);

            assertThat(dial).failsWithin(WAIT);
            assertThat(causes(dial)).anyMatch(PeerIdMismatchException.class::isInstance);
        }
    }

    /** js dials vine under another peer id: js refuses, or knows vine by its real, proven id. */
    @Test
    void jsDialingAnotherPeerIdOverTlsNeverGetsAnImpostor() throws Exception {
        try (Swarm vine = vineNode(Keys.generateEd25519())) {
            PeerId someoneElse = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
            String wrong = vine.listenAddresses().getFirst().withPeerId(someoneElse).toString();

            JsNode.Outcome outcome = JsNode.dialOutcome(wrong, "--security", "tls", "--ping", "1", "--timeout", "15");

            if (outcome.exitCode() == 0) {
                assertThat(outcome.json().path("peerId").asText()).as("%s", outcome)
                        .isEqualTo(vine.localPeer().toString());
            } else {
                assertThat(outcome.json().path("error").asText()).isNotEmpty();
            }
        }
    }

    private static List<Throwable> causes(CompletableFuture<?> failed) {
        List<Throwable> out = new ArrayList<>();
        Throwable t = failed.exceptionNow();
        for (int i = 0; t != null && i < 16; i++, t = t.getCause()) {
            out.add(t);
        }
        return out;
    }
}
