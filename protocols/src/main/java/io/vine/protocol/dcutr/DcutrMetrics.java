package io.vine.protocol.dcutr;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link DcutrCounters}. Thread-safe. */
final class DcutrMetrics {
    static final String DIAL_FAILED = "dial-failed";
    static final String TIMEOUT = "timeout";
    static final String NO_ADDRESSES = "no-addresses";
    static final String MALFORMED = "malformed";
    static final String STREAM_CLOSED = "stream-closed";
    static final String UNSUPPORTED = "unsupported";

    final LongAdder attempts = new LongAdder();
    final LongAdder successes = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder malformed = new LongAdder();
    private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();

    void failed(String reason) {
        failures.increment();
        reasons.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    DcutrCounters snapshot() {
        Map<String, Long> byReason = new TreeMap<>();
        reasons.forEach((k, v) -> byReason.put(k, v.sum()));
        return new DcutrCounters(attempts.sum(), successes.sum(), failures.sum(), byReason, malformed.sum());
    }
}
