package io.vine.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vine.cli.CliRun;
import io.vine.cli.config.ConfigLoader;
import io.vine.cli.config.ResolvedConfig;
import io.vine.cli.config.TestConfigs;
import io.vine.cli.control.Tokens;
import io.vine.cli.control.TwoNodes;
import io.vine.core.crypto.Keys;
import io.vine.core.peer.IdentityFile;
import io.vine.tun.MemoryTunDevice;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reload hook ({@code POST /p2p/admin/hook {"action":"reload"}}, what SIGHUP runs) on nodes run as
 * {@code vine up} runs them: a peer added to the file is admitted while the existing session stays on
 * the same connection; a bad or restart-only change applies nothing.
 */
class ReloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BETA = TestConfigs.BETA.toBase58();
    private static final String GAMMA = TestConfigs.GAMMA.toBase58();

    @TempDir
    Path dir;

    private static String config(String name, String address, String peers, String extra) {
        return TestConfigs.ids("""
                [node]
                name = "%s"
                network_id = "vine-test"
                identity_path = "%s.key"
                listen = ["/ip4/127.0.0.1/tcp/0"]
                [tun]
                name = "vine-%s"
                address = "%s"
                prefix_len = 16
                %s
                [policy]
                allow_signaling_upgrade = false
                %s
                [control]
                listen = "127.0.0.1:0"
                token_file = "%s.token"
                """.formatted(name, name, name, address, peers, extra, name));
    }

    private static String peer(String id, String prefix) {
        return "[[allowed_peers]]\npeer_id = \"" + id + "\"\nprefix = \"" + prefix + "\"\n";
    }

    private static String bootstrap(String id, String address) {
        return "[[bootstrap_peers]]\npeer_id = \"" + id + "\"\naddress = \"" + address + "\"\n";
    }

    private NodeRunner run(String name, byte[] seed, String text) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        IdentityFile.save(d.resolve(name + ".key"), Keys.ed25519FromSeed(seed));
        Files.writeString(d.resolve("vine.toml"), text);
        return NodeRunner.start(ResolvedConfig.resolve(ConfigLoader.load(d.resolve("vine.toml"))),
                c -> MemoryTunDevice.pair(c).device(), line -> { });
    }

    @Test
    void reloadAdmitsANewPeerAndKeepsTheExistingSession() throws Exception {
        List<NodeRunner> nodes = new ArrayList<>();
        try {
            String self = peer("SELF", "10.42.1.0/24");
            NodeRunner beta = run("beta", TestConfigs.seed(2), config("beta", "10.42.2.1", self + peer("BETA", "10.42.2.0/24"), ""));
            nodes.add(beta);
            NodeRunner gamma = run("gamma", TestConfigs.seed(3), config("gamma", "10.42.3.1", self + peer("GAMMA", "10.42.3.0/24"), ""));
            nodes.add(gamma);
            String betaAt = beta.node().swarm().listenAddresses().get(0).toString();
            String gammaAt = gamma.node().swarm().listenAddresses().get(0).toString();
            String before = config("alpha", "10.42.1.1", self + peer("BETA", "10.42.2.0/24"), bootstrap("BETA", betaAt));
            NodeRunner alpha = run("alpha", new byte[32], before);
            nodes.add(alpha);
            Path file = dir.resolve("alpha/vine.toml");
            String control = "127.0.0.1:" + alpha.controlAddress().getPort();
            Path token = dir.resolve("alpha/alpha.token");
            assertThat(alpha.node().config().signalingUpgrade()).as("allow_signaling_upgrade = false is kept").isFalse();

            TwoNodes.await(() -> "direct".equals(path(control, token, BETA)), "alpha's direct session to beta");
            List<String> betaConnections = connections(control, token, BETA);
            assertThat(betaConnections).hasSize(1);
            assertThat(peerIds(control, token)).doesNotContain(GAMMA);

            // gamma is added to the allowlist and the bootstrap peers
            Files.writeString(file, config("alpha", "10.42.1.1", self + peer("BETA", "10.42.2.0/24") + peer("GAMMA", "10.42.3.0/24"),
                    bootstrap("BETA", betaAt) + bootstrap("GAMMA", gammaAt)));
            String detail = hook(control, token);
            assertThat(detail).startsWith("reload: applied: added [" + GAMMA + "], removed [], changed [], kept 1");
            TwoNodes.await(() -> "direct".equals(path(control, token, GAMMA)), "alpha admits gamma and reaches it directly");
            assertThat(peerIds(control, token)).contains(GAMMA);
            assertThat(connections(control, token, BETA)).as("beta's session keeps its connection").isEqualTo(betaConnections);
            assertThat(alpha.node().ping(TestConfigs.GAMMA).get()).isPositive();

            // an invalid file and a restart-only change apply nothing
            String good = Files.readString(file);
            Files.writeString(file, good.replace("[policy]", "[policy]\nbogus = 1"));
            assertThat(hook(control, token)).startsWith("reload: refused, nothing applied: ").contains("policy.bogus");
            Files.writeString(file, good.replace("prefix_len = 16", "prefix_len = 16\nmtu = 1300").replace("prefix = \"10.42.3.0/24\"",
                    "prefix = \"10.42.33.0/24\""));
            assertThat(hook(control, token)).isEqualTo(
                    "reload: refused, nothing applied: tun changed, which only a restart applies (vine down; vine up)");
            assertThat(peerIds(control, token)).contains(GAMMA);
            assertThat(connections(control, token, BETA)).isEqualTo(betaConnections);
            Files.writeString(file, good);
            assertThat(hook(control, token)).isEqualTo("reload: config unchanged");
            assertThat(alpha.logs().tail(200)).anyMatch(l -> l.contains("reload: applied: added [" + GAMMA));
        } finally {
            nodes.reversed().forEach(NodeRunner::close);
        }
    }

    private static String hook(String control, Path token) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + control + "/p2p/admin/hook"))
                .header("Authorization", "Bearer " + Tokens.read(token))
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"reload\"}")).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("detail").asText();
    }

    private static JsonNode json(String control, Path token, String command) {
        CliRun r = CliRun.run(command, "--control", control, "--token-file", token.toString(), "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        try {
            return JSON.readTree(r.out());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode session(String control, Path token, String peer) {
        for (JsonNode s : json(control, token, "sessions")) {
            if (s.get("peerId").asText().equals(peer)) {
                return s;
            }
        }
        return null;
    }

    private static String path(String control, Path token, String peer) {
        JsonNode s = session(control, token, peer);
        return s == null ? null : s.get("path").asText();
    }

    private static List<String> connections(String control, Path token, String peer) {
        return session(control, token, peer).get("paths").findValuesAsText("connectionId");
    }

    private static List<String> peerIds(String control, Path token) {
        return json(control, token, "peers").findValuesAsText("peerId");
    }

}
