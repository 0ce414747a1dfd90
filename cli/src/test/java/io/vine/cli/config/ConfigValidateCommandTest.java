package io.vine.cli.config;

import static io.vine.cli.config.TestConfigs.SELF;
import static io.vine.cli.config.TestConfigs.replaceLine;
import static io.vine.cli.config.TestConfigs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vine.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValidateCommandTest {
    @TempDir
    Path dir;

    @Test
    void validConfigPrintsSummaryAndExitsZero() throws Exception {
        Path file = TestConfigs.write(dir, valid());
        CliRun r = CliRun.run("config", "validate", "-c", file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("config ok: " + file).contains(SELF.toBase58()).contains("local prefix  10.42.1.0/24");

        CliRun json = CliRun.run("config", "validate", "-c", file.toString(), "--format", "json");
        JsonNode o = new ObjectMapper().readTree(json.out());
        assertThat(o.get("valid").asBoolean()).isTrue();
        assertThat(o.get("peerId").asText()).isEqualTo(SELF.toBase58());
        assertThat(o.get("localPrefix").asText()).isEqualTo("10.42.1.0/24");
        assertThat(o.get("allowedPeers").asInt()).isEqualTo(2);
    }

    @Test
    void badKeyExitsOneWithFileLineKey() throws Exception {
        Path file = TestConfigs.write(dir, replaceLine(valid(), 12, "mtu = \"x\""));
        CliRun r = CliRun.run("config", "validate", "-c", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("error: " + file + ":12: tun.mtu: the string \"x\" (expected: an integer)");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void configWritableByGroupIsRefused() throws Exception {
        Path file = TestConfigs.write(dir, valid());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        CliRun r = CliRun.run("config", "validate", "-c", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(file + ": config file permissions rw-rw-r--: writable by its group or others");
    }

    @Test
    void identityReadableByOthersIsRefused() throws Exception {
        Path file = TestConfigs.write(dir, valid());
        Files.setPosixFilePermissions(dir.resolve("alpha.key"), PosixFilePermissions.fromString("rw-r-----"));
        CliRun r = CliRun.run("config", "validate", "-c", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(file + ":5: node.identity_path: ").contains("usable by others than its owner");
    }

    @Test
    void missingFilesAreNamed() throws Exception {
        CliRun r = CliRun.run("config", "validate", "-c", dir.resolve("nope.toml").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("nope.toml: config file does not exist");

        Path file = TestConfigs.write(dir, valid());
        Files.delete(dir.resolve("alpha.key"));
        CliRun noKey = CliRun.run("config", "validate", "-c", file.toString());
        assertThat(noKey.exit()).isEqualTo(1);
        assertThat(noKey.err()).contains("node.identity_path: ").contains("does not exist (create it with: vine identity init");
    }

    @Test
    void localPeerMustOwnTheLocalPrefix() throws Exception {
        // SELF's entry claims another prefix than tun.local_prefix.
        Path file = TestConfigs.write(dir,
                replaceLine(replaceLine(valid(), 10, "address = \"10.42.3.1\""), 13, "local_prefix = \"10.42.3.0/24\""));
        CliRun r = CliRun.run("config", "validate", "-c", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(":14: allowed_peers.prefix: the local peer " + SELF + " owns 10.42.1.0/24");
    }

    @Test
    void missingOptionIsAUsageError() {
        CliRun r = CliRun.run("config", "validate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option");
    }

    @Test
    void withoutAnEntryForThisNodeTheHintSaysWhy() throws Exception {
        // SELF's entry replaced by GAMMA: the local prefix becomes 10.42.0.0/16 and overlaps the peers.
        Path file = TestConfigs.write(dir, replaceLine(valid(), 15, "peer_id = \"GAMMA\""));
        CliRun r = CliRun.run("config", "validate", "-c", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(file + ":14: allowed_peers[0].prefix: 10.42.1.0/24 overlaps localPrefix 10.42.0.0/16")
                .contains("no [[allowed_peers]] entry has this node's peer id " + SELF);
    }

    @Test
    void tokenFileReadableByOthersIsRefused() throws Exception {
        Path file = TestConfigs.write(dir, valid());
        Files.writeString(dir.resolve("control.token"), "secret\n");
        Files.setPosixFilePermissions(dir.resolve("control.token"), PosixFilePermissions.fromString("rw-r--r--"));
        CliRun r = CliRun.run("config", "validate", "-c", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(file + ":38: control.token_file: ").contains("token file permissions rw-r--r--");
    }
}
