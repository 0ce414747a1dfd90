package io.vine.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class whose code leaked a Netty buffer. Registered for every test through JUnit's
 * extension auto-detection (the service file beside this class; the parent pom turns detection on).
 * After the class, it collects garbage and allocates a little so that Netty's detector reports
 * what was lost, then fails with those reports.
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        List<String> earlier = RecordingLeakDetector.drain();
        if (!earlier.isEmpty()) {
            throw new AssertionError("buffers leaked before " + context.getDisplayName() + ":\n" + String.join("\n", earlier));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            System.runFinalization();
            Thread.sleep(30);
            // The detector looks for collected, unreleased buffers when new ones are tracked.
            for (int j = 0; j < 16; j++) {
                touch(PooledByteBufAllocator.DEFAULT.directBuffer(8));
                touch(PooledByteBufAllocator.DEFAULT.heapBuffer(8));
                touch(UnpooledByteBufAllocator.DEFAULT.directBuffer(8));
                touch(Unpooled.buffer(8));
            }
        }
        List<String> leaks = RecordingLeakDetector.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) in " + context.getDisplayName()
                    + ":\n" + String.join("\n\n", leaks));
        }
    }

    private static void touch(ByteBuf buf) {
        buf.release();
    }
}
