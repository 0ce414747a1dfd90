package io.vine.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vine.core.crypto.Keys;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.core.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code vine node} command as operators and tools run it: a real process, real sockets, js-libp2p. */
class VineNodeCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KEYS =
            List.of("peerId", "pingRttMs", "agentVersion", "protocolVersion", "protocols", "listenAddrs", "observedAddr");

    @Test
    void listenPrintsItsFullAddressFirstAndJsIdentifiesAndPingsIt() throws Exception {
        JsNode.assumeReady();
        try (VineCli vine = VineCli.start("node", "--listen", "/ip4/127.0.0.1/tcp/0")) {
            Multiaddr address = Multiaddr.parse(vine.firstLine());
            assertThat(address.value(MultiaddrProtocol.TCP)).get().isNotEqualTo("0");
            PeerId vinePeer = address.peerId().orElseThrow();

            JsonNode js = JsNode.dial(address.toString(), "--ping", "2", "--identify");

            assertThat(js.path("peerId").asText()).isEqualTo(vinePeer.toString());
            assertThat(js.path("agentVersion").asText()).startsWith("vine/");
            assertThat(js.path("protocols")).extracting(JsonNode::asText).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0");
            assertThat(js.path("pingRttMs")).hasSize(2);
        }
    }

    @Test
    void connectPingsAndIdentifiesJsAndPrintsOneJsonObject() throws Exception {
        JsNode.assumeReady();
        try (JsNode js = JsNode.listen("--security", "noise")) {
            VineCli.Outcome out = VineCli.run("node", "--connect", js.listenAddr(), "--ping", "5", "--identify", "--format", "json");

            assertThat(out.exitCode()).as("%s", out).isZero();
            JsonNode result = JSON.readTree(out.stdout());
            List<String> keys = new ArrayList<>();
            result.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).as("the keys the issue fixes (more are allowed)").containsAll(KEYS);
            assertThat(result.path("peerId").asText()).isEqualTo(js.peerId());
            assertThat(result.path("pingRttMs")).hasSize(5).allSatisfy(rtt -> assertThat(rtt.asDouble()).isPositive());
            assertThat(result.path("agentVersion").asText()).startsWith("js-libp2p-interop/");
            assertThat(result.path("protocolVersion").asText()).isEqualTo("ipfs/0.1.0");
            assertThat(result.path("protocols")).extracting(JsonNode::asText).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0");
            assertThat(result.path("listenAddrs")).extracting(JsonNode::asText).contains(js.transportAddr());
            assertThat(Multiaddr.parse(result.path("observedAddr").asText()).value(MultiaddrProtocol.IP4)).contains("127.0.0.1");
        }
    }

    @Test
    void vineToVineOverPlaintext() throws Exception {
        try (VineCli server = VineCli.start("node", "--listen", "/ip4/127.0.0.1/tcp/0", "--security", "plaintext")) {
            VineCli.Outcome out = VineCli.run("node", "--connect", server.firstLine(), "--security", "plaintext",
                    "--ping", "1", "--identify", "--format", "json");

            assertThat(out.exitCode()).as("%s", out).isZero();
            JsonNode result = JSON.readTree(out.stdout());
            assertThat(result.path("peerId").asText()).isEqualTo(Multiaddr.parse(server.firstLine()).peerId().orElseThrow().toString());
            assertThat(result.path("agentVersion").asText()).startsWith("vine/");
        }
    }

    @Test
    void aRefusedDialExitsNonZeroWithAClearMessage() throws Exception {
        PeerId nobody = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
        VineCli.Outcome out = VineCli.run("node", "--connect", "/ip4/127.0.0.1/tcp/1/p2p/" + nobody, "--ping", "1", "--format", "json");

        assertThat(out.exitCode()).isNotZero();
        assertThat(out.stderr()).startsWith("error: ").contains("127.0.0.1");
        assertThat(JSON.readTree(out.stdout()).path("error").asText()).isNotEmpty();
    }

    @Test
    void aWrongPeerIdIsRefused() throws Exception {
        try (VineCli server = VineCli.start("node", "--listen", "/ip4/127.0.0.1/tcp/0")) {
            PeerId someoneElse = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
            String wrong = Multiaddr.parse(server.firstLine()).withPeerId(someoneElse).toString();

            VineCli.Outcome out = VineCli.run("node", "--connect", wrong, "--ping", "1");

            assertThat(out.exitCode()).isNotZero();
            assertThat(out.stderr()).contains("expected: " + someoneElse);
        }
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        VineCli.Outcome out = VineCli.run("node", "--connect", "/ip4/not-an-address/tcp/1");
        assertThat(out.exitCode()).isNotZero();
        assertThat(out.stderr()).containsIgnoringCase("not-an-address");
        assertThat(VineCli.run("node").exitCode()).isNotZero();
        assertThat(VineCli.run("node", "--listen", "/ip4/127.0.0.1/tcp/0", "--security", "rot13").stderr()).contains("rot13");
    }
}
