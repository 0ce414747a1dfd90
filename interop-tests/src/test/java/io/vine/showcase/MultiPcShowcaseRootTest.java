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
 * with {@code FAILED: ...} when one does not happen; this test also checks that every story was told,
 * in order, with {@code vine peers}, {@code vine routes} and {@code vine sessions} at each state.
 */
class MultiPcShowcaseRootTest {
    private static final Path SCRIPT = Path.of(System.getProperty("user.dir"))
            .resolve("../examples/multi-pc/showcase.sh").normalize();
    private static final int TIMEOUT_SECONDS = 540;

    @Test
    void directSignalingAssistedRelayedFallbackAndPromotionPathsAllCarryPings(@TempDir Path dir) throws Exception {
        assumeTrue(available(), "needs root, ip, iptables, jq and /dev/net/tun");
        Path log = dir.resolve("showcase.log");
        Process p = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            // SIGTERM: the script's trap stops its nodes and removes its namespaces
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(done).as("finished within %d s:\n%s", TIMEOUT_SECONDS, out).isTrue();
        assertThat(p.exitValue()).as("exit code; output:\n%s", out).isZero();
        assertThat(out).as(out).doesNotContain("FAILED");
        String[] steps = out.split("\n=== ");
        assertThat(steps).as(out).hasSizeGreaterThanOrEqualTo(9);
        String direct = step(steps, "1. alpha reaches beta directly");
        assertThat(direct).contains("alpha -> beta: direct", "beta -> alpha: direct").containsPattern("[1-3] received");
        String assisted = step(steps, "2. gamma reaches beta after signaling-assisted setup");
        assertThat(assisted).contains("gamma -> beta: signaling-assisted", "beta -> gamma: signaling-assisted").containsPattern("[1-3] received");
        assertThat(assisted).containsPattern("gamma: signaling_upgrades [1-9]");
        String relayed = step(steps, "3. gamma reaches alpha through the relay");
        assertThat(relayed).containsPattern("gamma -> alpha: relay via 12D3KooW\\w+").contains("alpha -> gamma: relay via");
        String cut = step(steps, "4. cut alpha-beta");
        assertThat(cut).containsPattern("alpha -> beta: relay via 12D3KooW\\w+").containsPattern("[1-3] received");
        String back = step(steps, "5. the alpha-beta path returns");
        assertThat(back).containsPattern("alpha -> beta: (direct|signaling-assisted)\n").containsPattern("[1-3] received");
        for (String shown : new String[] {direct, assisted, relayed, cut, back}) {
            assertThat(shown).contains(": vine peers", ": vine routes", ": vine sessions", "10.42.1.0/24");
        }
        assertThat(steps[steps.length - 1]).startsWith("showcase ok");
    }

    /** The output of the step whose header starts with {@code header}. */
    private static String step(String[] steps, String header) {
        for (String s : steps) {
            if (s.startsWith(header)) {
                return s;
            }
        }
        throw new AssertionError("no step '" + header + "' in the showcase output");
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
