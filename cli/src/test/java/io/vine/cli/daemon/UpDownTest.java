package io.vine.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vine.cli.CliRun;
import io.vine.cli.config.TestConfigs;
import io.vine.cli.control.TwoNodes;
import io.vine.core.peer.IdentityFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vine up --daemon / signals / vine down, in a child JVM with an in-memory TUN device. */
class UpDownTest {
    @TempDir
    Path dir;

    private Path config() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        IdentityFile.save(dir.resolve("alpha.key"), TestConfigs.SELF_KEY);
        Path file = dir.resolve("vine.toml");
        Files.writeString(file, TestConfigs.ids("""
                [node]
                name = "alpha"
                network_id = "vine-test"
                identity_path = "alpha.key"
                listen = ["/ip4/127.0.0.1/tcp/0"]
                [tun]
                address = "10.42.1.1"
                prefix_len = 16
                [[allowed_peers]]
                peer_id = "SELF"
                prefix = "10.42.1.0/24"
                [control]
                listen = "127.0.0.1:%d"
                """.formatted(port)));
        return file;
    }

    @Test
    void daemonAnswersSignalsAndStopsGracefully() throws Exception {
        Path file = config();
        CliRun up = CliRun.run("up", "-c", file.toString(), "--daemon", "--memory-tun");
        assertThat(up.exit()).as(up.err() + up.out()).isZero();
        assertThat(up.out()).startsWith("started pid ");
        long pid = PidFile.read(dir.resolve("vine.pid")).orElseThrow();
        ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
        try {
            CliRun status = CliRun.run("status", "-c", file.toString(), "--format", "json");
            assertThat(status.exit()).as(status.err()).isZero();
            assertThat(new ObjectMapper().readTree(status.out()).get("peerId").asText()).isEqualTo(TestConfigs.SELF.toBase58());
            assertThat(PosixPermissions.of(dir.resolve("control.token"))).isEqualTo("rw-------");

            CliRun again = CliRun.run("up", "-c", file.toString(), "--daemon", "--memory-tun");
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.err()).contains("already running: pid " + pid);

            kill("-HUP", pid);
            TwoNodes.await(() -> log(file).contains("reload: config unchanged"), "reload logged");
            String unchanged = Files.readString(file);
            Files.writeString(file, unchanged.replace("[control]", TestConfigs.ids(
                    "[[allowed_peers]]\npeer_id = \"BETA\"\nprefix = \"10.42.2.0/24\"\n[control]")));
            kill("-HUP", pid);
            TwoNodes.await(() -> log(file).contains("reload: applied: added [" + TestConfigs.BETA + "]"), "reload applied");
            CliRun peers = CliRun.run("peers", "-c", file.toString(), "--format", "json");
            assertThat(new ObjectMapper().readTree(peers.out()).findValuesAsText("peerId")).contains(TestConfigs.BETA.toBase58());
            Files.writeString(file, Files.readString(file).replace("/tcp/0\"]", "/tcp/0\", \"/ip4/127.0.0.1/tcp/0\"]"));
            kill("-HUP", pid);
            TwoNodes.await(() -> log(file).contains("reload: refused, nothing applied: node.listen changed"), "reload refused");
            kill("-USR1", pid);
            TwoNodes.await(() -> log(file).contains("snapshot DebugSnapshot["), "snapshot logged");
            assertThat(child.isAlive()).isTrue();

            CliRun down = CliRun.run("down", "-c", file.toString());
            assertThat(down.exit()).as(down.err()).isZero();
            assertThat(down.out()).isEqualTo("stopped pid " + pid + System.lineSeparator());
            assertThat(child.isAlive()).isFalse();
            assertThat(Files.exists(dir.resolve("vine.pid"))).isFalse();
            assertThat(Files.readString(dir.resolve("vine.log"))).contains("stopping (signal)").contains("node STOPPED");

            CliRun downAgain = CliRun.run("down", "-c", file.toString());
            assertThat(downAgain.exit()).isEqualTo(1);
            assertThat(downAgain.err()).contains("not running: no pid file");
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aBadConfigNeverStartsAndStalePidFilesAreNamed() throws Exception {
        Path file = config();
        Files.writeString(file, Files.readString(file).replace("prefix_len = 16", "prefix_len = 16\nmtu = 1"));
        CliRun up = CliRun.run("up", "-c", file.toString(), "--daemon", "--memory-tun");
        assertThat(up.exit()).isEqualTo(1);
        assertThat(up.err()).contains("vine.toml:9: tun.mtu: 1 (expected: 576 to 65535)");
        assertThat(Files.exists(dir.resolve("vine.pid"))).isFalse();

        Files.writeString(dir.resolve("stale.pid"), "999999999\n");
        CliRun down = CliRun.run("down", "--pid-file", dir.resolve("stale.pid").toString());
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).contains("stale pid file");
        Files.writeString(dir.resolve("junk.pid"), "hello\n");
        assertThat(CliRun.run("down", "--pid-file", dir.resolve("junk.pid").toString()).err()).contains("expected: a process id");
        assertThat(CliRun.run("down").exit()).isEqualTo(2);
    }

    private static String log(Path file) {
        try {
            return Files.readString(file.resolveSibling("vine.log"));
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static void kill(String signal, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    static final class PosixPermissions {
        static String of(Path p) throws java.io.IOException {
            return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        }
    }
}
