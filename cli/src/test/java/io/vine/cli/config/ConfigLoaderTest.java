package io.vine.cli.config;

import static io.vine.cli.config.TestConfigs.BETA;
import static io.vine.cli.config.TestConfigs.SELF;
import static io.vine.cli.config.TestConfigs.ids;
import static io.vine.cli.config.TestConfigs.replaceLine;
import static io.vine.cli.config.TestConfigs.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vine.tun.IpPrefix;
import io.vine.tun.overlay.RelayLimits;
import io.vine.tun.overlay.VineConfig;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    private static final Path FILE = Path.of("vine.toml");

    @Test
    void readsEveryKeyAndMapsOntoVineConfig() {
        NodeConfig c = ConfigLoader.parse(FILE, ids(valid()));
        assertThat(c.node().name()).isEqualTo("alpha");
        assertThat(c.node().networkId()).isEqualTo("vine-test");
        assertThat(c.node().identityPath()).isEqualTo(FILE.toAbsolutePath().getParent().resolve("alpha.key"));
        assertThat(c.node().listen()).hasSize(1);
        assertThat(c.tun().address()).isEqualTo(IpPrefix.parse("10.42.1.1/16"));
        assertThat(c.tun().mtu()).isEqualTo(1420);
        assertThat(c.allowedPeers()).extracting(NodeConfig.AllowedPeer::line).containsExactly(14, 19);
        assertThat(c.allowedPeers().get(1).relayCapable()).isTrue();
        assertThat(c.bootstrapPeers().get(0).address().toString()).endsWith("/p2p/" + BETA.toBase58());
        assertThat(c.control().listen().getPort()).isEqualTo(7070);
        assertThat(c.control().listen().getAddress().isLoopbackAddress()).isTrue();

        VineConfig v = c.toVineConfig(SELF);
        assertThat(v.localPrefix()).isEqualTo(IpPrefix.parse("10.42.1.0/24"));
        assertThat(v.networkId()).isEqualTo("vine-test");
        assertThat(v.allowlist()).hasSize(2);
        assertThat(v.entry(BETA).orElseThrow().relay()).isTrue();
        assertThat(v.bootstrap()).hasSize(1);
        assertThat(v.strictAllowlist()).isTrue();
        assertThat(v.relay()).isFalse();
        assertThat(v.signalingUpgrade()).isFalse();
        String upgrade = ids(valid()).replace("allow_signaling_upgrade = false", "allow_signaling_upgrade = true");
        assertThat(ConfigLoader.parse(FILE, upgrade).toVineConfig(SELF).signalingUpgrade()).isTrue();
    }

    @Test
    void defaultsAndOptionalSections() {
        String minimal = """
                [node]
                network_id = "n"
                identity_path = "/k"
                [tun]
                address = "fd00::1"
                prefix_len = 64
                """;
        NodeConfig c = ConfigLoader.parse(FILE, minimal);
        assertThat(c.control().listen().toString()).contains("127.0.0.1:7070");
        assertThat(c.tun().mtu()).isEqualTo(1420);
        assertThat(c.policy().strictAllowlist()).isTrue();
        assertThat(c.policy().allowRelay()).isTrue();
        assertThat(c.relay().enabled()).isFalse();
        assertThat(c.relay().maxCircuitBytes()).isEmpty();
        assertThat(c.relay().maxCircuitDurationSecs()).isEmpty();
        assertThat(c.toVineConfig(SELF).relayLimits().limitsCircuits()).isFalse();
        assertThat(c.relay().maxCircuits()).isEqualTo(16);
        assertThat(c.policy().allowSignalingUpgrade()).isTrue();
        assertThat(c.toVineConfig(SELF).signalingUpgrade()).isTrue();
        assertThat(c.toVineConfig(SELF).localPrefix()).isEqualTo(IpPrefix.parse("fd00::/64"));
    }

    @Test
    void allowRelayFalseTakesEveryRelayFlagAsFalse() {
        String text = replaceLine(ids(valid()), 30, "allow_relay = false");
        assertThat(ConfigLoader.parse(FILE, text).toVineConfig(SELF).entry(BETA).orElseThrow().relay()).isFalse();
    }

    @Test
    void explicitLocalPrefixWins() {
        String text = replaceLine(ids(valid()), 13, "local_prefix = \"10.42.1.0/24\"");
        assertThat(ConfigLoader.parse(FILE, text).tun().localPrefix()).contains(IpPrefix.parse("10.42.1.0/24"));
        String bad = replaceLine(ids(valid()), 13, "local_prefix = \"10.42.2.0/25\"");
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, bad)).hasMessageStartingWith("vine.toml:13: tun.local_prefix: ");
    }

    @ParameterizedTest(name = "line {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            12 | mtu = "big"                                  | 12 | tun.mtu             | expected: an integer
            12 | mtu = 100                                    | 12 | tun.mtu             | 576 to 65535
            12 | mtu = 99999999999999999999                   | 12 | tun.mtu             | out of range
            13 | mtu = 1500                                   | 13 | tun.mtu             | defined twice
            11 | prefix_len = 33                              | 11 | tun.prefix_len      | 1 to 32
            11 | prefix_len = true                            | 11 | tun.prefix_len      | expected: an integer
            10 | address = "10.42.1.1/16"                     | 10 | tun.address         | prefix_len
            10 | address = 42                                 | 10 | tun.address         | expected: a string
            9  | name = "this-name-is-far-too-long"           | 9  | tun.name            | 1 to 15
            4  | network_id = "bad id!"                       | 4  | node.network_id     | 1 to 64
            6  | listen = ["/ip4/1.2.3.4/tcpx/1"]             | 6  | node.listen[0]      | not a multiaddr
            6  | listen = "/ip4/1.2.3.4/tcp/1"                | 6  | node.listen         | expected: an array
            6  | listen = [1]                                 | 6  | node.listen         | expected: a multiaddr
            3  | nmae = "x"                                   | 3  | node.nmae           | unknown key
            7  | pid_file = 3                                 | 7  | node.pid_file       | expected: a string
            3  | name = "unterminated                         | 3  | node.name           | unterminated string
            3  | name = "a" "b"                               | 3  | node.name           | expected: end of line
            3  | name = {a = 1}                               | 3  | node.name           | inline tables
            3  | node.name = "x"                              | 3  | node.node           | dotted keys
            15 | peer_id = "notapeer"                         | 15 | allowed_peers[0].peer_id | not a peer id
            16 | prefix = "10.42.1.0/99"                      | 16 | allowed_peers[0].prefix  | not an IP prefix
            16 | prefixx = "10.42.1.0/24"                     | 14 | allowed_peers[0].prefix  | missing
            21 | prefix = "10.42.1.128/25"                    | 21 | allowed_peers[1].prefix  | overlaps allowed_peers[0].prefix
            20 | peer_id = "SELF"                             | 20 | allowed_peers[1].peer_id | already allowed_peers[0]
            22 | relay_capable = "yes"                        | 22 | allowed_peers[1].relay_capable | true or false
            25 | peer_id = "GAMMA"                            | 25 | bootstrap_peers[0].peer_id | not in [[allowed_peers]]
            26 | address = "/ip4/127.0.0.1/tcp/4001/p2p/SELF" | 26 | bootstrap_peers[0].address | expected: peer_id
            26 | address = "not/a/multiaddr"                  | 26 | bootstrap_peers[0].address | not a multiaddr
            29 | strict_allowlist = 1                         | 29 | policy.strict_allowlist | true or false
            31 | allow_signaling_upgrade = "no"               | 31 | policy.allow_signaling_upgrade | true or false
            34 | enabled = maybe                              | 34 | relay.enabled       | is not a value
            35 | max_circuits = 0                             | 35 | relay.max_circuits  | 1 to 1000000
            37 | listen = "127.0.0.1:99999"                   | 37 | control.listen      | out of range
            37 | listen = "nohost"                            | 37 | control.listen      | missing :port
            37 | listen = "example.org:7070"                  | 37 | control.listen      | not host:port
            38 | token = "x"                                  | 38 | control.token       | unknown key
            36 | [controls]                                   | 36 | controls            | unknown table
            28 | [[policy]]                                   | 28 | policy              | is a table
            24 | [bootstrap_peers]                            | 24 | bootstrap_peers     | expected: [[bootstrap_peers]]
            8  | [node]                                       | 8  | node                | defined twice
            """)
    void refusesWithFileLineAndKey(int line, String replacement, int expectedLine, String key, String detail) {
        String text = ids(replaceLine(valid(), line, replacement));
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, text))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("vine.toml:" + expectedLine + ": " + key + ": ")
                .hasMessageContaining(detail)
                .satisfies(e -> {
                    assertThat(((ConfigException) e).line()).isEqualTo(expectedLine);
                    assertThat(((ConfigException) e).key()).isEqualTo(key);
                });
    }

    @Test
    void missingTablesAndKeysAreNamed() {
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, "[node]\nnetwork_id = \"n\"\nidentity_path = \"k\"\n"))
                .hasMessage("vine.toml: tun: missing table (expected: [tun])");
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, "[node]\nidentity_path = \"k\"\n"))
                .hasMessage("vine.toml:1: node.network_id: missing (expected: a string)");
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, "x = 1\n"))
                .hasMessageStartingWith("vine.toml:1: x: key outside any table");
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, "[node\n"))
                .hasMessageStartingWith("vine.toml:1: node: expected ']'");
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, "[node]\nlisten = [\"a\",\n"))
                .hasMessageStartingWith("vine.toml:2: node.listen: unterminated array");
        assertThatThrownBy(() -> ConfigLoader.parse(FILE, "[node]\nname = \"bad \\q escape\"\n"))
                .hasMessageStartingWith("vine.toml:2: node.name: bad escape");
    }

    @Test
    void tomlSubsetReadsStringsArraysAndComments() {
        String text = """
                [node] # comment
                name = 'lit\\eral'
                network_id = "a\\u0041b"   # trailing
                identity_path = "k"
                listen = [
                  "/ip4/127.0.0.1/tcp/1", # first
                  "/ip4/127.0.0.1/tcp/2",
                ]
                [tun]
                address = "10.0.0.1"
                prefix_len = +8
                mtu = 1_500
                """;
        NodeConfig c = ConfigLoader.parse(FILE, text);
        assertThat(c.node().name()).isEqualTo("lit\\eral");
        assertThat(c.node().networkId()).isEqualTo("aAb");
        assertThat(c.node().listen()).hasSize(2);
        assertThat(c.tun().mtu()).isEqualTo(1500);
        assertThat(c.tun().address().length()).isEqualTo(8);
    }

    @Test
    void theExampleConfigReadsEveryKey() throws Exception {
        String text;
        try (var in = getClass().getResourceAsStream("example.toml")) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        NodeConfig c = ConfigLoader.parse(FILE, text);
        assertThat(c.allowedPeers()).hasSize(2);
        assertThat(c.bootstrapPeers()).hasSize(1);
        assertThat(c.relay().maxCircuitBytes()).hasValue(131072);
        assertThat(c.relay().maxCircuitDurationSecs()).hasValue(120);
        RelayLimits limits = c.toVineConfig(c.allowedPeers().get(0).peerId()).relayLimits();
        assertThat(limits).isEqualTo(new RelayLimits(128, 16, java.util.Optional.of(java.time.Duration.ofSeconds(120)),
                java.util.OptionalLong.of(131072)));
        assertThat(c.policy().allowSignalingUpgrade()).isTrue();
        assertThat(c.control().tokenFile().getFileName().toString()).isEqualTo("control.token");
        assertThat(c.toVineConfig(c.allowedPeers().get(0).peerId()).localPrefix()).isEqualTo(IpPrefix.parse("10.42.1.0/24"));
    }
}
