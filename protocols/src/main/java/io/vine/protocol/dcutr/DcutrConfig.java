package io.vine.protocol.dcutr;

import java.time.Duration;

/**
 * Settings of {@link Dcutr}. Immutable; start from {@link #DEFAULT}.
 *
 * @param maxAttempts CONNECT/SYNC rounds the initiating peer runs before it gives up (the spec: 3)
 * @param messageTimeout how long a peer waits for the other's next message
 * @param dialTimeout how long one round waits for a direct connection after SYNC
 */
public record DcutrConfig(int maxAttempts, Duration messageTimeout, Duration dialTimeout) {

    /** 3 attempts, 10 s per message, 15 s per dial round. */
    public static final DcutrConfig DEFAULT = new DcutrConfig(3, Duration.ofSeconds(10), Duration.ofSeconds(15));

    public DcutrConfig {
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: 1 to 10)");
        }
        positive("messageTimeout", messageTimeout);
        positive("dialTimeout", dialTimeout);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
        }
    }

    public DcutrConfig withMaxAttempts(int value) {
        return new DcutrConfig(value, messageTimeout, dialTimeout);
    }

    public DcutrConfig withMessageTimeout(Duration value) {
        return new DcutrConfig(maxAttempts, value, dialTimeout);
    }

    public DcutrConfig withDialTimeout(Duration value) {
        return new DcutrConfig(maxAttempts, messageTimeout, value);
    }
}
