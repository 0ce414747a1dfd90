package io.vine.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
  * Proves the js side of the interop harness: a js-libp2p listener and a js-libp2p dialer (both
  * from node.mjs) connect over TCP on loopback, identify and ping each other, and JsNode reads
  * what they print. The vine tests (VineJsInteropTest) rely on exactly these shapes.
  */
class JsNodeSmokeTest {

    @BeforeEach // per test, so that a skip shows up with its reason in every report
    void nodeInstalled() {
        JsNode.assumeReady();
    }

    @Test
    void jsDialsJsOverNoiseAndYamux() {
        try (JsNode listener = JsNode.listen("--security", "noise")) {
            JsonNode out = JsNode.dial(
                    listener.listenAddr(), "--security", "noise", "--ping", "3", "--identify");

            assertThat(out.path("error").isMissingNode()).as("error in %s", out).isTrue();
            assertThat(out.path("peerId").asText()).isEqualTo(listener.peerId());
            assertThat(out.path("peerIdFromPublicKey").asText()).isEqualTo(listener.peerId());
            assertThat(out.path("publicKeyType").asText()).isEqualTo("Ed25519");
            // protobuf PublicKey{Type=Ed25519(1), Data=32 bytes}: 08 01 12 20 + key
            byte[] publicKey = Base64.getDecoder().decode(out.path("publicKey").asText());
            assertThat(publicKey).hasSize(36).startsWith(0x08, 0x01, 0x12, 0x20);

            JsonNode connection = out.path("connection");
            assertThat(connection.path("encryption").asText()).isEqualTo("/noise");
            assertThat(connection.path("multiplexer").asText()).isEqualTo("/yamux/1.0.0");
            assertThat(connection.path("direction").asText()).isEqualTo("outbound");

            assertThat(out.path("agentVersion").asText()).startsWith("js-libp2p-interop/");
            assertThat(out.path("protocolVersion").asText()).isEqualTo("ipfs/0.1.0");
            assertThat(texts(out.path("protocols"))).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0");
            assertThat(texts(out.path("listenAddrs"))).containsExactly(listener.transportAddr());
            assertThat(out.path("observedAddr").asText()).startsWith("/ip4/127.0.0.1/tcp/");

            assertThat(out.path("pingRttMs")).hasSize(3);
            out.path("pingRttMs").forEach(rtt -> assertThat(rtt.asLong()).isBetween(0L, 10_000L));

            // The listener identified the dialer in turn and printed it as an event.
            JsonNode event = listener.nextEvent(Duration.ofSeconds(10));
            assertThat(event.path("event").asText()).isEqualTo("identify");
            assertThat(event.path("peerId").asText()).isEqualTo(out.path("localPeerId").asText());
            assertThat(event.path("peerIdFromPublicKey").asText())
                    .isEqualTo(out.path("localPeerId").asText());
            assertThat(event.path("connection").path("direction").asText()).isEqualTo("inbound");
            assertThat(event.path("agentVersion").asText()).startsWith("js-libp2p-interop/");
        }
    }

    @ParameterizedTest
    @CsvSource({"plaintext, secp256k1, secp256k1, /plaintext/2.0.0", "noise, rsa, RSA, /noise"})
    void otherSecurityAndKeyTypes(
            String security, String keyType, String jsKeyType, String encryption) {
        try (JsNode listener = JsNode.listen("--security", security, "--key-type", keyType)) {
            JsonNode out = JsNode.dial(
                    listener.listenAddr(), "--security", security, "--ping", "1", "--identify");

            assertThat(out.path("connection").path("encryption").asText()).isEqualTo(encryption);
            assertThat(out.path("peerId").asText()).isEqualTo(listener.peerId());
            assertThat(out.path("peerIdFromPublicKey").asText()).isEqualTo(listener.peerId());
            assertThat(out.path("publicKeyType").asText()).isEqualTo(jsKeyType);
            assertThat(out.path("pingRttMs")).hasSize(1);
        }
    }

    @Test
    void securityMismatchIsReportedAsAnError() {
        try (JsNode listener = JsNode.listen("--security", "noise")) {
            JsNode.Outcome outcome = JsNode.dialOutcome(
                    listener.listenAddr(), "--security", "plaintext", "--timeout", "10");

            assertThat(outcome.exitCode()).as("%s", outcome).isEqualTo(1);
            assertThat(outcome.json().path("error").asText()).isNotEmpty();
        }
    }

    @Test
    void refusedDialIsReportedAsAnError() {
        String addr;
        try (JsNode listener = JsNode.listen()) {
            addr = listener.listenAddr();
        }
        // The listener is gone, so its port refuses the connection.
        JsNode.Outcome outcome = JsNode.dialOutcome(addr, "--ping", "1", "--timeout", "10");

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.json().path("error").asText()).isNotEmpty();
    }

    @Test
    void nonLoopbackTargetIsRefused() {
        JsNode.Outcome outcome = JsNode.dialOutcome("/ip4/192.0.2.1/tcp/4001", "--timeout", "5");

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.json().path("error").asText()).contains("not a loopback address");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
