package io.vine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code vine demo} tells its stories, and each one actually happened on the overlay. */
class DemoCommandTest {

    @Test
    void theOverlayStoriesHappenAsTold() {
        StringWriter text = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(text, true));

        int exit = cl.execute("demo");

        String out = text.toString();
        assertThat(exit).as(out).isZero();
        assertThat(out)
                .contains("alpha's TUN -> beta's TUN: \"hello beta\"", "path DIRECT")
                .contains("gamma's TUN -> beta's TUN: \"hello beta, hole-punched\"", "path SIGNALING_ASSISTED (history RELAY -> SIGNALING_ASSISTED)")
                .containsPattern("gamma signaling_upgrades=[1-9]")
                .doesNotContain("not shown yet")
                .contains("gamma's TUN -> alpha's TUN: \"hello alpha, via the relay\"", "path RELAY")
                .contains("alpha's TUN -> beta's TUN: \"still here, via the relay\"")
                .containsPattern("fallback_transitions=[1-9]")
                .contains("still owned by beta: true")
                .containsPattern("promotions=[1-9]")
                .doesNotContain("FAILED");
    }
}
