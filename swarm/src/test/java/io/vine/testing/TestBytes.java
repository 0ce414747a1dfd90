package io.vine.testing;

import java.util.concurrent.ThreadLocalRandom;

/** Bytes for tests. */
public final class TestBytes {
    private TestBytes() {}

    /** {@code n} random bytes. */
    public static byte[] random(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
