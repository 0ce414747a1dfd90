package io.vine.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vine.cli.CliRun;
import io.vine.cli.control.TwoNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorTest {
    @TempDir
    Path dir;

    private static Map<String, JsonNode> checks(CliRun r) throws Exception {
        JsonNode o = new ObjectMapper().readTree(r.out());
        Map<String, JsonNode> m = new HashMap<>();
        o.get("checks").forEach(c -> m.put(c.get("name").asText(), c));
        assertThat(o.get("ok").asBoolean()).isEqualTo(r.exit() == 0);
        return m;
    }

    @Test
    void checksConfigIdentityAndThatTheBootstrapPeerAnswers() throws Exception {
        try (TwoNodes nodes = new TwoNodes(dir)) {
            CliRun r = CliRun.run("doctor", "-c", nodes.alphaConfig.toString(), "--format", "json");
            Map<String, JsonNode> c = checks(r);
            assertThat(c.get("config").get("status").asText()).isEqualTo("ok");
            assertThat(c.get("identity").get("detail").asText()).contains("10.42.1.0/24");
            assertThat(c).containsKeys("tun", "capability", "listen");
            String bootstrap = c.keySet().stream().filter(k -> k.startsWith("bootstrap ")).findFirst().orElseThrow();
            assertThat(c.get(bootstrap).get("status").asText()).isEqualTo("ok");
            assertThat(c.get(bootstrap).get("detail").asText()).contains("answers").contains(TwoNodes.beta().toBase58());

            CliRun text = CliRun.run("doctor", "-c", nodes.alphaConfig.toString());
            assertThat(text.out()).contains("ok    config").containsPattern("(ok|FAIL)\\s+capability");
        }
    }

    @Test
    void failsOnABadConfigAndOnASilentBootstrapPeer() throws Exception {
        try (TwoNodes nodes = new TwoNodes(dir)) {
            String text = Files.readString(nodes.alphaConfig);
            String port = nodes.beta.node().swarm().listenAddresses().get(0).toString().replaceAll(".*/tcp/", "");
            Files.writeString(nodes.alphaConfig, text.replace("/tcp/" + port, "/tcp/1"));
            CliRun r = CliRun.run("doctor", "-c", nodes.alphaConfig.toString(), "--format", "json");
            assertThat(r.exit()).isEqualTo(1);
            JsonNode b = checks(r).entrySet().stream().filter(e -> e.getKey().startsWith("bootstrap ")).findFirst().orElseThrow().getValue();
            assertThat(b.get("status").asText()).isEqualTo("fail");
            assertThat(b.get("detail").asText()).contains("/tcp/1").contains("does not answer");

            Files.writeString(nodes.alphaConfig, text.replace("prefix_len = 16", "prefix_len = 99"));
            CliRun bad = CliRun.run("doctor", "-c", nodes.alphaConfig.toString(), "--format", "json");
            assertThat(bad.exit()).isEqualTo(1);
            assertThat(checks(bad).get("config").get("detail").asText()).contains("tun.prefix_len: 99 (expected: 1 to 32)");
            assertThat(checks(bad)).doesNotContainKey("identity");
        }
    }
}
