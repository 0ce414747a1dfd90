package io.vine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** Proves the build's leak check sees a leak: a buffer dropped without release is reported. */
class RecordingLeakDetectorTest {

    @Test
    void aDroppedBufferIsReported() throws InterruptedException {
        leak();
        boolean reported = false;
        for (int i = 0; i < 20 && !reported; i++) {
            System.gc();
            Thread.sleep(20);
            for (int j = 0; j < 16; j++) {
                PooledByteBufAllocator.DEFAULT.directBuffer(8).release();
            }
            reported = RecordingLeakDetector.drain().stream().anyMatch(l -> l.contains("LEAK"));
        }
        assertThat(reported).as("a leak of an unreleased buffer is reported").isTrue();
    }

    private static void leak() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeLong(42);
    }
}
