package io.vine.examples.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BandwidthPerfTest {

    @Test
    void localRunOverMemoryPrintsTheResult() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            BandwidthPerf.main(new String[] {"local", "--bytes", "1000000", "--transport", "memory", "--security", "plaintext"});
        } finally {
            System.setOut(old);
        }
        assertThat(out.toString(StandardCharsets.UTF_8))
                .containsPattern("upload +[0-9.]+ Gbit/s \\(1000000 bytes")
                .containsPattern("download +[0-9.]+ Gbit/s \\(1000000 bytes")
                .contains("total");
    }
}
