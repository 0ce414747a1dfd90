package io.vine.testing;

import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * A Netty leak detector that records every leak it reports, so that {@link LeakDetectionExtension}
 * can fail the test that leaked. Installed with
 * {@code -Dio.netty.customResourceLeakDetector=io.vine.testing.RecordingLeakDetector} (the parent
 * pom's test argLine), which Netty honours however early its buffer classes load.
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
    private static final List<String> LEAKS = new ArrayList<>();

    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
    }

    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected.");
        super.reportUntracedLeak(resourceType);
    }

    private static void record(String leak) {
        synchronized (LEAKS) {
            LEAKS.add(leak);
        }
    }

    /** The leaks reported since the last call, and forgets them. */
    static List<String> drain() {
        synchronized (LEAKS) {
            List<String> copy = List.copyOf(LEAKS);
            LEAKS.clear();
            return copy;
        }
    }
}
