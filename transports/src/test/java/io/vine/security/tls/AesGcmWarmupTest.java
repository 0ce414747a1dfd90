package io.vine.security.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AesGcmWarmupTest {
    @Test
    void everyWarmUpRecordOpensToWhatWasSealed() throws Exception {
        assertThat(AesGcmWarmup.run(64)).isEqualTo(64);
    }

    @Test
    void theFirstTlsSecurityStartsOneWarmUpThreadThatEndsByItself() throws Exception {
        new TlsSecurity();
        new TlsSecurity();
        assertThat(AesGcmWarmup.started()).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (warmUpThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(warmUpThreads()).as("warm-up threads still running after 30 s").isZero();
    }

    private static long warmUpThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("vine-tls-warmup")).count();
    }
}
