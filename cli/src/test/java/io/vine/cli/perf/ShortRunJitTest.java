package io.vine.cli.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.vine.cli.perf.ShortRunJit.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShortRunJitTest {
    private static final long GIB = 1L << 30;

    @AfterEach
    void restoreThisJvmsPolicy() throws Exception {
        ShortRunJit.remove();
    }

    @Test
    void autoChoosesTheShortRunPolicyOnlyForRunsOfUpTo8GibInAll() {
        assertThat(Mode.auto.quickFor(GIB, GIB)).isTrue();
        assertThat(Mode.auto.quickFor(8 * GIB, 0)).isTrue();
        assertThat(Mode.auto.quickFor(4 * GIB, 4 * GIB + 1)).isFalse();
        assertThat(Mode.auto.quickFor(Long.MAX_VALUE, Long.MAX_VALUE)).as("no overflow").isFalse();
        assertThat(Mode.quick.quickFor(Long.MAX_VALUE, Long.MAX_VALUE)).isTrue();
        assertThat(Mode.full.quickFor(0, 0)).isFalse();
    }

    @Test
    void applyPutsTheDirectivesIntoThisJvmOnceAndRemoveTakesThemOut() throws Exception {
        assertThat(ShortRunJit.apply()).isNull();
        String installed = ShortRunJit.diagnosticCommand("compilerDirectivesPrint");
        assertThat(installed).contains("matching: com/sun/crypto/provider/*.*").contains("matching: *.*");

        assertThat(ShortRunJit.apply()).as("a second call adds nothing").isNull();
        String again = ShortRunJit.diagnosticCommand("compilerDirectivesPrint");
        assertThat(again.split("matching: com/sun/crypto/provider/", -1)).hasSize(2);

        assertThat(ShortRunJit.remove()).isTrue();
        assertThat(ShortRunJit.diagnosticCommand("compilerDirectivesPrint"))
                .doesNotContain("com/sun/crypto/provider");
        assertThat(ShortRunJit.remove()).as("nothing left to remove").isFalse();
    }
}
