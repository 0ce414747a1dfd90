package io.vine.protocol.dcutr;

import java.util.Map;

/**
 * A snapshot of what {@link Dcutr} did since it started.
 *
 * @param attempts CONNECT/SYNC rounds run, in either role
 * @param successes hole punches that produced a direct connection
 * @param failures hole punches that gave up
 * @param failureReasons failures by reason: {@code dial-failed} (no direct connection in any round),
 *     {@code timeout} (the peer's message did not come), {@code no-addresses} (nothing to dial),
 *     {@code malformed} (the peer's message was bad; the stream was reset), {@code stream-closed},
 *     {@code unsupported} (the peer does not speak DCUtR)
 * @param malformedMessages bad messages received (each reset its stream)
 */
public record DcutrCounters(long attempts, long successes, long failures, Map<String, Long> failureReasons,
        long malformedMessages) {
    public DcutrCounters {
        failureReasons = Map.copyOf(failureReasons);
    }
}
