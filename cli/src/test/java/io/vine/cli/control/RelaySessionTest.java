package io.vine.cli.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vine.cli.CliRun;
import io.vine.cli.config.ConfigLoader;
import io.vine.cli.config.ResolvedConfig;
import io.vine.cli.config.TestConfigs;
import io.vine.cli.daemon.NodeRunner;
import io.vine.core.ConnectionGater;
import io.vine.core.Direction;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.IdentityFile;
import io.vine.core.peer.PeerId;
import io.vine.tun.MemoryTunDevice;
import io.vine.tun.session.PathKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** alpha reaches beta only through relay R: vine sessions says "relay" and names R. */
class RelaySessionTest {
    static final PrivKey RELAY_KEY = Keys.ed25519FromSeed(TestConfigs.seed(4));
    static final PeerId RELAY = PeerId.fromPublicKey(RELAY_KEY.publicKey());

    @TempDir
    Path dir;

    /** Refuses direct (non-circuit) connections with {@code blocked}. */
    record NoDirect(PeerId blocked) implements ConnectionGater {
        @Override
        public boolean allowDial(PeerId peer, Multiaddr address) {
            return !blocked.equals(peer) || address.toString().contains("/p2p-circuit");
        }

        @Override
        public boolean allowSecured(Direction direction, PeerId peer, Multiaddr remoteAddress) {
            return !blocked.equals(peer) || remoteAddress.toString().contains("/p2p-circuit");
        }
    }

    private NodeRunner node(String name, PrivKey key, String address, boolean relay, String bootstrap, PeerId blocked)
            throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        IdentityFile.save(d.resolve("node.key"), key);
        Files.writeString(d.resolve("vine.toml"), TestConfigs.ids("""
                [node]
                name = "%s"
                network_id = "vine-test"
                identity_path = "node.key"
                listen = ["/ip4/127.0.0.1/tcp/0"]
                [tun]
                address = "%s"
                prefix_len = 16
                [[allowed_peers]]
                peer_id = "SELF"
                prefix = "10.42.1.0/24"
                [[allowed_peers]]
                peer_id = "BETA"
                prefix = "10.42.2.0/24"
                [[allowed_peers]]
                peer_id = "%s"
                prefix = "10.42.9.0/24"
                relay_capable = true
                %s
                [relay]
                enabled = %s
                [control]
                listen = "127.0.0.1:0"
                """.formatted(name, address, RELAY, bootstrap, relay)));
        return NodeRunner.start(ResolvedConfig.resolve(ConfigLoader.load(d.resolve("vine.toml"))),
                c -> MemoryTunDevice.pair(c).device(), line -> { },
                b -> b.gater(blocked == null ? ConnectionGater.ALLOW_ALL : new NoDirect(blocked)));
    }

    private static String bootstrapTo(NodeRunner n, PeerId id) {
        return "[[bootstrap_peers]]\npeer_id = \"" + id + "\"\naddress = \"" + n.node().swarm().listenAddresses().get(0) + "\"\n";
    }

    @Test
    void sessionThroughARelayNamesTheRelay() throws Exception {
        try (NodeRunner relay = node("relay", RELAY_KEY, "10.42.9.1", true, "", null);
                NodeRunner beta = node("beta", TwoNodes.BETA_KEY, "10.42.2.1", false, bootstrapTo(relay, RELAY), TestConfigs.SELF);
                NodeRunner alpha = node("alpha", TestConfigs.SELF_KEY, "10.42.1.1", false,
                        bootstrapTo(relay, RELAY) + bootstrapTo(beta, TestConfigs.BETA), TestConfigs.BETA)) {
            TwoNodes.await(() -> alpha.node().sessionPath(TestConfigs.BETA).equals(Optional.of(PathKind.RELAY)),
                    "alpha's relayed session to beta");
            String token = Tokens.read(dir.resolve("alpha").resolve("control.token"));
            String control = "127.0.0.1:" + alpha.controlAddress().getPort();
            String tokenFile = dir.resolve("alpha").resolve("control.token").toString();
            CliRun r = CliRun.run("sessions", "--control", control, "--token-file", tokenFile, "--format", "json");
            assertThat(r.exit()).as(r.err()).isZero();
            JsonNode beta0 = null;
            for (JsonNode s : new ObjectMapper().readTree(r.out())) {
                if (s.get("peerId").asText().equals(TestConfigs.BETA.toBase58())) {
                    beta0 = s;
                }
            }
            assertThat(beta0).isNotNull();
            assertThat(beta0.get("path").asText()).isEqualTo("relay");
            assertThat(beta0.get("via").asText()).isEqualTo(RELAY.toBase58());
            CliRun text = CliRun.run("sessions", "--control", control, "--token-file", tokenFile);
            assertThat(text.out()).containsPattern(TestConfigs.BETA.toBase58() + "\\s+10.42.2.0/24\\s+relay\\s+" + RELAY.toBase58());
            assertThat(token).isNotEmpty();
        }
    }
}
