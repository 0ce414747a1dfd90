package io.vine.showcase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/multi-pc/showcase.sh} as a whole: four real vine nodes in network namespaces with
 * TUN devices (root only; skipped elsewhere). The script checks each step itself and exits non-zero
 * with {@code FAILED: ...} when one does not happen.
 */
class MultiPcShowcaseRootTest {
    private static final Path SCRIPT = Path.of(System.getProperty("user.dir"))
            .resolve("../examples/multi-pc/showcase.sh").normalize();

    @Test
    void directRelayedAndFallbackPathsAllCarryPings(@TempDir Path dir) throws Exception {
        assumeTrue(available(), "needs root, ip, iptables, jq and /dev/net/tun");
        Path log = dir.resolve("showcase.log");
        Process p = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(300, TimeUnit.SECONDS);
        if (!done) {
            // SIGTERM: the script's trap stops its nodes and removes its namespaces
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(done).as("finished within 300 s:\n%s", out).isTrue();
        assertThat(p.exitValue()).as("exit code; output:\n%s", out).isZero();
        assertThat(out).contains("alpha -> beta: direct", "gamma -> alpha: relay", "alpha -> beta: relay",
                "showcase ok").doesNotContain("FAILED");
    }

    private static boolean available() {
        if (!ProcessHandle.current().info().user().map("root"::equals).orElse(false) || !Files.exists(Path.of("/dev/net/tun"))) {
            return false;
        }
        for (String tool : new String[] {"ip", "iptables", "jq"}) {
            try {
                Process p = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    return false;
                }
            } catch (Exception e) {
                return false;
            }
        }
        return true;
    }
}
